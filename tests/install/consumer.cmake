# consumer.cmake — builds and runs the consumer against the installed tree.
#   -DMODE=find_package|pkg_config -DPREFIX -DLIBDIR -DSRC -DWORK -DVERSION
#   -DCC -DGENERATOR
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
else()
  message(FATAL_ERROR "consumer.cmake: unknown MODE '${MODE}'")
endif()
