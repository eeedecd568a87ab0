/*
 * wasitest — one guest, many small probes of the runner and the adapter.
 *
 *   wasitest.wasm argv ARG...        print each argument on its own line
 *   wasitest.wasm env NAME...        print NAME=value or NAME unset
 *   wasitest.wasm cat PATH           copy a (preopened) file to stdout
 *   wasitest.wasm exit N             exit with status N
 *   wasitest.wasm trap               execute `unreachable`
 *   wasitest.wasm abi                print the host's ABI revision
 *   wasitest.wasm errors             probe guest-visible error codes
 *   wasitest.wasm grow HOST PORT     echo round trips across memory.grow
 *   wasitest.wasm bench N            time N sock_abi_version calls
 *   wasitest.wasm connect HOST PORT...  one echo round trip per port:
 *                                    "HOST:PORT ok" or "HOST:PORT ERRNO"
 *   wasitest.wasm quota HOST PORT    open sockets until refused, close one,
 *                                    open again, echo round trip
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wasisock.h"

static int fail(const char *what) {
  int err = errno;
  fprintf(stderr, "wasitest: %s: %s (%s)\n", what, wasisock_errno_name(err),
          strerror(err));
  return 1;
}

static int cmd_cat(const char *path) {
  char buf[4096];
  size_t n;
  FILE *f = fopen(path, "rb");
  if (f == NULL) return fail(path);
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) fwrite(buf, 1, n, stdout);
  fclose(f);
  return 0;
}

/* Each line: the probe, then the errno name it produced. */
static int cmd_errors(void) {
  char b[8];
  wasisock_addr_t a;
  uint32_t got = 0;
  int h;
  printf("send_bad_handle %s\n",
         wasisock_send(4242, "x", 1) < 0 ? wasisock_errno_name(errno) : "ok");
  printf("close_bad_handle %s\n",
         wasisock_close(4242) < 0 ? wasisock_errno_name(errno) : "ok");
  printf("socket_bad_family %s\n",
         wasisock_socket(77, WASISOCK_SOCK_STREAM) < 0
             ? wasisock_errno_name(errno) : "ok");
  printf("socket_bad_type %s\n",
         wasisock_socket(WASISOCK_AF_INET, 99) < 0 ? wasisock_errno_name(errno)
                                                   : "ok");
  printf("resolve_empty %s\n", wasisock_resolve("", 80, &a, 1) < 0
                                   ? wasisock_errno_name(errno) : "ok");
  printf("resolve_numeric %s\n",
         wasisock_resolve("192.0.2.7", 8080, &a, 1) == 1 &&
                 wasisock_addr_format(&a, b, sizeof b) == NULL
             ? wasisock_errno_name(errno) : "unexpected");
  /* A pointer past the end of memory: the host must answer EFAULT. */
  h = wasisock_socket(WASISOCK_AF_INET, WASISOCK_SOCK_STREAM);
  if (h < 0) return fail("socket");
  printf("recv_efault %s\n",
         __wasisock_sock_recv((uint32_t)h, (uint8_t *)(uintptr_t)0xfffffff0u,
                              64, &got) == WASISOCK_EFAULT ? "EFAULT" : "other");
  printf("recv_unconnected %s\n",
         wasisock_recv(h, b, sizeof b) < 0 ? wasisock_errno_name(errno) : "ok");
  wasisock_close(h);
  return 0;
}

/* Round trips through an echo server with the buffers first in low memory,
 * then in memory added by growing the heap after the host last saw it: the
 * adapter must use the grown memory, not a stale view. */
static int cmd_grow(const char *host, const char *port) {
  static char small[64];
  const size_t big = 48u << 20;
  char *p, *msg, *echo;
  size_t pages_before = __builtin_wasm_memory_size(0), got = 0;
  int h = wasisock_tcp_connect(host, (uint16_t)strtoul(port, NULL, 10));
  if (h < 0) return fail("connect");
  if (wasisock_send_all(h, "before", 6) < 0) return fail("send");
  while (got < 6) {
    ssize_t n = wasisock_recv(h, small + got, 6 - got);
    if (n <= 0) return fail("recv");
    got += (size_t)n;
  }
  p = malloc(big);
  if (p == NULL) return fail("malloc");
  memset(p, 0xa5, big);
  msg = p + big - 4096; /* surely in the new pages */
  echo = p + big - 2048;
  strcpy(msg, "after growing");
  if (wasisock_send_all(h, msg, strlen(msg)) < 0) return fail("send");
  for (got = 0; got < strlen(msg);) {
    ssize_t n = wasisock_recv(h, echo + got, strlen(msg) - got);
    if (n <= 0) return fail("recv");
    got += (size_t)n;
  }
  wasisock_close(h);
  printf("%.6s | %.*s | grew %zu -> %zu pages\n", small, (int)got, echo,
         pages_before, (size_t)__builtin_wasm_memory_size(0));
  return 0;
}

/* One round trip through an echo server: 0 or -1 with errno. */
static int echo_once(const char *host, uint16_t port, int *h_out) {
  char msg[32], back[32];
  size_t len, got = 0;
  int h = wasisock_tcp_connect(host, port);
  if (h < 0) return -1;
  len = (size_t)snprintf(msg, sizeof msg, "ping %u", (unsigned)port);
  if (wasisock_send_all(h, msg, len) < 0) goto fail;
  while (got < len) {
    ssize_t n = wasisock_recv(h, back + got, len - got);
    if (n < 0) goto fail;
    if (n == 0) { errno = ECONNRESET; goto fail; }
    got += (size_t)n;
  }
  if (memcmp(msg, back, len) != 0) { errno = EIO; goto fail; }
  if (h_out != NULL) *h_out = h;
  else wasisock_close(h);
  return 0;
fail:
  {
    int err = errno;
    wasisock_close(h);
    errno = err;
  }
  return -1;
}

static int cmd_connect(const char *host, int nports, char **ports) {
  int i;
  for (i = 0; i < nports; i++) {
    uint16_t port = (uint16_t)strtoul(ports[i], NULL, 10);
    if (echo_once(host, port, NULL) == 0)
      printf("%s:%u ok\n", host, (unsigned)port);
    else
      printf("%s:%u %s\n", host, (unsigned)port, wasisock_errno_name(errno));
    fflush(stdout);
  }
  return 0;
}

/* Fills the socket quota, then shows the instance still works. */
static int cmd_quota(const char *host, const char *port_s) {
  uint16_t port = (uint16_t)strtoul(port_s, NULL, 10);
  int hs[4096], n = 0, h, i;
  while (n < 4096) {
    h = wasisock_socket(WASISOCK_AF_INET, WASISOCK_SOCK_STREAM);
    if (h < 0) break;
    hs[n++] = h;
  }
  if (n == 4096) return fail("no limit");
  printf("opened %d, then %s\n", n, wasisock_errno_name(errno));
  if (n == 0) return 1;
  if (wasisock_close(hs[n - 1]) < 0) return fail("close");
  h = wasisock_socket(WASISOCK_AF_INET, WASISOCK_SOCK_STREAM);
  if (h < 0) return fail("socket after close");
  printf("closed one, opened another\n");
  if (wasisock_close(h) < 0) return fail("close");
  /* The freed slot again, for a real connection. */
  if (echo_once(host, port, &h) < 0) return fail("echo");
  printf("echo ok\n");
  wasisock_close(h);
  for (i = 0; i < n - 1; i++) wasisock_close(hs[i]);
  return 0;
}

static int cmd_bench(unsigned long n) {
  struct timespec t0, t1;
  uint32_t rev = 0;
  unsigned long i;
  double ns;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (i = 0; i < n; i++) {
    if (__wasisock_sock_abi_version(&rev) != 0) return fail("sock_abi_version");
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  ns = (double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec);
  printf("sock_abi_version: %lu calls, %.1f ns/call (revision %u)\n", n,
         ns / (double)n, (unsigned)rev);
  return 0;
}

int main(int argc, char **argv) {
  const char *cmd = argc > 1 ? argv[1] : "";
  int i;
  if (strcmp(cmd, "argv") == 0) {
    for (i = 2; i < argc; i++) printf("%s\n", argv[i]);
    return 0;
  }
  if (strcmp(cmd, "env") == 0) {
    for (i = 2; i < argc; i++) {
      const char *v = getenv(argv[i]);
      if (v) printf("%s=%s\n", argv[i], v);
      else printf("%s unset\n", argv[i]);
    }
    return 0;
  }
  if (strcmp(cmd, "cat") == 0 && argc == 3) return cmd_cat(argv[2]);
  if (strcmp(cmd, "exit") == 0 && argc == 3) {
    fflush(stdout);
    exit(atoi(argv[2]));
  }
  if (strcmp(cmd, "trap") == 0) __builtin_trap();
  if (strcmp(cmd, "abi") == 0) {
    int rev = wasisock_abi_revision();
    if (rev < 0) return fail("abi");
    printf("revision %d\n", rev);
    return 0;
  }
  if (strcmp(cmd, "errors") == 0) return cmd_errors();
  if (strcmp(cmd, "grow") == 0 && argc == 4) return cmd_grow(argv[2], argv[3]);
  if (strcmp(cmd, "bench") == 0 && argc == 3)
    return cmd_bench(strtoul(argv[2], NULL, 10));
  if (strcmp(cmd, "connect") == 0 && argc >= 4)
    return cmd_connect(argv[2], argc - 3, argv + 3);
  if (strcmp(cmd, "quota") == 0 && argc == 4) return cmd_quota(argv[2], argv[3]);
  fprintf(stderr, "usage: wasitest argv|env|cat|exit|trap|abi|errors|grow|bench|connect|quota ...\n");
  return 2;
}
