# bstep__ helpers shared by the library, the CLI and the tests (no API promise). Listed explicitly.
set(BSTEP_INTERNAL_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/jsonw.c
  ${CMAKE_CURRENT_LIST_DIR}/linereader.c
  ${CMAKE_CURRENT_LIST_DIR}/numparse.c
  ${CMAKE_CURRENT_LIST_DIR}/rowspool.c
  ${CMAKE_CURRENT_LIST_DIR}/sha256.c
)
