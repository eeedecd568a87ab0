# Platform/WASI.cmake — CMake platform description for WASI (wasm32-wasip1).
#
# CMake before 3.31 has no WASI platform; cmake/wasm32-wasi.cmake puts this
# directory on CMAKE_MODULE_PATH so `CMAKE_SYSTEM_NAME WASI` loads this file
# instead of warning "System is unknown to cmake".  Modelled on the file
# wasi-sdk ships: WASI is a static-only, ELF-less, UNIX-like target.
set(WASI 1)
set(UNIX 1)

set(CMAKE_EXECUTABLE_SUFFIX ".wasm")
set(CMAKE_STATIC_LIBRARY_PREFIX "lib")
set(CMAKE_STATIC_LIBRARY_SUFFIX ".a")
set(CMAKE_SHARED_LIBRARY_PREFIX "lib")
set(CMAKE_SHARED_LIBRARY_SUFFIX ".so")
set(CMAKE_SHARED_MODULE_PREFIX "lib")
set(CMAKE_SHARED_MODULE_SUFFIX ".so")
set(CMAKE_FIND_LIBRARY_PREFIXES "lib")
set(CMAKE_FIND_LIBRARY_SUFFIXES ".a")

# Search paths, re-rooted in the sysroot by CMAKE_FIND_ROOT_PATH: wasi-libc
# keeps headers and libraries under include/<triple> and lib/<triple>.
set(_wasi_triple "${CMAKE_C_COMPILER_TARGET}")
if(NOT _wasi_triple)
  set(_wasi_triple wasm32-wasi)
endif()
set(CMAKE_SYSTEM_PREFIX_PATH /)
set(CMAKE_SYSTEM_INCLUDE_PATH /include/${_wasi_triple} /include)
set(CMAKE_SYSTEM_LIBRARY_PATH /lib/${_wasi_triple} /lib)

# wasm-ld has no shared libraries in preview 1 and no rpath.
set_property(GLOBAL PROPERTY TARGET_SUPPORTS_SHARED_LIBS FALSE)
set(CMAKE_SKIP_RPATH TRUE)
