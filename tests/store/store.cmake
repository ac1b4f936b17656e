# Store tests (src/store): the same suite against SQLite and against a private PostgreSQL server
# that the fixture starts with scripts/pg-test-server (and stops afterwards).
set(BSTEP_PG_TEST_DIR ${CMAKE_CURRENT_BINARY_DIR}/pg)
add_test(NAME pg_server_start
  COMMAND ${PROJECT_SOURCE_DIR}/scripts/pg-test-server start ${BSTEP_PG_TEST_DIR})
set_tests_properties(pg_server_start PROPERTIES FIXTURES_SETUP pg)
add_test(NAME pg_server_stop
  COMMAND ${PROJECT_SOURCE_DIR}/scripts/pg-test-server stop ${BSTEP_PG_TEST_DIR})
set_tests_properties(pg_server_stop PROPERTIES FIXTURES_CLEANUP pg)

# bstep_add_store_test(NAME SOURCES...): one executable, registered twice: NAME_sqlite and
# NAME_postgresql (the latter with the private server's environment).
function(bstep_add_store_test name)
  add_executable(${name} ${ARGN})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/tests ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(${name} PRIVATE backstep_store backstep m)
  target_compile_definitions(${name} PRIVATE _POSIX_C_SOURCE=200809L)
  bstep_warnings(${name})
  add_test(NAME ${name}_sqlite COMMAND ${BSTEP_TEST_WRAPPER} $<TARGET_FILE:${name}>)
  set_tests_properties(${name}_sqlite PROPERTIES ENVIRONMENT
    "BSTEP_TEST_BACKEND=sqlite;BSTEP_TEST_TMP=${CMAKE_CURRENT_BINARY_DIR}/tmp;BSTEP_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
  add_test(NAME ${name}_postgresql
    COMMAND sh -c "set -a; . \"$1/env\"; set +a; shift; exec \"$@\"" sh ${BSTEP_PG_TEST_DIR}
            ${BSTEP_TEST_WRAPPER} $<TARGET_FILE:${name}>)
  set_tests_properties(${name}_postgresql PROPERTIES FIXTURES_REQUIRED pg ENVIRONMENT
    "BSTEP_TEST_BACKEND=postgresql;BSTEP_TEST_TMP=${CMAKE_CURRENT_BINARY_DIR}/tmp;BSTEP_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
endfunction()

bstep_add_store_test(test_store ${CMAKE_CURRENT_LIST_DIR}/test_store.c)
bstep_add_store_test(test_store_migrate ${CMAKE_CURRENT_LIST_DIR}/test_store_migrate.c)
bstep_add_store_test(test_store_reliability ${CMAKE_CURRENT_LIST_DIR}/test_store_reliability.c)

# SHA-256 (the checksum that recognises a recording stored before).
bstep_add_test(test_sha256 ${PROJECT_SOURCE_DIR}/tests/unit/test_sha256.c)
target_compile_definitions(test_sha256 PRIVATE _POSIX_C_SOURCE=200809L)

# Two processes deciding one walker's plan at once (bstep__plan_decide: one transaction under the
# user's plan lock).
bstep_add_store_test(test_store_plan_race ${CMAKE_CURRENT_LIST_DIR}/test_store_plan_race.c)
