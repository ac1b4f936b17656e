# Readers and writers, one file per format. Listed explicitly.
set(BSTEP_IO_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/truth.c
)
