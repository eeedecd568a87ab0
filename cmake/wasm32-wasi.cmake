# wasm32-wasi.cmake — CMake toolchain file for WebAssembly guests (WASI
# preview 1, wasm32-wasip1).
#
#   cmake -S src/guest -B build-wasm \
#         -DCMAKE_TOOLCHAIN_FILE=/path/to/wasisock/cmake/wasm32-wasi.cmake
#
# Compiler, in order of preference:
#   1. WASI_SDK_PATH (CMake variable or environment): that wasi-sdk's clang,
#      llvm-ar, llvm-ranlib and share/wasi-sysroot.
#   2. Debian's clang-22 / llvm-ar-22 / llvm-ranlib-22 / wasm-ld-22 with
#      --target=wasm32-wasip1.  The sysroot is Debian's wasi-libc, assembled in
#      isolation by scripts/wasi-sysroot.sh (never /usr/include); compiler-rt
#      builtins come from libclang-rt-22-dev-wasm32, which clang-22 finds in its
#      resource directory by itself.
#   3. clang-19 with --target=wasm32-wasi (needs libclang-rt-19-dev-wasm32 for
#      the builtins; best effort).
#
# Variables (-D on the command line, or cache):
#   WASI_SDK_PATH              see above
#   WASISOCK_WASI_SYSROOT      use this sysroot as is (skips the script)
#   WASISOCK_WASI_SYSROOT_DIR  OUTDIR for scripts/wasi-sysroot.sh (default: the
#                              script's cache, $WASISOCK_CACHE/wasi-sysroot)
#
# The toolchain file runs again for every try_compile; the sysroot path found
# the first time is cached (WASISOCK_WASI_SYSROOT) and forwarded to
# try_compile projects through CMAKE_TRY_COMPILE_PLATFORM_VARIABLES and the
# environment, so the script runs once per build tree.

set(CMAKE_SYSTEM_NAME WASI)
set(CMAKE_SYSTEM_VERSION 1)
set(CMAKE_SYSTEM_PROCESSOR wasm32)

# CMake < 3.31 has no Platform/WASI.cmake: ours is next to this file.
list(APPEND CMAKE_MODULE_PATH "${CMAKE_CURRENT_LIST_DIR}")

set(_wasisock_root "${CMAKE_CURRENT_LIST_DIR}/..")
get_filename_component(_wasisock_root "${_wasisock_root}" ABSOLUTE)

# try_compile projects see none of our cache: forward through the environment.
foreach(_v WASI_SDK_PATH WASISOCK_WASI_SYSROOT)
  if(NOT DEFINED ${_v} AND DEFINED ENV{_WASISOCK_TC_${_v}})
    set(${_v} "$ENV{_WASISOCK_TC_${_v}}")
  endif()
endforeach()
if(NOT DEFINED WASI_SDK_PATH AND DEFINED ENV{WASI_SDK_PATH}
   AND NOT "$ENV{WASI_SDK_PATH}" STREQUAL "")
  set(WASI_SDK_PATH "$ENV{WASI_SDK_PATH}")
endif()
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES WASI_SDK_PATH
     WASISOCK_WASI_SYSROOT)

if(WASI_SDK_PATH)
  # ---- wasi-sdk ------------------------------------------------------------
  if(NOT EXISTS "${WASI_SDK_PATH}/bin/clang")
    message(FATAL_ERROR "WASI_SDK_PATH=${WASI_SDK_PATH} has no bin/clang")
  endif()
  set(CMAKE_C_COMPILER "${WASI_SDK_PATH}/bin/clang")
  set(CMAKE_CXX_COMPILER "${WASI_SDK_PATH}/bin/clang++")
  set(CMAKE_AR "${WASI_SDK_PATH}/bin/llvm-ar" CACHE FILEPATH "Archiver")
  set(CMAKE_RANLIB "${WASI_SDK_PATH}/bin/llvm-ranlib" CACHE FILEPATH "Ranlib")
  set(CMAKE_LINKER "${WASI_SDK_PATH}/bin/wasm-ld" CACHE FILEPATH "Linker")
  set(_wasisock_triple wasm32-wasip1)
  if(NOT WASISOCK_WASI_SYSROOT)
    set(WASISOCK_WASI_SYSROOT "${WASI_SDK_PATH}/share/wasi-sysroot")
  endif()
else()
  # ---- Debian's clang ------------------------------------------------------
  find_program(_wasisock_clang22 NAMES clang-22)
  if(_wasisock_clang22)
    set(CMAKE_C_COMPILER "${_wasisock_clang22}")
    find_program(_wasisock_clangxx22 NAMES clang++-22)
    if(_wasisock_clangxx22)
      set(CMAKE_CXX_COMPILER "${_wasisock_clangxx22}")
    endif()
    set(_wasisock_llvm_suffix -22)
    set(_wasisock_triple wasm32-wasip1)
  else()
    find_program(_wasisock_clang19 NAMES clang-19)
    if(NOT _wasisock_clang19)
      message(FATAL_ERROR
        "wasm32-wasi: no compiler.  Install Debian's clang-22 lld-22 llvm-22 "
        "libclang-rt-22-dev-wasm32, or set WASI_SDK_PATH to a wasi-sdk.")
    endif()
    set(CMAKE_C_COMPILER "${_wasisock_clang19}")
    set(_wasisock_llvm_suffix -19)
    set(_wasisock_triple wasm32-wasi)
  endif()
  find_program(_wasisock_ar NAMES llvm-ar${_wasisock_llvm_suffix} llvm-ar)
  find_program(_wasisock_ranlib NAMES llvm-ranlib${_wasisock_llvm_suffix} llvm-ranlib)
  find_program(_wasisock_wasm_ld NAMES wasm-ld${_wasisock_llvm_suffix} wasm-ld)
  if(NOT _wasisock_ar OR NOT _wasisock_ranlib OR NOT _wasisock_wasm_ld)
    message(FATAL_ERROR
      "wasm32-wasi: llvm-ar${_wasisock_llvm_suffix}, "
      "llvm-ranlib${_wasisock_llvm_suffix} or wasm-ld${_wasisock_llvm_suffix} "
      "not found (Debian packages llvm${_wasisock_llvm_suffix} "
      "lld${_wasisock_llvm_suffix})")
  endif()
  set(CMAKE_AR "${_wasisock_ar}" CACHE FILEPATH "Archiver")
  set(CMAKE_RANLIB "${_wasisock_ranlib}" CACHE FILEPATH "Ranlib")
  set(CMAKE_LINKER "${_wasisock_wasm_ld}" CACHE FILEPATH "Linker")

  if(NOT WASISOCK_WASI_SYSROOT)
    set(_wasisock_script "${_wasisock_root}/scripts/wasi-sysroot.sh")
    if(NOT EXISTS "${_wasisock_script}")
      message(FATAL_ERROR "wasm32-wasi: ${_wasisock_script} is missing")
    endif()
    set(_wasisock_script_args)
    if(WASISOCK_WASI_SYSROOT_DIR)
      list(APPEND _wasisock_script_args "${WASISOCK_WASI_SYSROOT_DIR}")
    endif()
    message(STATUS "wasm32-wasi: assembling the WASI sysroot (scripts/wasi-sysroot.sh)")
    execute_process(
      COMMAND "${CMAKE_COMMAND}" -E env "WASI_CC=${CMAKE_C_COMPILER}"
              bash "${_wasisock_script}" ${_wasisock_script_args}
      OUTPUT_VARIABLE _wasisock_out
      RESULT_VARIABLE _wasisock_rc)
    if(NOT _wasisock_rc EQUAL 0)
      message(FATAL_ERROR
        "wasm32-wasi: scripts/wasi-sysroot.sh failed (${_wasisock_rc}); "
        "see its messages above.  Set WASI_SDK_PATH or WASISOCK_WASI_SYSROOT "
        "to use another sysroot.")
    endif()
    string(STRIP "${_wasisock_out}" _wasisock_out)
    string(REGEX REPLACE "^.*\n" "" _wasisock_out "${_wasisock_out}")
    if(NOT IS_DIRECTORY "${_wasisock_out}/include")
      message(FATAL_ERROR "wasm32-wasi: scripts/wasi-sysroot.sh printed "
                          "'${_wasisock_out}', which is not a sysroot")
    endif()
    set(WASISOCK_WASI_SYSROOT "${_wasisock_out}")
  endif()
endif()

set(WASISOCK_WASI_SYSROOT "${WASISOCK_WASI_SYSROOT}" CACHE PATH
    "WASI sysroot used by the wasm32-wasi toolchain")
set(ENV{_WASISOCK_TC_WASISOCK_WASI_SYSROOT} "${WASISOCK_WASI_SYSROOT}")
if(WASI_SDK_PATH)
  set(ENV{_WASISOCK_TC_WASI_SDK_PATH} "${WASI_SDK_PATH}")
endif()

set(CMAKE_SYSROOT "${WASISOCK_WASI_SYSROOT}")
set(CMAKE_C_COMPILER_TARGET ${_wasisock_triple})
set(CMAKE_CXX_COMPILER_TARGET ${_wasisock_triple})
set(CMAKE_ASM_COMPILER_TARGET ${_wasisock_triple})

# Compiler identification links an executable: fine, wasi-libc has crt1.o.
# Libraries, headers and packages come from the sysroot only, programs from
# the host.
set(CMAKE_FIND_ROOT_PATH "${WASISOCK_WASI_SYSROOT}")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

set(CMAKE_EXECUTABLE_SUFFIX ".wasm")
