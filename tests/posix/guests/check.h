/*
 * check.h — assertions of the POSIX-layer test guests (tests/posix).
 *
 * A failed check prints where, what, and errno by name, and exits 1: the
 * driver (run-posix.mjs) reports the guest's stderr.  Built natively too,
 * where errno names come from strerror alone.
 */
#ifndef WASISOCK_TEST_CHECK_H
#define WASISOCK_TEST_CHECK_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK_FAIL(...)                                                        \
  do {                                                                         \
    fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);                            \
    fprintf(stderr, __VA_ARGS__);                                              \
    fputc('\n', stderr);                                                       \
    exit(1);                                                                   \
  } while (0)

/* cond holds. */
#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond))                                                               \
      CHECK_FAIL("CHECK(%s) failed (errno %d: %s)", #cond, errno,             \
                 strerror(errno));                                             \
  } while (0)

/* call succeeds (returns >= 0); its value in v. */
#define CHECK_OK(v, call)                                                      \
  do {                                                                         \
    errno = 0;                                                                 \
    (v) = (call);                                                              \
    if ((long)(v) < 0)                                                         \
      CHECK_FAIL("%s = %ld (errno %d: %s)", #call, (long)(v), errno,          \
                 strerror(errno));                                             \
  } while (0)

/* call fails with -1 and errno err. */
#define CHECK_ERR(call, err)                                                   \
  do {                                                                         \
    long r_;                                                                   \
    errno = 0;                                                                 \
    r_ = (long)(call);                                                         \
    if (r_ != -1 || errno != (err))                                            \
      CHECK_FAIL("%s = %ld, errno %d (%s); want -1, errno %d (%s)", #call, r_, \
                 errno, strerror(errno), (int)(err), strerror(err));           \
  } while (0)

/* Two integers are equal. */
#define CHECK_EQ(a, b)                                                         \
  do {                                                                         \
    long a_ = (long)(a), b_ = (long)(b);                                       \
    if (a_ != b_)                                                              \
      CHECK_FAIL("%s == %s: %ld != %ld", #a, #b, a_, b_);                      \
  } while (0)

#endif
