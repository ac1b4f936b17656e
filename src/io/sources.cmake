# Readers and writers, one file per format. Listed explicitly.
set(BSTEP_IO_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/truth.c
  ${CMAKE_CURRENT_LIST_DIR}/reader.c
  ${CMAKE_CURRENT_LIST_DIR}/csv.c
  ${CMAKE_CURRENT_LIST_DIR}/xsens.c
  ${CMAKE_CURRENT_LIST_DIR}/sensorlogger.c
  ${CMAKE_CURRENT_LIST_DIR}/phyphox.c
  ${CMAKE_CURRENT_LIST_DIR}/csv_write.c
  ${CMAKE_CURRENT_LIST_DIR}/truth_write.c
  ${CMAKE_CURRENT_LIST_DIR}/xsens_write.c
  ${CMAKE_CURRENT_LIST_DIR}/sensorlogger_write.c
)
