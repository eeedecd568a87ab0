# wasm-guests.cmake — builds the wasm32 half of wasisock (guest library, C
# examples, end-to-end test guests) as a nested CMake project with the
# wasm32-wasi toolchain.  Included by the top-level CMakeLists.txt when
# WASISOCK_BUILD_WASM is ON.
#
# Sets (cache, internal):
#   WASISOCK_WASM_BIN_DIR   directory holding every built .wasm
#                           (echo_client.wasm, http_get.wasm, ...)
#   WASISOCK_WASM_LIB_DIR   directory holding libwasisock_guest.a and
#                           libwasisock_posix.a
#   WASISOCK_WASM_POSIX_CC  compiler wrapper for foreign builds against the
#                           POSIX layer (docs/POSIX.md): clang with
#   WASISOCK_WASM_POSIX_CFG this clang configuration file (target, sysroot,
#                           the layer's headers, library and --wrap flags)
# and the target wasisock_wasm (part of ALL), which rebuilds the nested
# project on every build (BUILD_ALWAYS: its own make decides what is stale).
# `cmake --install` of this project installs the nested project's guest SDK
# too (component guest-sdk: wasisock-cc, the libraries, headers and
# sysroot, src/guest/sdk.cmake) under the same prefix.
#
# Toolchain choice is forwarded: WASI_SDK_PATH (variable or environment),
# WASISOCK_WASI_SYSROOT and WASISOCK_WASI_SYSROOT_DIR, see
# cmake/wasm32-wasi.cmake.
include(ExternalProject)

set(_wasisock_wasm_build "${CMAKE_BINARY_DIR}/wasm")
set(WASISOCK_WASM_BIN_DIR "${_wasisock_wasm_build}/bin" CACHE INTERNAL
    "Directory of the built wasm32 programs")
set(WASISOCK_WASM_LIB_DIR "${_wasisock_wasm_build}/lib" CACHE INTERNAL
    "Directory of libwasisock_guest.a and libwasisock_posix.a")
set(WASISOCK_WASM_POSIX_CC "${_wasisock_wasm_build}/posix/wasisock-cc" CACHE
    INTERNAL "wasm32 compiler wrapper with the POSIX layer")
set(WASISOCK_WASM_POSIX_CFG "${_wasisock_wasm_build}/posix/wasisock-posix.cfg"
    CACHE INTERNAL "clang --config file of the POSIX layer")

set(_wasisock_wasm_args
  "-DCMAKE_TOOLCHAIN_FILE=${PROJECT_SOURCE_DIR}/cmake/wasm32-wasi.cmake"
  "-DWASISOCK_ROOT=${PROJECT_SOURCE_DIR}"
  "-DWASISOCK_WASM_BIN_DIR=${WASISOCK_WASM_BIN_DIR}"
  "-DWASISOCK_WERROR=${WASISOCK_WERROR}"
  "-DWASISOCK_GUEST_TEST_GUESTS=${WASISOCK_BUILD_TESTS}"
  "-DCMAKE_INSTALL_PREFIX=${CMAKE_INSTALL_PREFIX}"
  "-DCMAKE_INSTALL_BINDIR=${CMAKE_INSTALL_BINDIR}"
  "-DCMAKE_INSTALL_DATADIR=${CMAKE_INSTALL_DATADIR}")
if(CMAKE_BUILD_TYPE)
  list(APPEND _wasisock_wasm_args "-DCMAKE_BUILD_TYPE=${CMAKE_BUILD_TYPE}")
endif()
if(NOT WASI_SDK_PATH AND DEFINED ENV{WASI_SDK_PATH}
   AND NOT "$ENV{WASI_SDK_PATH}" STREQUAL "")
  set(WASI_SDK_PATH "$ENV{WASI_SDK_PATH}")
endif()
foreach(_v WASI_SDK_PATH WASISOCK_WASI_SYSROOT WASISOCK_WASI_SYSROOT_DIR)
  if(${_v})
    list(APPEND _wasisock_wasm_args "-D${_v}=${${_v}}")
  endif()
endforeach()

ExternalProject_Add(wasisock_wasm
  SOURCE_DIR "${PROJECT_SOURCE_DIR}/src/guest"
  BINARY_DIR "${_wasisock_wasm_build}"
  PREFIX "${_wasisock_wasm_build}/ep"
  CMAKE_ARGS ${_wasisock_wasm_args}
  BUILD_ALWAYS ON
  INSTALL_COMMAND ""
  TEST_COMMAND ""
  BUILD_BYPRODUCTS "${WASISOCK_WASM_LIB_DIR}/libwasisock_guest.a"
                   "${WASISOCK_WASM_LIB_DIR}/libwasisock_posix.a")
# Configure again when the toolchain changes (the nested build re-runs CMake
# by itself when its own CMakeLists.txt files change).
ExternalProject_Add_StepDependencies(wasisock_wasm configure
  "${PROJECT_SOURCE_DIR}/cmake/wasm32-wasi.cmake"
  "${PROJECT_SOURCE_DIR}/cmake/Platform/WASI.cmake")

# The guest SDK, at install time: the nested project's own install step
# under this one's prefix (DESTDIR reaches it through the environment).
install(CODE "
  execute_process(
    COMMAND \"${CMAKE_COMMAND}\" --install \"${_wasisock_wasm_build}\"
            --prefix \"\${CMAKE_INSTALL_PREFIX}\" --component guest-sdk
    RESULT_VARIABLE _rc)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR \"installing the guest SDK (${_wasisock_wasm_build}) failed: \${_rc}\")
  endif()" COMPONENT guest-sdk)
