# link-without-wrap.cmake — cmake -P script (ctest posix_link_without_wrap):
# a program that makes sockets, linked with libwasisock_posix but without
# the layer's --wrap flags, must fail to link, naming __real_close, rather
# than hand socket descriptors to wasi-libc's close() at run time
# (docs/POSIX.md).  And with the flags, the same program links.
#
#   cmake -DCC=<build>/wasm/posix/wasisock-cc -DCFG=<...>/wasisock-posix.cfg
#         -DWORK=<scratch dir> -P link-without-wrap.cmake
foreach(_v CC CFG WORK)
  if(NOT ${_v})
    message(FATAL_ERROR "link-without-wrap: -D${_v}=... is required")
  endif()
endforeach()

# The compiler the wrapper runs, and the configuration without --wrap.
file(READ "${CC}" _wrapper)
if(NOT _wrapper MATCHES "exec '([^']+)'")
  message(FATAL_ERROR "link-without-wrap: no compiler in ${CC}")
endif()
set(_clang "${CMAKE_MATCH_1}")
file(STRINGS "${CFG}" _lines)
set(_cfg "")
foreach(_l IN LISTS _lines)
  if(NOT _l MATCHES "--wrap=")
    string(APPEND _cfg "${_l}\n")
  endif()
endforeach()
file(MAKE_DIRECTORY "${WORK}")
file(WRITE "${WORK}/nowrap.cfg" "${_cfg}")
file(WRITE "${WORK}/prog.c"
  "#include <sys/socket.h>\n#include <unistd.h>\n"
  "int main(void) { return close(socket(AF_INET, SOCK_STREAM, 0)); }\n")

execute_process(
  COMMAND "${_clang}" "--config=${WORK}/nowrap.cfg" "${WORK}/prog.c"
          -o "${WORK}/nowrap.wasm"
  RESULT_VARIABLE _rc ERROR_VARIABLE _err OUTPUT_VARIABLE _out)
if(_rc EQUAL 0)
  message(FATAL_ERROR "linked without the --wrap flags: it must not")
endif()
if(NOT _err MATCHES "undefined symbol: __real_close")
  message(FATAL_ERROR "failed, but not naming __real_close:\n${_err}")
endif()
execute_process(
  COMMAND "${CC}" "${WORK}/prog.c" -o "${WORK}/wrap.wasm"
  RESULT_VARIABLE _rc ERROR_VARIABLE _err)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "the same program with the flags does not link:\n${_err}")
endif()
message(STATUS "without --wrap: undefined symbol: __real_close; with: links")
