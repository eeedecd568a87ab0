/*
 * <arpa/inet.h> of the wasisock POSIX layer: wasi-libc's (inet_pton,
 * inet_ntop, inet_aton, byte order) plus the two classic conversions its
 * preview 1 build leaves out.
 */
#ifndef WASISOCK_POSIX_ARPA_INET_H
#define WASISOCK_POSIX_ARPA_INET_H

#include_next <arpa/inet.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Dotted text to an address in network order; INADDR_NONE if invalid. */
in_addr_t inet_addr(const char *text);
/* An address as dotted text, in a static buffer. */
char *inet_ntoa(struct in_addr addr);

#ifdef __cplusplus
}
#endif

#endif /* WASISOCK_POSIX_ARPA_INET_H */
