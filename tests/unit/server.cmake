# Server tests: live ingest core (no HTTP), and the HTTP server itself when it is built.
bstep_add_test(test_server_live ${CMAKE_CURRENT_LIST_DIR}/test_server_live.c)
target_link_libraries(test_server_live PRIVATE backstep_live)
# The HTTP server end to end, in process, on SQLite and on PostgreSQL.
bstep_add_store_test(test_server_http ${CMAKE_CURRENT_LIST_DIR}/test_server_http.c)
target_link_libraries(test_server_http PRIVATE backstep_server bstep_httpc)

# Browser tests: Debian's chromium driven by playwright-core (tests/browser, installed by
# scripts/install-deps); screenshots are kept in the build folder's browser-artifacts/.
if(BSTEP_BROWSER_TESTS AND BSTEP_BUILD_CLI)
  add_test(NAME browser_pages
    COMMAND node ${PROJECT_SOURCE_DIR}/tests/browser/browser.mjs ${BSTEP_CLI_UNDER_TEST}
            $<TARGET_FILE:sl_push> ${CMAKE_BINARY_DIR}/browser-artifacts)
  set_tests_properties(browser_pages PROPERTIES TIMEOUT 240)
endif()
