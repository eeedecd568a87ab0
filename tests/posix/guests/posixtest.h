/*
 * posixtest.h — the cases of posixtest (tests/posix), a guest that checks
 * the POSIX socket layer call by call.  One function per case; each
 * returns normally when every check passed (check.h exits otherwise).
 */
#ifndef WASISOCK_POSIXTEST_H
#define WASISOCK_POSIXTEST_H

#include <netinet/in.h>
#include <stdint.h>
#include <sys/socket.h>

#include "check.h"

/* ---- helpers (util.c) ---------------------------------------------------- */

/* A TCP listener on the loopback address of family (127.0.0.1 or ::1),
 * port 0; its address in *addr (len *len).  Exits on failure, or returns
 * -1 when family has no loopback here (IPv6 disabled). */
int tu_listener(int family, struct sockaddr_storage *addr, socklen_t *len);
/* A blocking TCP connection to addr. */
int tu_connect(const struct sockaddr_storage *addr, socklen_t len);
/* A connected pair: client end *c, server end *s, over family's loopback;
 * 0, or -1 when there is no such loopback. */
int tu_pair(int family, int *c, int *s);
/* A loopback sockaddr of family with port (host order). */
socklen_t tu_addr(int family, uint16_t port, struct sockaddr_storage *ss);
/* Port (host order) of a sockaddr_in/_in6. */
uint16_t tu_port(const struct sockaddr_storage *ss);
/* Monotonic milliseconds. */
double tu_now_ms(void);
/* A loopback port nobody listens on (bound, not listening, closed). */
uint16_t tu_closed_port(int family);

/* ---- cases --------------------------------------------------------------- */
typedef int (*tcase_fn)(int argc, char **argv);

int case_tcp(int argc, char **argv);
int case_tcp6(int argc, char **argv);
int case_nonblock_connect(int argc, char **argv);
int case_timeouts(int argc, char **argv);
int case_udp(int argc, char **argv);
int case_options(int argc, char **argv);
int case_errors(int argc, char **argv);
int case_efault(int argc, char **argv);
int case_fds(int argc, char **argv);
int case_dirs(int argc, char **argv);
int case_poll(int argc, char **argv);
int case_select(int argc, char **argv);
int case_stdin(int argc, char **argv);
int case_netdb(int argc, char **argv);
int case_netdb_files(int argc, char **argv);
int case_echo_bulk(int argc, char **argv);
int case_udp_echo(int argc, char **argv);
int case_socketpair(int argc, char **argv);
int case_sleep(int argc, char **argv);
int case_policy(int argc, char **argv);

#endif
