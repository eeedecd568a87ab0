# installed.cmake — the Go examples built against the installed package
# (PREFIX/share/wasisock/go), as a Go programmer outside this tree builds:
# a copy of examples/go whose replace directive names the installed copy.
#   cmake -DGO=... -DPREFIX=... -DEXAMPLES=... -DWORK=... "-DGO_ENV=K=V;..."
#         "-DPROGRAMS=a;b" -P installed.cmake
foreach(v GO PREFIX EXAMPLES WORK PROGRAMS)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "installed.cmake: -D${v}= is required")
  endif()
endforeach()
set(package "${PREFIX}/share/wasisock/go")
if(NOT EXISTS "${package}/go.mod" OR EXISTS "${package}/poller_test.go")
  message(FATAL_ERROR "${package}: not the installed package (go.mod, no tests)")
endif()

file(REMOVE_RECURSE "${WORK}")
file(COPY "${EXAMPLES}/" DESTINATION "${WORK}/src")
file(READ "${WORK}/src/go.mod" mod)
string(REGEX REPLACE "replace wasisock => [^\n]*" "replace wasisock => ${package}" mod "${mod}")
file(WRITE "${WORK}/src/go.mod" "${mod}")
foreach(program IN LISTS PROGRAMS)
  execute_process(
    COMMAND "${CMAKE_COMMAND}" -E env ${GO_ENV} GOOS=wasip1 GOARCH=wasm
            "${GO}" build -trimpath -buildvcs=false -o "${WORK}/bin/${program}.wasm" "./${program}"
    WORKING_DIRECTORY "${WORK}/src"
    RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "go build ./${program} against ${package} failed: ${rc}")
  endif()
endforeach()
message(STATUS "built ${PROGRAMS} against ${package}")
