/*
 * fuzz-net.c — the fuzz targets' resolver and loopback endpoints (fuzz.h).
 *
 * getaddrinfo/freeaddrinfo defined here replace libc's for the whole
 * process (the executables export them; libuv calls getaddrinfo through
 * its PLT): the targets must never send a query anywhere, whatever name the
 * fuzzer makes up.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "fuzz.h"

uint8_t fuzz_u8(fuzz_in_t *in) {
  if (in->n == 0)
    return 0;
  in->n--;
  return *in->p++;
}

uint16_t fuzz_u16(fuzz_in_t *in) {
  uint16_t lo = fuzz_u8(in);
  return (uint16_t)(lo | (uint16_t)fuzz_u8(in) << 8);
}

uint32_t fuzz_u32(fuzz_in_t *in) {
  uint32_t lo = fuzz_u16(in);
  return lo | (uint32_t)fuzz_u16(in) << 16;
}

/* ---- getaddrinfo --------------------------------------------------------- */

/* One answer: the addrinfo list and its sockaddrs in one block, so that
 * freeaddrinfo frees exactly what getaddrinfo allocated. */
typedef struct fuzz_gai_block {
  struct addrinfo ai[FUZZ_GAI_MAX];
  struct sockaddr_storage sa[FUZZ_GAI_MAX];
} fuzz_gai_block_t;

static int fuzz__eai = EAI_NONAME;
static fuzz_gai_entry_t fuzz__entries[FUZZ_GAI_MAX];
static size_t fuzz__nentries;
static unsigned long fuzz__fake_calls;

void fuzz_gai_set_answer(int eai, const fuzz_gai_entry_t *entries, size_t n) {
  if (n > FUZZ_GAI_MAX)
    n = FUZZ_GAI_MAX;
  fuzz__eai = eai;
  memcpy(fuzz__entries, entries, n * sizeof(*entries));
  fuzz__nentries = n;
}

void fuzz_gai_clear(void) {
  fuzz__eai = EAI_NONAME;
  fuzz__nentries = 0;
}

unsigned long fuzz_gai_fake_calls(void) { return fuzz__fake_calls; }

static void fuzz__gai_add(fuzz_gai_block_t *b, size_t *n,
                          const fuzz_gai_entry_t *e) {
  struct addrinfo *ai = &b->ai[*n];
  struct sockaddr_storage *ss = &b->sa[*n];

  ai->ai_family = e->family;
  ai->ai_socktype = SOCK_STREAM;
  ai->ai_protocol = IPPROTO_TCP;
  if (e->family == AF_INET) {
    struct sockaddr_in *sin = (struct sockaddr_in *)ss;
    sin->sin_family = AF_INET;
    memcpy(&sin->sin_addr, e->bytes, 4);
    ai->ai_addrlen = sizeof(*sin);
  } else if (e->family == AF_INET6) {
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = htons(9); /* the host must put the asked port */
    memcpy(&sin6->sin6_addr, e->bytes, 16);
    ai->ai_addrlen = sizeof(*sin6);
  } else if (e->family == AF_UNIX) {
    struct sockaddr_un *sun = (struct sockaddr_un *)ss;
    sun->sun_family = AF_UNIX;
    ai->ai_addrlen = sizeof(*sun);
  } else {
    ss->ss_family = (sa_family_t)e->family;
    ai->ai_addrlen = sizeof(*ss);
  }
  ai->ai_addr = e->null_addr ? NULL : (struct sockaddr *)ss;
  if (*n > 0)
    b->ai[*n - 1].ai_next = ai;
  (*n)++;
}

int getaddrinfo(const char *node, const char *service,
                const struct addrinfo *hints, struct addrinfo **res) {
  fuzz_gai_entry_t local[2];
  const fuzz_gai_entry_t *entries;
  fuzz_gai_block_t *b;
  size_t n = 0, count, i;
  int family = hints != NULL ? hints->ai_family : AF_UNSPEC;

  (void)service;
  if (node == NULL || res == NULL)
    return EAI_NONAME;
  memset(local, 0, sizeof(local));
  if (inet_pton(AF_INET, node, local[0].bytes) == 1) {
    local[0].family = AF_INET;
    entries = local;
    count = 1;
  } else if (inet_pton(AF_INET6, node, local[0].bytes) == 1) {
    local[0].family = AF_INET6;
    entries = local;
    count = 1;
  } else if (strcmp(node, "localhost") == 0) {
    local[0].family = AF_INET6;
    local[0].bytes[15] = 1;
    local[1].family = AF_INET;
    local[1].bytes[0] = 127;
    local[1].bytes[3] = 1;
    entries = local;
    count = 2;
  } else {
    fuzz__fake_calls++;
    if (fuzz__eai != 0) {
      if (fuzz__eai == EAI_SYSTEM)
        errno = EIO;
      return fuzz__eai;
    }
    entries = fuzz__entries;
    count = fuzz__nentries;
  }
  b = calloc(1, sizeof(*b));
  if (b == NULL)
    return EAI_MEMORY;
  for (i = 0; i < count; i++)
    if (family == AF_UNSPEC || entries[i].family == family)
      fuzz__gai_add(b, &n, &entries[i]);
  if (n == 0) {
    free(b);
    return EAI_NONAME;
  }
  *res = &b->ai[0];
  return 0;
}

void freeaddrinfo(struct addrinfo *ai) {
  /* ai is &block->ai[0], the block's first member. */
  free(ai);
}

/* ---- Loopback endpoints ---------------------------------------------------- */

static int fuzz__fds[FUZZ_NPORTS] = {-1, -1, -1, -1, -1};
static uint16_t fuzz__ports[FUZZ_NPORTS];
static const uint8_t fuzz__families[FUZZ_NPORTS] = {
    WASISOCK_AF_INET, WASISOCK_AF_INET6, WASISOCK_AF_INET, WASISOCK_AF_INET,
    WASISOCK_AF_INET6};

static int fuzz__open(fuzz_port_kind_t k, uint16_t *port) {
  struct sockaddr_storage ss;
  socklen_t len;
  int v6 = fuzz__families[k] == WASISOCK_AF_INET6;
  int dgram = k == FUZZ_UDP_SINK4 || k == FUZZ_UDP_SINK6;
  int fd;

  memset(&ss, 0, sizeof(ss));
  if (v6) {
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
    sin6->sin6_family = AF_INET6;
    sin6->sin6_addr = in6addr_loopback;
    len = sizeof(*sin6);
  } else {
    struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
    sin->sin_family = AF_INET;
    sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    len = sizeof(*sin);
  }
  fd = socket(v6 ? AF_INET6 : AF_INET,
              (dgram ? SOCK_DGRAM : SOCK_STREAM) | SOCK_NONBLOCK | SOCK_CLOEXEC,
              0);
  if (fd < 0 || bind(fd, (struct sockaddr *)&ss, len) != 0 ||
      ((k == FUZZ_TCP_LISTEN4 || k == FUZZ_TCP_LISTEN6) &&
       listen(fd, 64) != 0) ||
      getsockname(fd, (struct sockaddr *)&ss, &len) != 0) {
    perror("fuzz-net: loopback endpoint");
    abort();
  }
  *port = ntohs(v6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                   : ((struct sockaddr_in *)&ss)->sin_port);
  return fd;
}

void fuzz_net_init(void) {
  int k;

  if (fuzz__fds[0] != -1)
    return;
  for (k = 0; k < FUZZ_NPORTS; k++)
    fuzz__fds[k] = fuzz__open((fuzz_port_kind_t)k, &fuzz__ports[k]);
}

uint16_t fuzz_net_port(fuzz_port_kind_t k) {
  fuzz_net_init();
  return fuzz__ports[k];
}

uint8_t fuzz_net_family(fuzz_port_kind_t k) { return fuzz__families[k]; }

void fuzz_net_drain(void) {
  static char buf[65536];
  int fd;

  if (fuzz__fds[0] == -1)
    return;
  while ((fd = accept4(fuzz__fds[FUZZ_TCP_LISTEN4], NULL, NULL, 0)) >= 0)
    close(fd);
  while ((fd = accept4(fuzz__fds[FUZZ_TCP_LISTEN6], NULL, NULL, 0)) >= 0)
    close(fd);
  while (recv(fuzz__fds[FUZZ_UDP_SINK4], buf, sizeof(buf), 0) >= 0)
    ;
  while (recv(fuzz__fds[FUZZ_UDP_SINK6], buf, sizeof(buf), 0) >= 0)
    ;
}

int fuzz_addr_is_loopback(const wasisock_addr_t *a) {
  static const uint8_t v6[16] = {0, 0, 0, 0, 0, 0, 0, 0,
                                 0, 0, 0, 0, 0, 0, 0, 1};

  if (a->family == WASISOCK_AF_INET)
    return a->bytes[0] == 127;
  if (a->family == WASISOCK_AF_INET6)
    return memcmp(a->bytes, v6, 16) == 0;
  return 0;
}
