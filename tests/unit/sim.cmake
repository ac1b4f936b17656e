# Simulator tests (issue 3) and a stand-alone simulate tool for them.
add_executable(backstep_simulate ${PROJECT_SOURCE_DIR}/tools/sim_main.c
               ${PROJECT_SOURCE_DIR}/cli/cmd_simulate.c ${PROJECT_SOURCE_DIR}/cli/util.c)
target_include_directories(backstep_simulate PRIVATE ${PROJECT_SOURCE_DIR}/cli
                           ${PROJECT_SOURCE_DIR}/src)
target_link_libraries(backstep_simulate PRIVATE backstep)
target_compile_definitions(backstep_simulate PRIVATE _POSIX_C_SOURCE=200809L)
bstep_warnings(backstep_simulate)

bstep_add_test(test_sim_physics ${CMAKE_CURRENT_LIST_DIR}/test_sim_physics.c)
bstep_add_test(test_sim_api ${CMAKE_CURRENT_LIST_DIR}/test_sim_api.c)
