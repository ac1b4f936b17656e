# The backstep command: main.c plus one file per subcommand. Listed explicitly.
set(BSTEP_CLI_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/main.c
  ${CMAKE_CURRENT_LIST_DIR}/util.c
  ${CMAKE_CURRENT_LIST_DIR}/cmd_analyze.c
  ${CMAKE_CURRENT_LIST_DIR}/cmd_validate.c
  ${CMAKE_CURRENT_LIST_DIR}/cmd_energy.c
  ${CMAKE_CURRENT_LIST_DIR}/cmd_simulate.c
  ${CMAKE_CURRENT_LIST_DIR}/cmd_serve.c
  ${CMAKE_CURRENT_LIST_DIR}/cmd_token.c
  ${CMAKE_CURRENT_LIST_DIR}/store_cli.c
  ${CMAKE_CURRENT_LIST_DIR}/cmd_history.c
  ${CMAKE_CURRENT_LIST_DIR}/cmd_export.c
  ${CMAKE_CURRENT_LIST_DIR}/cmd_report.c
  ${CMAKE_CURRENT_LIST_DIR}/cmd_checkin.c
  ${CMAKE_CURRENT_LIST_DIR}/cmd_import.c
  ${CMAKE_CURRENT_LIST_DIR}/cmd_batch.c
)
