# The HTTP server (backstep serve): libmicrohttpd, libsodium, cJSON, the store. Listed explicitly.
set(BSTEP_LIVE_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/buf.c
  ${CMAKE_CURRENT_LIST_DIR}/ingest.c
  ${CMAKE_CURRENT_LIST_DIR}/live.c
)
set(BSTEP_SERVER_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/auth.c
  ${CMAKE_CURRENT_LIST_DIR}/server.c
  ${CMAKE_CURRENT_LIST_DIR}/live_mgr.c
  ${CMAKE_CURRENT_LIST_DIR}/api.c
  ${CMAKE_CURRENT_LIST_DIR}/pages.c
)
# web/ files embedded into the binary (cmake/embed.cmake)
set(BSTEP_WEB_FILES style.css live.js icon.svg layout.html login.html live.html)
