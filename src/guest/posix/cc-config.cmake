# cc-config.cmake — the two files a foreign build uses to compile against
# the POSIX layer: a clang configuration file and the wasisock-cc wrapper
# around it (docs/POSIX.md).  Written twice from these functions: into the
# build tree, pointing at the sources (src/guest/posix/CMakeLists.txt), and
# for the installed guest SDK, relative to itself (src/guest/sdk.cmake).

# wasisock_posix_cfg(<file> SYSROOT <dir> INCLUDE <dir> LIB <dir>)
# writes the clang configuration file.  clang reads options from
# --config=FILE; lines starting with "$" apply to links only, so
# compile-only runs (configure's checks) see no unused -L/-l.  The
# directories may start with <CFGDIR>, which clang replaces by the
# directory the file is in.
function(wasisock_posix_cfg file)
  cmake_parse_arguments(PARSE_ARGV 1 _c "" "SYSROOT;INCLUDE;LIB" "")
  set(_cfg "--target=${CMAKE_C_COMPILER_TARGET}\n--sysroot=${_c_SYSROOT}\n")
  string(APPEND _cfg "-isystem ${_c_INCLUDE}\n")
  string(APPEND _cfg "$-fuse-ld=lld\n$-Wl,-L${_c_LIB}\n$-lwasisock_posix\n")
  foreach(_f IN LISTS WASISOCK_POSIX_WRAPPED)
    string(APPEND _cfg "$-Wl,--wrap=${_f}\n")
  endforeach()
  file(WRITE "${file}" "${_cfg}")
endfunction()

# wasisock_posix_cc(<file> FIND_CFG <sh>) writes the wrapper: the clang
# this project was built with (so WASI_SDK_PATH's clang when the build had
# it) and the configuration file, which the shell text FIND_CFG puts in
# $cfg.
function(wasisock_posix_cc file)
  cmake_parse_arguments(PARSE_ARGV 1 _c "" "FIND_CFG" "")
  set(WASISOCK_CLANG "${CMAKE_C_COMPILER}")
  set(WASISOCK_FIND_CFG "${_c_FIND_CFG}")
  configure_file("${WASISOCK_ROOT}/src/guest/posix/wasisock-cc.in" "${file}"
    @ONLY
    FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ
                     GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
endfunction()
