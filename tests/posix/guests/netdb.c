/*
 * netdb.c — posixtest case: getaddrinfo, getnameinfo, gai_strerror, the
 * hostent/servent/protoent calls, inet_addr/inet_ntoa.
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <string.h>
#include <unistd.h>

#include "posixtest.h"

/* getaddrinfo(host, serv) with hints; the error code. */
static int gai(const char *host, const char *serv, int family, int socktype,
               int flags, struct addrinfo **res) {
  struct addrinfo hints;
  memset(&hints, 0, sizeof(hints));
  hints.ai_family = family;
  hints.ai_socktype = socktype;
  hints.ai_flags = flags;
  *res = NULL;
  return getaddrinfo(host, serv, &hints, res);
}

static int count(const struct addrinfo *ai) {
  int n = 0;
  for (; ai != NULL; ai = ai->ai_next)
    n++;
  return n;
}

int case_netdb(int argc, char **argv) {
  static const int codes[] = {EAI_BADFLAGS, EAI_NONAME,   EAI_AGAIN,
                              EAI_FAIL,     EAI_FAMILY,   EAI_SOCKTYPE,
                              EAI_SERVICE,  EAI_MEMORY,   EAI_SYSTEM,
                              EAI_OVERFLOW};
  struct addrinfo *res, *ai;
  struct sockaddr_in *sin, sin4;
  struct sockaddr_in6 *sin6;
  char host[NI_MAXHOST], serv[NI_MAXSERV];
  struct hostent *he;
  struct servent *se;
  struct in_addr ia;
  size_t i, j;
  int found;
  (void)argc;
  (void)argv;

  /* Numeric IPv4 with a numeric port: one address per socket type. */
  CHECK_EQ(gai("127.0.0.1", "8080", AF_UNSPEC, 0, 0, &res), 0);
  CHECK(count(res) >= 2);
  CHECK_EQ(res->ai_family, AF_INET);
  CHECK_EQ(res->ai_addrlen, sizeof(struct sockaddr_in));
  sin = (struct sockaddr_in *)res->ai_addr;
  CHECK_EQ(ntohs(sin->sin_port), 8080);
  CHECK_EQ(ntohl(sin->sin_addr.s_addr), 0x7f000001);
  for (found = 0, ai = res; ai != NULL; ai = ai->ai_next)
    found |= ai->ai_socktype == SOCK_STREAM && ai->ai_protocol == IPPROTO_TCP
                 ? 1
             : ai->ai_socktype == SOCK_DGRAM && ai->ai_protocol == IPPROTO_UDP
                 ? 2
                 : 0;
  CHECK_EQ(found, 3);
  freeaddrinfo(res);

  /* Numeric IPv6, one socket type. */
  CHECK_EQ(gai("::1", "443", AF_UNSPEC, SOCK_STREAM, 0, &res), 0);
  CHECK_EQ(count(res), 1);
  CHECK_EQ(res->ai_family, AF_INET6);
  sin6 = (struct sockaddr_in6 *)res->ai_addr;
  CHECK_EQ(ntohs(sin6->sin6_port), 443);
  CHECK(memcmp(&sin6->sin6_addr, &in6addr_loopback, 16) == 0);
  freeaddrinfo(res);

  /* A name through the host's resolver; a service name. */
  CHECK_EQ(gai("localhost", "http", AF_INET, SOCK_STREAM, 0, &res), 0);
  sin = (struct sockaddr_in *)res->ai_addr;
  CHECK_EQ(ntohs(sin->sin_port), 80);
  CHECK_EQ(ntohl(sin->sin_addr.s_addr), 0x7f000001);
  freeaddrinfo(res);

  /* The null host: loopback to connect to, any-address to bind to. */
  CHECK_EQ(gai(NULL, "9", AF_INET, SOCK_STREAM, 0, &res), 0);
  CHECK_EQ(ntohl(((struct sockaddr_in *)res->ai_addr)->sin_addr.s_addr),
           0x7f000001);
  freeaddrinfo(res);
  CHECK_EQ(gai(NULL, "9", AF_INET, SOCK_STREAM, AI_PASSIVE, &res), 0);
  CHECK_EQ(((struct sockaddr_in *)res->ai_addr)->sin_addr.s_addr, 0);
  freeaddrinfo(res);

  /* AI_CANONNAME; AI_V4MAPPED. */
  CHECK_EQ(gai("127.0.0.1", NULL, AF_INET, SOCK_STREAM, AI_CANONNAME, &res), 0);
  CHECK(res->ai_canonname != NULL);
  freeaddrinfo(res);
  CHECK_EQ(gai("127.0.0.1", "1", AF_INET6, SOCK_STREAM, AI_V4MAPPED, &res), 0);
  CHECK_EQ(res->ai_family, AF_INET6);
  sin6 = (struct sockaddr_in6 *)res->ai_addr;
  CHECK(IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr));
  freeaddrinfo(res);

  /* Errors. */
  CHECK_EQ(gai(NULL, NULL, AF_UNSPEC, 0, 0, &res), EAI_NONAME);
  CHECK_EQ(gai("no-such-host.invalid", "80", AF_UNSPEC, 0, 0, &res), EAI_NONAME);
  CHECK_EQ(gai("localhost", "80", AF_UNSPEC, 0, AI_NUMERICHOST, &res), EAI_NONAME);
  CHECK_EQ(gai("127.0.0.1", "http", AF_UNSPEC, 0, AI_NUMERICSERV, &res), EAI_NONAME);
  CHECK_EQ(gai("127.0.0.1", "no-such-service", AF_UNSPEC, 0, 0, &res), EAI_SERVICE);
  CHECK_EQ(gai("127.0.0.1", "80", 12345, 0, 0, &res), EAI_FAMILY);
  CHECK_EQ(gai("127.0.0.1", "80", AF_UNSPEC, 12345, 0, &res), EAI_SOCKTYPE);
  CHECK_EQ(gai("127.0.0.1", "80", AF_UNSPEC, 0, 0x10000000, &res), EAI_BADFLAGS);
  CHECK_EQ(gai(NULL, "80", AF_UNSPEC, 0, AI_CANONNAME, &res), EAI_BADFLAGS);

  /* Every code has its own message. */
  for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
    CHECK(gai_strerror(codes[i]) != NULL && gai_strerror(codes[i])[0] != '\0');
    for (j = 0; j < i; j++)
      CHECK(strcmp(gai_strerror(codes[i]), gai_strerror(codes[j])) != 0);
  }

  /* getnameinfo: numeric host and a service name. */
  CHECK_EQ(gai("127.0.0.1", "80", AF_INET, SOCK_STREAM, 0, &res), 0);
  CHECK_EQ(getnameinfo(res->ai_addr, res->ai_addrlen, host, sizeof(host), serv,
                       sizeof(serv), NI_NUMERICHOST),
           0);
  CHECK(strcmp(host, "127.0.0.1") == 0);
  CHECK(strcmp(serv, "http") == 0);
  CHECK_EQ(getnameinfo(res->ai_addr, res->ai_addrlen, host, sizeof(host), serv,
                       sizeof(serv), NI_NUMERICHOST | NI_NUMERICSERV),
           0);
  CHECK(strcmp(serv, "80") == 0);
  CHECK_EQ(getnameinfo(res->ai_addr, res->ai_addrlen, host, 4, NULL, 0,
                       NI_NUMERICHOST),
           EAI_OVERFLOW);
  CHECK_EQ(getnameinfo(res->ai_addr, 2, host, sizeof(host), NULL, 0, 0),
           EAI_FAMILY);
  freeaddrinfo(res);
  CHECK_EQ(gai("::1", "22", AF_INET6, SOCK_STREAM, 0, &res), 0);
  CHECK_EQ(getnameinfo(res->ai_addr, res->ai_addrlen, host, sizeof(host), serv,
                       sizeof(serv), NI_NUMERICHOST | NI_NUMERICSERV),
           0);
  CHECK(strcmp(host, "::1") == 0 && strcmp(serv, "22") == 0);
  freeaddrinfo(res);

  /* Names of local addresses: /etc/hosts (natively the system's; in a
   * guest the one the runner gives, or the built-in loopback name). */
  memset(&sin4, 0, sizeof(sin4));
  sin4.sin_family = AF_INET;
  sin4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  CHECK_EQ(getnameinfo((struct sockaddr *)&sin4, sizeof(sin4), host,
                       sizeof(host), NULL, 0, NI_NAMEREQD),
           0);
  CHECK(strcmp(host, "localhost") == 0);
  he = gethostbyaddr(&sin4.sin_addr, 4, AF_INET);
  CHECK(he != NULL && strcmp(he->h_name, "localhost") == 0);
  CHECK(memcmp(he->h_addr_list[0], &sin4.sin_addr, 4) == 0);

  /* The older calls. */
  he = gethostbyname("localhost");
  CHECK(he != NULL);
  CHECK_EQ(he->h_addrtype, AF_INET);
  CHECK_EQ(he->h_length, 4);
  CHECK(memcmp(he->h_addr_list[0], "\x7f\0\0\x01", 4) == 0);
  CHECK(gethostbyname("no-such-host.invalid") == NULL);
  CHECK_EQ(h_errno, HOST_NOT_FOUND);
  CHECK(hstrerror(HOST_NOT_FOUND) != NULL);
  se = getservbyname("https", "tcp");
  CHECK(se != NULL && ntohs((uint16_t)se->s_port) == 443);
  se = getservbyport(htons(53), "udp");
  CHECK(se != NULL && strcmp(se->s_name, "domain") == 0);
  CHECK(getprotobyname("tcp") != NULL && getprotobyname("tcp")->p_proto == 6);
  CHECK(getprotobynumber(17) != NULL);
  CHECK_EQ(ntohl(inet_addr("10.1.2.3")), 0x0a010203);
  CHECK_EQ(inet_addr("10.1.2.300"), INADDR_NONE);
  ia.s_addr = htonl(0xc0a80001);
  CHECK(strcmp(inet_ntoa(ia), "192.168.0.1") == 0);
  return 0;
}

/* netdb_files (a guest whose /etc the driver made): the names of
 * /etc/services, /etc/protocols and /etc/hostname, not the built-in ones. */
int case_netdb_files(int argc, char **argv) {
  struct addrinfo *res;
  struct servent *se;
  struct hostent *he;
  struct sockaddr_in sin;
  char serv[NI_MAXSERV], name[64], host[NI_MAXHOST];
  (void)argc;
  (void)argv;

  CHECK_EQ(gai(NULL, "wasisock-test", AF_INET, SOCK_STREAM, 0, &res), 0);
  CHECK_EQ(ntohs(((struct sockaddr_in *)res->ai_addr)->sin_port), 4242);
  freeaddrinfo(res);
  CHECK_EQ(gai(NULL, "wt-alias", AF_INET, SOCK_STREAM, 0, &res), 0);
  freeaddrinfo(res);
  /* Only UDP has it: a TCP lookup fails, an unspecified one gives UDP. */
  CHECK_EQ(gai(NULL, "wasisock-udp", AF_INET, SOCK_STREAM, 0, &res),
           EAI_SERVICE);
  CHECK_EQ(gai(NULL, "wasisock-udp", AF_INET, 0, 0, &res), 0);
  CHECK_EQ(count(res), 1);
  CHECK_EQ(res->ai_socktype, SOCK_DGRAM);
  freeaddrinfo(res);
  /* The file replaces the built-in names. */
  CHECK_EQ(gai(NULL, "http", AF_INET, SOCK_STREAM, 0, &res), EAI_SERVICE);
  se = getservbyname("wt-alias", "tcp");
  CHECK(se != NULL && strcmp(se->s_name, "wasisock-test") == 0);
  se = getservbyport(htons(4343), NULL);
  CHECK(se != NULL && strcmp(se->s_name, "wasisock-udp") == 0);
  memset(&sin, 0, sizeof(sin));
  sin.sin_family = AF_INET;
  sin.sin_port = htons(4242);
  CHECK_EQ(getnameinfo((struct sockaddr *)&sin, sizeof(sin), NULL, 0, serv,
                       sizeof(serv), 0),
           0);
  CHECK(strcmp(serv, "wasisock-test") == 0);
  CHECK(getprotobyname("FAKE") != NULL);
  CHECK_EQ(getprotobyname("fakeproto")->p_proto, 253);
  CHECK(getprotobynumber(6) == NULL);
  CHECK(gethostname(name, sizeof(name)) == 0);
  CHECK(strcmp(name, "guest-host") == 0);
  /* Reverse lookups from /etc/hosts only: 127.0.0.1 is not in this one. */
  memset(&sin, 0, sizeof(sin));
  sin.sin_family = AF_INET;
  sin.sin_addr.s_addr = htonl(0x0a010203);
  CHECK_EQ(getnameinfo((struct sockaddr *)&sin, sizeof(sin), host,
                       sizeof(host), NULL, 0, NI_NAMEREQD),
           0);
  CHECK(strcmp(host, "files-host") == 0);
  he = gethostbyaddr(&sin.sin_addr, 4, AF_INET);
  CHECK(he != NULL && strcmp(he->h_name, "files-host") == 0);
  CHECK(he->h_aliases[0] != NULL && strcmp(he->h_aliases[0], "fh") == 0);
  sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  CHECK_EQ(getnameinfo((struct sockaddr *)&sin, sizeof(sin), host,
                       sizeof(host), NULL, 0, NI_NAMEREQD),
           EAI_NONAME);
  CHECK_EQ(getnameinfo((struct sockaddr *)&sin, sizeof(sin), host,
                       sizeof(host), NULL, 0, 0),
           0);
  CHECK(strcmp(host, "127.0.0.1") == 0);
  CHECK(gethostbyaddr(&sin.sin_addr, 4, AF_INET) == NULL);
  CHECK_EQ(h_errno, HOST_NOT_FOUND);
  CHECK_ERR(gethostname(name, 4), ENAMETOOLONG);
  return 0;
}
