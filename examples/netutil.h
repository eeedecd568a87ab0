/*
 * netutil.h — the few helpers the examples share, in plain BSD sockets.
 *
 * The examples are ordinary POSIX C: the same source builds natively and
 * for wasm32-wasip1 against wasisock's POSIX layer (docs/POSIX.md).
 */
#ifndef WASISOCK_EXAMPLES_NETUTIL_H
#define WASISOCK_EXAMPLES_NETUTIL_H

#include <stddef.h>
#include <sys/socket.h>

/* Longest text net_addr_text writes: "[" IPv6 "]:" port. */
#define NET_ADDRSTRLEN 64

/* A socket of socktype (SOCK_STREAM, SOCK_DGRAM) connected to host:port,
 * every address getaddrinfo gives tried in order.  -1 on failure, with the
 * reason in err: getaddrinfo's message, or the last connect's strerror. */
int net_connect(const char *host, const char *port, int socktype, char *err,
                size_t errlen);

/* "192.0.2.1:80" or "[2001:db8::1]:443" for an AF_INET/AF_INET6 address. */
const char *net_addr_text(const struct sockaddr *sa, socklen_t len, char *buf,
                          size_t buflen);

/* Sends all of buf (a blocking socket may take it in pieces).  0, or -1
 * with errno. */
int net_send_all(int fd, const void *buf, size_t len);

#endif
