# sdk.cmake — install rules of the guest SDK (component guest-sdk): what a
# C programmer outside this tree needs to build wasm32 programs on the POSIX
# layer or the guest library (docs/POSIX.md, "Installed").
#
#   PREFIX/bin/wasisock-cc
#   PREFIX/share/wasisock/<triple>/
#     wasisock-posix.cfg   clang --config file, every path relative to itself
#     include/             the overlay headers, wasisock.h, wasisock_abi.h
#     lib/                 libwasisock_posix.a, libwasisock_guest.a
#     sysroot/             the wasi-libc the libraries were built against
#
# The sysroot is a copy because the one a build uses is usually a cache
# (scripts/wasi-sysroot.sh, in the builder's home) that other users cannot
# read and that may be cleared; the libraries are only known to work with
# that wasi-libc.  Everything is found relative to the files themselves
# (<CFGDIR> in the configuration, the script's own path in wasisock-cc), so
# `cmake --install --prefix` and moving the tree keep it working.  The
# compiler is the one the project was built with (clang-22, or
# WASI_SDK_PATH's clang when the build had it).
#
# The top-level project installs this component from its own install step
# (cmake/wasm-guests.cmake).
set(_sdk "${CMAKE_INSTALL_DATADIR}/wasisock/${CMAKE_C_COMPILER_TARGET}")
set(_comp COMPONENT guest-sdk)

install(TARGETS wasisock_posix wasisock_guest
        ARCHIVE DESTINATION "${_sdk}/lib" ${_comp})
install(DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}/posix/include/"
        DESTINATION "${_sdk}/include" ${_comp})
install(FILES "${WASISOCK_ROOT}/include/wasisock.h"
              "${WASISOCK_ROOT}/include/wasisock_abi.h"
        DESTINATION "${_sdk}/include" ${_comp})

# The sysroot's part for this target; Debian's wasm32-wasip1 directories
# are links to wasm32-wasi, copied as the directories they stand for.
foreach(_part include lib share)
  set(_from "${CMAKE_SYSROOT}/${_part}/${CMAKE_C_COMPILER_TARGET}")
  if(IS_DIRECTORY "${_from}")
    get_filename_component(_from "${_from}" REALPATH)
    install(DIRECTORY "${_from}/"
            DESTINATION "${_sdk}/sysroot/${_part}/${CMAKE_C_COMPILER_TARGET}"
            USE_SOURCE_PERMISSIONS ${_comp})
  endif()
endforeach()
if(EXISTS "${CMAKE_SYSROOT}/share/doc/wasi-libc/copyright")
  install(FILES "${CMAKE_SYSROOT}/share/doc/wasi-libc/copyright"
          DESTINATION "${_sdk}/sysroot/share/doc/wasi-libc" ${_comp})
endif()

set(_gen "${CMAKE_CURRENT_BINARY_DIR}/sdk")
wasisock_posix_cfg("${_gen}/wasisock-posix.cfg"
  SYSROOT "<CFGDIR>/sysroot" INCLUDE "<CFGDIR>/include" LIB "<CFGDIR>/lib")
install(FILES "${_gen}/wasisock-posix.cfg" DESTINATION "${_sdk}" ${_comp})

# bin/ -> the SDK directory, relative: the same under any --prefix.
file(RELATIVE_PATH _bin_to_sdk "${CMAKE_INSTALL_FULL_BINDIR}"
     "${CMAKE_INSTALL_FULL_DATADIR}/wasisock/${CMAKE_C_COMPILER_TARGET}")
wasisock_posix_cc("${_gen}/wasisock-cc" FIND_CFG
"# The SDK is found from this script's own place, so the tree can move.
self=$(readlink -f -- \"$0\" 2>/dev/null) || self=$0
cfg=$(dirname -- \"$self\")/${_bin_to_sdk}/wasisock-posix.cfg")
install(PROGRAMS "${_gen}/wasisock-cc" DESTINATION "${CMAKE_INSTALL_BINDIR}" ${_comp})
