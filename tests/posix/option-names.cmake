# option-names.cmake — the socket option names a program sees are exactly
# the options that work: those of the ABI (include/wasisock_abi.h's
# WASISOCK_SO_*, _TCP_*, _IP_*, _IPV6_*) and the four the layer serves by
# itself (SO_DOMAIN, SO_PROTOCOL, SO_RCVTIMEO, SO_SNDTIMEO).  Every other
# name of wasi-libc's headers is taken away by the overlay headers, so
# `#ifdef TCP_X` means TCP_X works — and CPython exposes socket.TCP_X
# exactly then (docs/PYTHON.md).
#
#   cmake -DCC=<wasisock-cc> -DABI=<wasisock_abi.h> -DWORK=<dir> -P option-names.cmake
cmake_minimum_required(VERSION 3.20)
foreach(_v CC ABI WORK)
  if(NOT ${_v})
    message(FATAL_ERROR "option-names.cmake: -D${_v}= is required")
  endif()
endforeach()
file(MAKE_DIRECTORY "${WORK}")
file(WRITE "${WORK}/names.c"
  "#include <sys/socket.h>\n#include <netinet/in.h>\n#include <netinet/tcp.h>\n")
execute_process(COMMAND "${CC}" -E -dM "${WORK}/names.c"
  OUTPUT_VARIABLE _macros RESULT_VARIABLE _rc ERROR_VARIABLE _err)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "option-names: ${CC} -E -dM failed: ${_err}")
endif()

# What the headers define: option names of the four levels.  TCP's
# connection states (TCP_ESTABLISHED ...) are values, not options.
string(REGEX MATCHALL "#define (SO|IP|IPV6|MCAST|TCP)_[A-Z0-9_]+" _defs "${_macros}")
set(_states ESTABLISHED SYN_SENT SYN_RECV FIN_WAIT1 FIN_WAIT2 TIME_WAIT CLOSE
    CLOSE_WAIT LAST_ACK LISTEN CLOSING)
set(_seen "")
foreach(_d IN LISTS _defs)
  string(REPLACE "#define " "" _n "${_d}")
  string(REPLACE "TCP_" "" _s "${_n}")
  if(NOT _n MATCHES "^TCP_" OR NOT _s IN_LIST _states)
    list(APPEND _seen "${_n}")
  endif()
endforeach()

# What works: the ABI's options and the layer's own.
file(READ "${ABI}" _abi)
string(REGEX MATCHALL "#define WASISOCK_(SO|IP|IPV6|TCP)_[A-Z0-9_]+" _abidefs "${_abi}")
set(_want SO_DOMAIN SO_PROTOCOL SO_RCVTIMEO SO_SNDTIMEO)
foreach(_d IN LISTS _abidefs)
  string(REPLACE "#define WASISOCK_" "" _n "${_d}")
  if(NOT _n STREQUAL "SO_LINGER_OFF")  # a value of SO_LINGER, no option
    list(APPEND _want "${_n}")
  endif()
endforeach()

list(REMOVE_DUPLICATES _seen)
list(REMOVE_DUPLICATES _want)
set(_extra ${_seen})
list(REMOVE_ITEM _extra ${_want})
set(_missing ${_want})
list(REMOVE_ITEM _missing ${_seen})
if(_extra OR _missing)
  message(FATAL_ERROR "option-names: the headers define options that do not work: [${_extra}]; "
                      "working options they lack: [${_missing}] "
                      "(src/guest/posix/include/sys/socket.h, netinet/in.h, netinet/tcp.h)")
endif()
list(LENGTH _seen _count)
message(STATUS "option-names: the headers define the ${_count} options that work")
