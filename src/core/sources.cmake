# Core sources: pure C11 (no I/O, no malloc, no globals). Listed explicitly.
set(BSTEP_CORE_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/status.c
  ${CMAKE_CURRENT_LIST_DIR}/names.c
  ${CMAKE_CURRENT_LIST_DIR}/ahrs.c
  ${CMAKE_CURRENT_LIST_DIR}/analyzer.c
  ${CMAKE_CURRENT_LIST_DIR}/foot.c
  ${CMAKE_CURRENT_LIST_DIR}/trunk.c
  ${CMAKE_CURRENT_LIST_DIR}/trunk_safety.c
  ${CMAKE_CURRENT_LIST_DIR}/summary.c
  ${CMAKE_CURRENT_LIST_DIR}/energy.c
  ${CMAKE_CURRENT_LIST_DIR}/assess.c
  ${CMAKE_CURRENT_LIST_DIR}/cues.c
  ${CMAKE_CURRENT_LIST_DIR}/coach.c
)
# Simulator (issue 3): gait model and IMU signal synthesis, also pure.
include(${CMAKE_CURRENT_LIST_DIR}/sim/sources.cmake OPTIONAL)
list(APPEND BSTEP_CORE_SOURCES ${BSTEP_SIM_SOURCES})
