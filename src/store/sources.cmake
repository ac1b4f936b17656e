# The store: the only code that includes sqlite3.h / libpq-fe.h. Listed explicitly.
set(BSTEP_STORE_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/db.c
  ${CMAKE_CURRENT_LIST_DIR}/db_sqlite.c
  ${CMAKE_CURRENT_LIST_DIR}/db_pg.c
  ${CMAKE_CURRENT_LIST_DIR}/schema.c
  ${CMAKE_CURRENT_LIST_DIR}/store.c
  ${CMAKE_CURRENT_LIST_DIR}/store_raw.c
  ${CMAKE_CURRENT_LIST_DIR}/store_analysis.c
  ${CMAKE_CURRENT_LIST_DIR}/coach_store.c
  ${CMAKE_CURRENT_LIST_DIR}/session_save.c
)
