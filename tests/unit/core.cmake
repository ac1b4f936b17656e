# Core unit tests.
bstep_add_test(test_status ${CMAKE_CURRENT_LIST_DIR}/test_status.c)
