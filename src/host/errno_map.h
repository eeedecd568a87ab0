/*
 * errno_map.h — native error numbers → WASI errno values (errno_map.c).
 *
 * Its own header, without libuv, for the files of the policy engine, which
 * build without the rest of libwasisock (tests/policy).
 */
#ifndef WASISOCK_HOST_ERRNO_MAP_H
#define WASISOCK_HOST_ERRNO_MAP_H

#include <stdint.h>

#include "wasisock_abi.h"

/* Native (Linux/POSIX) errno → WASI errno; unknown values → WASISOCK_EIO. */
int32_t wasisock__errno_from_native(int err);

#endif /* WASISOCK_HOST_ERRNO_MAP_H */
