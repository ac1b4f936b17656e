# The progress report: the HTML page rendered by headless Chromium (screenshot kept in
# tests/artifacts/), and the SVG chart and progress unit tests.
if(BSTEP_BUILD_CLI)
  add_test(NAME report_html_chromium
    COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/test_report_html.sh ${BSTEP_CLI_UNDER_TEST}
            $<TARGET_FILE:json_check> ${CMAKE_CURRENT_BINARY_DIR}/report-html-tmp
            ${CMAKE_CURRENT_BINARY_DIR}/artifacts ${PROJECT_SOURCE_DIR})
endif()
bstep_add_test(test_progress ${CMAKE_CURRENT_LIST_DIR}/test_progress.c)
target_compile_definitions(test_progress PRIVATE _POSIX_C_SOURCE=200809L)
# The rows of a long session (bounded memory: rowspool) through JSON and the SQLite store.
bstep_add_test(test_analysis_rows ${CMAKE_CURRENT_LIST_DIR}/test_analysis_rows.c)
target_link_libraries(test_analysis_rows PRIVATE backstep_store)
