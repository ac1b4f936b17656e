# Report rendering: text and JSON. Listed explicitly.
set(BSTEP_REPORT_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/report.c
)
list(APPEND BSTEP_REPORT_SOURCES ${CMAKE_CURRENT_LIST_DIR}/analysis.c)
list(APPEND BSTEP_REPORT_SOURCES ${CMAKE_CURRENT_LIST_DIR}/activity_analysis.c)
list(APPEND BSTEP_REPORT_SOURCES ${CMAKE_CURRENT_LIST_DIR}/activity_export.c)
