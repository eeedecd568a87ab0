/* Connecting to a port nobody listens on: ECONNREFUSED.  The port is held
 * by a bound, non-listening socket so no other process can take it. */
#include "helpers.h"

#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static uint16_t bound_not_listening(int family, int *fd) {
  struct sockaddr_storage ss;
  socklen_t len;

  memset(&ss, 0, sizeof(ss));
  if (family == AF_INET) {
    struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
    sin->sin_family = AF_INET;
    sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    len = sizeof(*sin);
  } else {
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
    sin6->sin6_family = AF_INET6;
    sin6->sin6_addr = in6addr_loopback;
    len = sizeof(*sin6);
  }
  *fd = socket(family, SOCK_STREAM, 0);
  assert_true(*fd >= 0);
  assert_int_equal(bind(*fd, (struct sockaddr *)&ss, len), 0);
  len = sizeof(ss);
  assert_int_equal(getsockname(*fd, (struct sockaddr *)&ss, &len), 0);
  return ntohs(family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
                                 : ((struct sockaddr_in6 *)&ss)->sin6_port);
}

static void refused(void **state, int family) {
  wasisock_t *h = th_host(state);
  wasisock_addr_t addr;
  th_arena_t *a = th_arena(state);
  uint32_t k;
  int fd;

  th_loopback_addr(family, bound_not_listening(family, &fd), &addr);
  wasisock_addr_write(th_at(a, TH_ADDR), &addr);
  k = th_open(h, a, family, SOCK_STREAM);
  assert_int_equal(wasisock_sock_connect(h, &a->mem, k, TH_ADDR),
                   WASISOCK_ECONNREFUSED);
  th_close(h, a, k);
  close(fd);
}

static void test_tcp_refused_ipv4(void **state) {
  refused(state, AF_INET);
}

static void test_tcp_refused_ipv6(void **state) {
  if (!th_loopback_available(AF_INET6)) {
    printf("skipped: this machine has no ::1\n");
    skip();
  }
  refused(state, AF_INET6);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      th_unit_test(test_tcp_refused_ipv4, 4096),
      th_unit_test(test_tcp_refused_ipv6, 4096),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
