# Server tests: live ingest core (no HTTP), and the HTTP server itself when it is built.
bstep_add_test(test_server_live ${CMAKE_CURRENT_LIST_DIR}/test_server_live.c)
target_link_libraries(test_server_live PRIVATE backstep_live)
# The HTTP server end to end, in process, on SQLite and on PostgreSQL.
bstep_add_store_test(test_server_http ${CMAKE_CURRENT_LIST_DIR}/test_server_http.c)
target_link_libraries(test_server_http PRIVATE backstep_server bstep_httpc)
