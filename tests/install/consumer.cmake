# consumer.cmake — builds and runs the consumer against the installed tree.
#   -DMODE=find_package|pkg_config -DPREFIX -DLIBDIR -DSRC -DWORK -DVERSION
#   -DCC -DGENERATOR
#   -DMODE=wasm32 -DPREFIX -DSRC -DEXAMPLES -DPROGRAMS -DWORK: the wasm32
#   programs of tests/install's e2e runs, built with the installed wasisock-cc
#   alone (into WORK/bin)
function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out
                  ERROR_VARIABLE err)
  message(STATUS "${what}: ${out}${err}")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc})")
  endif()
endfunction()

file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")

if(MODE STREQUAL "find_package")
  run("configure" "${CMAKE_COMMAND}" -S "${SRC}" -B "${WORK}" -G "${GENERATOR}"
      "-DCMAKE_PREFIX_PATH=${PREFIX}" "-DCMAKE_C_COMPILER=${CC}"
      -DCMAKE_BUILD_TYPE=Release)
  run("build" "${CMAKE_COMMAND}" --build "${WORK}")
  run("consumer_shared" "${WORK}/consumer_shared" "${VERSION}")
  run("consumer_static" "${WORK}/consumer_static" "${VERSION}")
elseif(MODE STREQUAL "pkg_config")
  find_program(PKG_CONFIG_EXECUTABLE pkg-config REQUIRED)
  # Only the installed tree's .pc (and the system's, for libuv).
  set(ENV{PKG_CONFIG_PATH} "${PREFIX}/${LIBDIR}/pkgconfig")
  execute_process(COMMAND "${PKG_CONFIG_EXECUTABLE}" --modversion wasisock
                  OUTPUT_VARIABLE v OUTPUT_STRIP_TRAILING_WHITESPACE
                  RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0 OR NOT v STREQUAL VERSION)
    message(FATAL_ERROR "pkg-config --modversion wasisock: '${v}' (${rc})")
  endif()
  execute_process(COMMAND "${PKG_CONFIG_EXECUTABLE}" --cflags --libs wasisock
                  OUTPUT_VARIABLE flags OUTPUT_STRIP_TRAILING_WHITESPACE
                  RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "pkg-config --cflags --libs wasisock failed")
  endif()
  message(STATUS "pkg-config --cflags --libs wasisock: ${flags}")
  execute_process(COMMAND "${PKG_CONFIG_EXECUTABLE}" --static --libs wasisock
                  OUTPUT_VARIABLE static_flags OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT static_flags MATCHES "-luv")
    message(FATAL_ERROR "--static --libs lacks libuv: ${static_flags}")
  endif()
  separate_arguments(flags UNIX_COMMAND "${flags}")
  run("compile" "${CC}" -std=c11 -Wall -Wextra "${SRC}/consumer.c" ${flags}
      "-Wl,-rpath,${PREFIX}/${LIBDIR}" -o "${WORK}/consumer_pc")
  run("consumer_pc" "${WORK}/consumer_pc" "${VERSION}")
elseif(MODE STREQUAL "wasm32")
  # The examples are plain BSD-sockets C; copied out of the tree, so only
  # what the SDK provides can be found.  Compile and link are separate steps,
  # as make and configure do them, and warnings are errors: a compile-only
  # run must not see the link flags (unused -L/-l) nor the headers warn.
  set(cc "${PREFIX}/bin/wasisock-cc")
  set(flags -O2 -Wall -Wextra -Werror)
  file(COPY "${EXAMPLES}/netutil.c" "${EXAMPLES}/netutil.h" "${SRC}/guest_lib.c"
       DESTINATION "${WORK}/src")
  file(MAKE_DIRECTORY "${WORK}/bin")
  run("compile netutil.c" "${cc}" ${flags} -c "${WORK}/src/netutil.c" -o "${WORK}/netutil.o")
  foreach(prog IN LISTS PROGRAMS)
    file(COPY "${EXAMPLES}/${prog}.c" DESTINATION "${WORK}/src")
    run("compile ${prog}.c" "${cc}" ${flags} -c "${WORK}/src/${prog}.c" -o "${WORK}/${prog}.o")
    run("link ${prog}.wasm" "${cc}" ${flags} "${WORK}/${prog}.o" "${WORK}/netutil.o"
        -o "${WORK}/bin/${prog}.wasm")
  endforeach()
  # The guest library (wasisock.h, -lwasisock_guest) from the same SDK.
  run("guest_lib.wasm" "${cc}" ${flags} "${WORK}/src/guest_lib.c" -lwasisock_guest
      -o "${WORK}/bin/guest_lib.wasm")
  # A moved copy of the prefix, reached through a symbolic link, still finds
  # its headers, libraries and sysroot.
  file(REMOVE_RECURSE "${WORK}/moved" "${WORK}/link")
  file(COPY "${PREFIX}/" DESTINATION "${WORK}/moved")
  file(MAKE_DIRECTORY "${WORK}/link")
  list(GET PROGRAMS 0 prog)
  file(CREATE_LINK "${WORK}/moved/bin/wasisock-cc" "${WORK}/link/wasisock-cc" SYMBOLIC)
  run("moved SDK" "${WORK}/link/wasisock-cc" ${flags} "${WORK}/src/netutil.c"
      "${WORK}/src/${prog}.c" -o "${WORK}/moved.wasm")
else()
  message(FATAL_ERROR "consumer.cmake: unknown MODE '${MODE}'")
endif()
