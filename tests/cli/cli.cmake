# Command-line tests: shell scripts driving the real binary on inputs they generate themselves.
add_executable(json_check ${CMAKE_CURRENT_LIST_DIR}/json_check.c)
target_link_libraries(json_check PRIVATE PkgConfig::CJSON)
bstep_warnings(json_check)
if(BSTEP_BUILD_CLI)
  add_test(NAME cli_analyze
    COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/test_cli.sh ${BSTEP_CLI_UNDER_TEST}
            $<TARGET_FILE:json_check> ${CMAKE_CURRENT_BINARY_DIR}/cli-tmp ${PROJECT_SOURCE_DIR})
endif()
if(BSTEP_BUILD_CLI)
  add_test(NAME cli_energy
    COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/test_energy.sh ${BSTEP_CLI_UNDER_TEST}
            $<TARGET_FILE:json_check> ${CMAKE_CURRENT_BINARY_DIR}/energy-tmp)
endif()
# The embedding example builds against the library (the installed-package build is checked by
# scripts/test with pkg-config).
add_executable(stream_steps ${PROJECT_SOURCE_DIR}/examples/embed/stream_steps.c)
target_link_libraries(stream_steps PRIVATE backstep)
bstep_warnings(stream_steps)
if(BSTEP_BUILD_CLI)
  add_test(NAME cli_history
    COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/test_history.sh ${BSTEP_CLI_UNDER_TEST}
            $<TARGET_FILE:json_check> ${CMAKE_CURRENT_BINARY_DIR}/history-tmp)
  add_test(NAME cli_activity
    COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/test_activity.sh ${BSTEP_CLI_UNDER_TEST}
            $<TARGET_FILE:json_check> ${CMAKE_CURRENT_BINARY_DIR}/activity-tmp ${PROJECT_SOURCE_DIR})
  add_test(NAME cli_coach
    COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/test_coach.sh ${BSTEP_CLI_UNDER_TEST}
            $<TARGET_FILE:json_check> ${CMAKE_CURRENT_BINARY_DIR}/coach-tmp ${PROJECT_SOURCE_DIR})
endif()
if(BSTEP_BUILD_CLI)
  add_test(NAME cli_batch
    COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/test_batch.sh ${BSTEP_CLI_UNDER_TEST}
            $<TARGET_FILE:json_check> ${CMAKE_CURRENT_BINARY_DIR}/batch-tmp)
endif()
if(BSTEP_BUILD_CLI)
  add_test(NAME cli_serve
    COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/test_serve.sh ${BSTEP_CLI_UNDER_TEST}
            $<TARGET_FILE:sl_push> $<TARGET_FILE:json_check> ${CMAKE_CURRENT_BINARY_DIR}/serve-tmp)
endif()
