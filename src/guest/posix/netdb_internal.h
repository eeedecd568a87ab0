/*
 * netdb_internal.h — what the resolver files of the POSIX layer share
 * (getaddrinfo.c, getnameinfo.c, hostent.c, services.c).
 */
#ifndef WASISOCK_POSIX_NETDB_INTERNAL_H
#define WASISOCK_POSIX_NETDB_INTERNAL_H

#include <stdint.h>

/* The port of a well-known service name for socktype (0: TCP or UDP), and
 * in *socktypes (if not NULL) which of them it has: bit 1 TCP, bit 2 UDP.
 * 0, or -1 if there is no such name. */
int wasisock__service_port(const char *name, int socktype, uint16_t *port,
                           int *socktypes);
/* The name of a well-known port for TCP (udp 0) or UDP, or NULL. */
const char *wasisock__service_name(uint16_t port, int udp);

#endif /* WASISOCK_POSIX_NETDB_INTERNAL_H */
