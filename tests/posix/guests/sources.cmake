# The sources of posixtest, shared by its wasm32 build (guests/CMakeLists.txt,
# in the nested wasm32 project) and its native build (../CMakeLists.txt):
# one program, two targets, the same checks.
set(WASISOCK_POSIXTEST_SOURCES
  posixtest.c util.c tcp.c nonblock.c udp.c options.c errors.c fds.c dirs.c
  pollcase.c netdb.c peer.c socketpair.c policy.c sleep.c)
list(TRANSFORM WASISOCK_POSIXTEST_SOURCES PREPEND "${CMAKE_CURRENT_LIST_DIR}/")
list(APPEND WASISOCK_POSIXTEST_SOURCES
  "${CMAKE_CURRENT_LIST_DIR}/../../../src/util/sha256.c")
set(WASISOCK_POSIXTEST_INCLUDES
  "${CMAKE_CURRENT_LIST_DIR}" "${CMAKE_CURRENT_LIST_DIR}/../../e2e/guests"
  "${CMAKE_CURRENT_LIST_DIR}/../../../src/util")
