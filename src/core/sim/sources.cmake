# Simulator (issue 3): gait model and IMU signal synthesis. Pure C11, listed explicitly.
set(BSTEP_SIM_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/rng.c
  ${CMAKE_CURRENT_LIST_DIR}/sim.c
  ${CMAKE_CURRENT_LIST_DIR}/scenario.c
)
