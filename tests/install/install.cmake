# install.cmake — ctest fixture: a fresh install of the "wasisock" component
# (and, with -DGUEST_SDK=ON, of the guest SDK) into PREFIX.
#   cmake -DBUILD_DIR=... -DPREFIX=... [-DCONFIG=...] [-DGUEST_SDK=ON]
#         [-DSOURCE_DIR=...] -P install.cmake
foreach(v BUILD_DIR PREFIX)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "install.cmake: -D${v}= is required")
  endif()
endforeach()

file(REMOVE_RECURSE "${PREFIX}")
set(config_args)
if(CONFIG)
  set(config_args --config "${CONFIG}")
endif()
set(components wasisock)
if(GUEST_SDK)
  list(APPEND components guest-sdk)
endif()
foreach(component IN LISTS components)
  execute_process(
    COMMAND "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${PREFIX}"
            --component ${component} ${config_args}
    RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "cmake --install --component ${component} failed: ${rc}")
  endif()
endforeach()

set(expected include/wasisock.h include/wasisock_abi.h)
if(GUEST_SDK)
  # share/wasisock/<triple>: wasm32-wasip1 (wasm32-wasi with clang-19).
  file(GLOB sdk RELATIVE "${PREFIX}" "${PREFIX}/share/wasisock/wasm32-*")
  list(LENGTH sdk n)
  if(NOT n EQUAL 1)
    message(FATAL_ERROR "expected one share/wasisock/wasm32-*, found: '${sdk}'")
  endif()
  get_filename_component(triple "${sdk}" NAME)
  list(APPEND expected bin/wasisock-cc ${sdk}/wasisock-posix.cfg
       ${sdk}/lib/libwasisock_posix.a ${sdk}/lib/libwasisock_guest.a
       ${sdk}/include/sys/socket.h ${sdk}/include/netdb.h
       ${sdk}/include/wasisock.h ${sdk}/include/wasisock_abi.h
       ${sdk}/sysroot/include/${triple}/stdio.h
       ${sdk}/sysroot/lib/${triple}/libc.a)
endif()
foreach(f IN LISTS expected)
  if(NOT EXISTS "${PREFIX}/${f}")
    message(FATAL_ERROR "not installed: ${f}")
  endif()
endforeach()

# The installed SDK finds everything relative to itself: nothing in it may
# name the build or the source tree, nor the prefix it was installed to.
if(GUEST_SDK)
  foreach(f bin/wasisock-cc ${sdk}/wasisock-posix.cfg)
    file(READ "${PREFIX}/${f}" text)
    foreach(tree "${BUILD_DIR}" "${SOURCE_DIR}" "${PREFIX}")
      string(FIND "${text}" "${tree}" at)
      if(tree AND at GREATER -1)
        message(FATAL_ERROR "${f} names ${tree}:\n${text}")
      endif()
    endforeach()
  endforeach()
endif()
