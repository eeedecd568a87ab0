/*
 * netdb_internal.h — what the resolver files of the POSIX layer share
 * (getaddrinfo.c, getnameinfo.c, hostent.c, services.c).
 */
#ifndef WASISOCK_POSIX_NETDB_INTERNAL_H
#define WASISOCK_POSIX_NETDB_INTERNAL_H

#include <stdint.h>

/* ---- etcfile.c: the guest's /etc files ------------------------------------ */

#define WASISOCK__ETC_MAX_ALIASES 8

/* One line of an /etc file: its words (e.g. name, port/proto, aliases). */
typedef struct wasisock__etc_line {
  char text[512];
  char *word[2 + WASISOCK__ETC_MAX_ALIASES];
  int nwords;
} wasisock__etc_line_t;

/* Calls match(l, arg) on each line of path with at least two words until
 * it says 1.  1 (found: l holds the line), 0 (not in the file), -1 (no
 * such file: the caller has a fallback). */
int wasisock__etc_scan(const char *path, wasisock__etc_line_t *l,
                       int (*match)(const wasisock__etc_line_t *, const void *),
                       const void *arg);

/* ---- hosts.c -------------------------------------------------------------- */

/* The name (and aliases) /etc/hosts gives address addr of family af, in *l
 * (l->word[1] is the name, l->word[2..nwords) the aliases); without an
 * /etc/hosts, the loopback addresses are "localhost".  0, or -1 if the
 * address has no name. */
int wasisock__hosts_name(int af, const void *addr, wasisock__etc_line_t *l);

/* ---- services.c ----------------------------------------------------------- */

/* The port of a well-known service name for socktype (0: TCP or UDP), and
 * in *socktypes (if not NULL) which of them it has: bit 1 TCP, bit 2 UDP.
 * 0, or -1 if there is no such name. */
int wasisock__service_port(const char *name, int socktype, uint16_t *port,
                           int *socktypes);
/* The name of a well-known port for TCP (udp 0) or UDP, or NULL. */
const char *wasisock__service_name(uint16_t port, int udp);

#endif /* WASISOCK_POSIX_NETDB_INTERNAL_H */
