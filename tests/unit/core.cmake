# Core unit tests.
bstep_add_test(test_status ${CMAKE_CURRENT_LIST_DIR}/test_status.c)
bstep_add_test(test_ahrs ${CMAKE_CURRENT_LIST_DIR}/test_ahrs.c)
bstep_add_test(test_analyzer ${CMAKE_CURRENT_LIST_DIR}/test_analyzer.c)
bstep_add_test(test_summary ${CMAKE_CURRENT_LIST_DIR}/test_summary.c)
bstep_add_test(test_energy ${CMAKE_CURRENT_LIST_DIR}/test_energy.c)
bstep_add_test(test_foot_sim ${CMAKE_CURRENT_LIST_DIR}/test_foot_sim.c)
