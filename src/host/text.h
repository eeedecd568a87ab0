/*
 * text.h — one-line messages built piece by piece, snprintf-style, for the
 * policy's denial lines and the tracer's call lines.  Defined in policy.c,
 * whose sources build without libuv and the rest of the library
 * (tests/policy, the fuzzers), so apart from internal.h.
 */
#ifndef WASISOCK_HOST_TEXT_H
#define WASISOCK_HOST_TEXT_H

#include <stddef.h>

/* A line built into buf[0..len): cut to fit, always terminated (len > 0),
 * need counting what the whole line takes, as snprintf's result. */
typedef struct wasisock__text {
  char *buf;
  size_t len;
  size_t need; /* bytes the whole text needs, without the terminator */
} wasisock__text_t;

void wasisock__text_init(wasisock__text_t *t, char *buf, size_t len);
void wasisock__put(wasisock__text_t *t, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

#endif /* WASISOCK_HOST_TEXT_H */
