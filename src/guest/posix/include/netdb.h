/*
 * <netdb.h> of the wasisock POSIX layer (docs/POSIX.md).  wasi-libc has
 * none for preview 1.  Names are resolved by the host (sock_resolve);
 * services and protocols come from a small table of well-known names in the
 * library.  Constant values are musl's (and glibc's where they agree).
 */
#ifndef WASISOCK_POSIX_NETDB_H
#define WASISOCK_POSIX_NETDB_H

#include <netinet/in.h>
#include <stdint.h>
#include <sys/socket.h>

#ifdef __cplusplus
extern "C" {
#endif

struct addrinfo {
  int ai_flags;
  int ai_family;
  int ai_socktype;
  int ai_protocol;
  socklen_t ai_addrlen;
  struct sockaddr *ai_addr;
  char *ai_canonname;
  struct addrinfo *ai_next;
};

/* getaddrinfo ai_flags */
#define AI_PASSIVE 0x01
#define AI_CANONNAME 0x02
#define AI_NUMERICHOST 0x04
#define AI_V4MAPPED 0x08
#define AI_ALL 0x10
#define AI_ADDRCONFIG 0x20
#define AI_NUMERICSERV 0x400

/* getnameinfo flags and buffer sizes */
#define NI_NUMERICHOST 0x01
#define NI_NUMERICSERV 0x02
#define NI_NOFQDN 0x04
#define NI_NAMEREQD 0x08
#define NI_DGRAM 0x10
#define NI_NUMERICSCOPE 0x100
#define NI_MAXHOST 255
#define NI_MAXSERV 32

/* getaddrinfo/getnameinfo results; gai_strerror has a message for each */
#define EAI_BADFLAGS -1
#define EAI_NONAME -2
#define EAI_AGAIN -3
#define EAI_FAIL -4
#define EAI_NODATA -5
#define EAI_FAMILY -6
#define EAI_SOCKTYPE -7
#define EAI_SERVICE -8
#define EAI_MEMORY -10
#define EAI_SYSTEM -11 /* the reason is in errno (EACCES: the host's policy) */
#define EAI_OVERFLOW -12

int getaddrinfo(const char *__restrict host, const char *__restrict serv,
                const struct addrinfo *__restrict hints,
                struct addrinfo **__restrict res);
void freeaddrinfo(struct addrinfo *ai);
int getnameinfo(const struct sockaddr *__restrict addr, socklen_t addrlen,
                char *__restrict host, socklen_t hostlen,
                char *__restrict serv, socklen_t servlen, int flags);
const char *gai_strerror(int code);

/* ---- The older interfaces ---------------------------------------------- */
struct hostent {
  char *h_name;
  char **h_aliases;
  int h_addrtype;
  int h_length;
  char **h_addr_list;
};
#define h_addr h_addr_list[0]

struct servent {
  char *s_name;
  char **s_aliases;
  int s_port; /* network byte order */
  char *s_proto;
};

struct protoent {
  char *p_name;
  char **p_aliases;
  int p_proto;
};

/* h_errno values */
#define HOST_NOT_FOUND 1
#define TRY_AGAIN 2
#define NO_RECOVERY 3
#define NO_DATA 4
#define NO_ADDRESS NO_DATA

int *__h_errno_location(void);
#define h_errno (*__h_errno_location())
const char *hstrerror(int code);
void herror(const char *prefix);

/* One static result each, overwritten by the next call (as everywhere;
 * WASI preview 1 guests have one thread). */
struct hostent *gethostbyname(const char *name);
struct hostent *gethostbyname2(const char *name, int af);
struct hostent *gethostbyaddr(const void *addr, socklen_t len, int af);
struct servent *getservbyname(const char *name, const char *proto);
struct servent *getservbyport(int port, const char *proto);
struct protoent *getprotobyname(const char *name);
struct protoent *getprotobynumber(int proto);

#ifdef __cplusplus
}
#endif

#endif /* WASISOCK_POSIX_NETDB_H */
