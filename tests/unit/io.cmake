# Reader tests (src/io, src/internal/linereader, src/internal/numparse). Listed explicitly.
bstep_add_test(test_io_numparse ${CMAKE_CURRENT_LIST_DIR}/test_io_numparse.c)
bstep_add_test(test_io_csv ${CMAKE_CURRENT_LIST_DIR}/test_io_csv.c)
bstep_add_test(test_io_xsens ${CMAKE_CURRENT_LIST_DIR}/test_io_xsens.c)
bstep_add_test(test_io_sensorlogger ${CMAKE_CURRENT_LIST_DIR}/test_io_sensorlogger.c)
bstep_add_test(test_io_phyphox ${CMAKE_CURRENT_LIST_DIR}/test_io_phyphox.c)
bstep_add_test(test_io_corpus ${CMAKE_CURRENT_LIST_DIR}/test_io_corpus.c)
bstep_add_test(test_io_fit ${CMAKE_CURRENT_LIST_DIR}/test_io_fit.c)
