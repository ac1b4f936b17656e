# Fault tests (issue 9; docs/bad-input.md, "Faults"): a full disk and a file-size limit, output
# that cannot be written, read-only, deleted and replaced databases, a PostgreSQL server restarted
# or gone mid-batch, a dropped database, SIGKILL mid-write. The real CLI on SQLite and on a private
# PostgreSQL server of its own (it restarts and stops it, so it cannot share the fixture's).
if(BSTEP_BUILD_CLI)
  add_test(NAME cli_faults
    COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/test_faults.sh ${BSTEP_CLI_UNDER_TEST}
            $<TARGET_FILE:json_check> ${CMAKE_CURRENT_BINARY_DIR}/faults-tmp ${PROJECT_SOURCE_DIR})
  set_tests_properties(cli_faults PROPERTIES TIMEOUT 1200)
endif()
# Bad requests to the real `backstep serve` and the exact status and message of each.
if(BSTEP_BUILD_CLI)
  add_test(NAME serve_bad_requests
    COMMAND python3 ${CMAKE_CURRENT_LIST_DIR}/test_bad_requests.py ${BSTEP_CLI_UNDER_TEST}
            ${CMAKE_CURRENT_BINARY_DIR}/bad-requests-tmp)
  set_tests_properties(serve_bad_requests PROPERTIES TIMEOUT 900)
endif()
# Bad command-line options: the exit status and the message of each.
if(BSTEP_BUILD_CLI)
  add_test(NAME cli_bad_options
    COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/test_bad_options.sh ${BSTEP_CLI_UNDER_TEST}
            ${CMAKE_CURRENT_BINARY_DIR}/bad-options-tmp)
endif()
