# go-guests.cmake — builds the Go guests (GOOS=wasip1 GOARCH=wasm): the
# examples of examples/go and the test binary of the wasisock package
# (src/go).  Included by the top-level CMakeLists.txt when WASISOCK_BUILD_GO
# is ON.
#
# Sets:
#   WASISOCK_GO          the go command (scripts/go-toolchain.sh: the
#                        machine's Go >= 1.21, else Debian trixie's 1.24)
#   WASISOCK_GO_BIN_DIR  directory of the built Go programs: <name>.wasm,
#                        and wasisock_test_native, the same tests built for
#                        this machine (where the package is package net)
#   WASISOCK_GO_ENV      environment for running that go command offline
#   WASISOCK_GO_PROGRAMS names of the built .wasm programs
# and the target wasisock_go (part of ALL).
#
# Nothing is fetched at build time: the modules need only the standard
# library and src/go (a replace directive), and GOPROXY=off makes any
# attempt to reach a module proxy an error.  Go's build cache (GOCACHE,
# outside the tree) keeps rebuilds to seconds.
execute_process(
  COMMAND "${PROJECT_SOURCE_DIR}/scripts/go-toolchain.sh"
  OUTPUT_VARIABLE _wasisock_go_out
  RESULT_VARIABLE _wasisock_go_rc
  OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT _wasisock_go_rc EQUAL 0)
  message(FATAL_ERROR "scripts/go-toolchain.sh found no Go >= 1.21 and could not fetch "
                      "Debian's; pass -DWASISOCK_BUILD_GO=OFF to build without the Go guests")
endif()
string(REGEX REPLACE ".*\n" "" WASISOCK_GO "${_wasisock_go_out}")
execute_process(COMMAND "${WASISOCK_GO}" env GOVERSION
                OUTPUT_VARIABLE _wasisock_go_version OUTPUT_STRIP_TRAILING_WHITESPACE)
message(STATUS "Go: ${WASISOCK_GO} (${_wasisock_go_version})")

set(WASISOCK_GO_BIN_DIR "${CMAKE_BINARY_DIR}/go/bin")
# GOTOOLCHAIN=local: never switch to another (downloaded) toolchain;
# GOWORK=off: a go.work above the tree has no say.
set(WASISOCK_GO_ENV GOTOOLCHAIN=local GOPROXY=off GOWORK=off GOFLAGS=-mod=readonly)

file(GLOB_RECURSE _wasisock_go_package CONFIGURE_DEPENDS
     "${PROJECT_SOURCE_DIR}/src/go/*.go" "${PROJECT_SOURCE_DIR}/src/go/go.mod")
file(GLOB_RECURSE _wasisock_go_examples CONFIGURE_DEPENDS
     "${PROJECT_SOURCE_DIR}/examples/go/*.go" "${PROJECT_SOURCE_DIR}/examples/go/go.mod")

set(WASISOCK_GO_PROGRAMS)
set(_wasisock_go_outputs)
# wasisock_go_program(NAME wasm|native DIR VERB ARGS...): in DIR's module,
# `go VERB -o NAME[.wasm] ARGS...` (VERB build or "test -c") for wasip1 or
# for this machine, rebuilt when any Go file it may use changes.
function(wasisock_go_program name target dir verb)
  set(env ${WASISOCK_GO_ENV})
  set(out "${WASISOCK_GO_BIN_DIR}/${name}")
  if(target STREQUAL "wasm")
    list(APPEND env GOOS=wasip1 GOARCH=wasm)
    set(out "${out}.wasm")
    set(WASISOCK_GO_PROGRAMS ${WASISOCK_GO_PROGRAMS} ${name} PARENT_SCOPE)
  endif()
  separate_arguments(verb UNIX_COMMAND "${verb}")
  add_custom_command(
    OUTPUT "${out}"
    COMMAND ${CMAKE_COMMAND} -E env ${env}
            "${WASISOCK_GO}" ${verb} -trimpath -buildvcs=false -o "${out}" ${ARGN}
    WORKING_DIRECTORY "${dir}"
    DEPENDS ${_wasisock_go_package} ${_wasisock_go_examples}
    COMMENT "Go: ${name} (${target})"
    VERBATIM)
  set(_wasisock_go_outputs ${_wasisock_go_outputs} "${out}" PARENT_SCOPE)
endfunction()

foreach(_example httpget httpserve udpping)
  wasisock_go_program(${_example} wasm "${PROJECT_SOURCE_DIR}/examples/go" build ./${_example})
endforeach()
# The package's tests, as one program run under each engine (tests/go),
# and natively against package net: the same expectations hold for both.
wasisock_go_program(wasisock_test wasm "${PROJECT_SOURCE_DIR}/src/go" "test -c" .)
wasisock_go_program(wasisock_test_native native "${PROJECT_SOURCE_DIR}/src/go" "test -c" .)

add_custom_target(wasisock_go ALL DEPENDS ${_wasisock_go_outputs})

# The package's source for Go programs outside this tree (the guest SDK,
# next to the C one): PREFIX/share/wasisock/go, a module to name in a
# replace directive.  Tests stay behind.
include(GNUInstallDirs)
install(DIRECTORY "${PROJECT_SOURCE_DIR}/src/go/"
        DESTINATION "${CMAKE_INSTALL_DATADIR}/wasisock/go"
        COMPONENT guest-sdk
        FILES_MATCHING PATTERN "*.go" PATTERN "go.mod" PATTERN "*_test.go" EXCLUDE)
