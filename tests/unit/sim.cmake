# Simulator tests (issue 3) and a stand-alone simulate tool for them.
add_executable(backstep_simulate ${PROJECT_SOURCE_DIR}/tools/sim_main.c
               ${PROJECT_SOURCE_DIR}/cli/cmd_simulate.c ${PROJECT_SOURCE_DIR}/cli/util.c)
target_include_directories(backstep_simulate PRIVATE ${PROJECT_SOURCE_DIR}/cli
                           ${PROJECT_SOURCE_DIR}/src)
target_link_libraries(backstep_simulate PRIVATE backstep)
target_compile_definitions(backstep_simulate PRIVATE _POSIX_C_SOURCE=200809L)
bstep_warnings(backstep_simulate)
bstep_wrapped(BSTEP_SIM_UNDER_TEST backstep_simulate)

bstep_add_test(test_sim_physics ${CMAKE_CURRENT_LIST_DIR}/test_sim_physics.c)
bstep_add_test(test_sim_api ${CMAKE_CURRENT_LIST_DIR}/test_sim_api.c)
bstep_add_test(test_sim_cli ${CMAKE_CURRENT_LIST_DIR}/test_sim_cli.c
               ${PROJECT_SOURCE_DIR}/cli/cmd_simulate.c ${PROJECT_SOURCE_DIR}/cli/util.c)
target_include_directories(test_sim_cli PRIVATE ${PROJECT_SOURCE_DIR}/cli)
target_compile_definitions(test_sim_cli PRIVATE _POSIX_C_SOURCE=200809L)

# `backstep validate` on a folder of simulated scenarios (thresholds are set by the validate
# owner; this only checks that the whole chain runs: exit 0 or 1, not a usage/read error).
if(BSTEP_BUILD_CLI)
  add_test(NAME sim_validate_scenario_set
    COMMAND sh -c "rm -rf \"$1\" && \"$2\" --scenario-set \"$1\" >/dev/null || exit 9; \"$3\" validate \"$1\" >/dev/null; rc=$?; [ $rc -le 1 ]"
            sh ${CMAKE_CURRENT_BINARY_DIR}/tmp/validate_set ${BSTEP_SIM_UNDER_TEST}
            ${BSTEP_CLI_UNDER_TEST})
endif()
