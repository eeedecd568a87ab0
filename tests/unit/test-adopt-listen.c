/* wasisock_listen_open + wasisock_adopt, the host side of `--listen`: a
 * socket the runner opened with its own rights serves the guest even under
 * "default deny"; the instance owns it afterwards; what the guest does with
 * it is still the policy's (a UDP reply is a send_to like any other). */
#include "helpers.h"
#include "policy-helpers.h"

#include <fcntl.h>

static const char *const deny_all[] = {"default deny", NULL};

static void test_adopt_tcp_listener_under_deny_all(void **state) {
  wasisock_policy_t *p = tp_policy(deny_all);
  tp_recorder_t rec = {0};
  wasisock_t *h = tp_new(p, &rec, 0);
  wasisock_listener_t l;
  wasisock_addr_t local;
  char err[256];
  uint32_t handle, k;
  uint8_t buf[4];
  th_arena_t a;
  int c;
  (void)state;

  th_arena_init(&a, 4096);
  assert_int_equal(wasisock_listen_open("127.0.0.1:0", &l, err, sizeof(err)),
                   WASISOCK_OK);
  assert_int_equal(l.socktype, WASISOCK_SOCK_STREAM);
  assert_int_equal(l.local.family, WASISOCK_AF_INET);
  assert_int_not_equal(l.local.port, 0);
  assert_int_equal(fcntl(l.fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
  assert_int_equal(wasisock_adopt(h, l.fd, &handle), WASISOCK_OK);
  assert_int_equal(fcntl(l.fd, F_GETFL) & O_NONBLOCK, O_NONBLOCK);
  /* The guest sees the listener as its own. */
  th_local_addr(h, &a, handle, &local);
  assert_int_equal(local.port, l.local.port);
  assert_int_equal(
      th_getsockopt(h, &a, handle, WASISOCK_SOL_SOCKET, WASISOCK_SO_ACCEPTCONN),
      1);
  assert_int_equal(
      th_getsockopt(h, &a, handle, WASISOCK_SOL_SOCKET, WASISOCK_SO_TYPE),
      WASISOCK_SOCK_STREAM);
  assert_int_equal(wasisock_sock_get_timeout(h, &a.mem, handle, TH_OUT),
                   WASISOCK_OK);
  assert_int_equal(th_u32(&a, TH_OUT), WASISOCK_TIMEOUT_NONE);

  /* A native client; the guest accepts and talks: no policy question. */
  c = th_native_connect(AF_INET, l.local.port, NULL);
  assert_int_equal(wasisock_sock_accept(h, &a.mem, handle, TH_OUT, TH_ADDR),
                   WASISOCK_OK);
  k = th_u32(&a, TH_OUT);
  memcpy(th_at(&a, TH_DATA), "pong", 4);
  th_send_all(h, &a, k, TH_DATA, 4);
  assert_int_equal(recv(c, buf, 4, MSG_WAITALL), 4);
  assert_memory_equal(buf, "pong", 4);
  assert_int_equal(rec.count, 0);

  /* The instance owns the fd: sock_close closes it. */
  th_close(h, &a, k);
  th_close(h, &a, handle);
  assert_int_equal(fcntl(l.fd, F_GETFD), -1);
  close(c);
  th_arena_free(&a);
  wasisock_free(h);
  wasisock_policy_free(p);
}

/* UDP: received under deny-all; the reply is a send_to the policy checks. */
static void test_adopt_udp_socket(void **state) {
  static const char *const rules[] = {"allow connect 127.0.0.1", "default deny",
                                      NULL};
  wasisock_policy_t *deny = tp_policy(deny_all), *reply = tp_policy(rules);
  wasisock_t *hosts[2];
  wasisock_policy_t *policies[2] = {deny, reply};
  tp_recorder_t rec[2] = {{0}, {0}};
  struct sockaddr_in to;
  wasisock_addr_t from;
  wasisock_listener_t l;
  uint32_t handle;
  th_arena_t a;
  uint8_t buf[8];
  int i, c;
  (void)state;

  th_arena_init(&a, 4096);
  for (i = 0; i < 2; i++) {
    hosts[i] = tp_new(policies[i], &rec[i], 0);
    assert_int_equal(wasisock_listen_open("udp:127.0.0.1:0", &l, NULL, 0),
                     WASISOCK_OK);
    assert_int_equal(l.socktype, WASISOCK_SOCK_DGRAM);
    assert_int_equal(wasisock_adopt(hosts[i], l.fd, &handle), WASISOCK_OK);

    c = socket(AF_INET, SOCK_DGRAM, 0);
    memset(&to, 0, sizeof(to));
    to.sin_family = AF_INET;
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    to.sin_port = htons(l.local.port);
    assert_int_equal(
        sendto(c, "ping", 4, 0, (struct sockaddr *)&to, sizeof(to)), 4);
    assert_int_equal(wasisock_sock_recv_from(hosts[i], &a.mem, handle, TH_DATA,
                                             8, 0, TH_ADDR, TH_OUT),
                     WASISOCK_OK);
    assert_int_equal(th_u32(&a, TH_OUT), 4);
    assert_memory_equal(th_at(&a, TH_DATA), "ping", 4);
    assert_int_equal(wasisock_addr_read(th_at(&a, TH_ADDR), &from),
                     WASISOCK_OK);
    /* The reply goes back to the sender's address. */
    assert_int_equal(wasisock_sock_send_to(hosts[i], &a.mem, handle, TH_DATA, 4,
                                           0, TH_ADDR, TH_OUT),
                     i == 0 ? WASISOCK_EACCES : WASISOCK_OK);
    assert_int_equal(rec[i].count, i == 0 ? 1 : 0);
    if (i == 1) {
      assert_int_equal(recv(c, buf, sizeof(buf), 0), 4);
      assert_memory_equal(buf, "ping", 4);
    }
    close(c);
    wasisock_free(hosts[i]); /* closes the adopted socket */
    wasisock_policy_free(policies[i]);
  }
  th_arena_free(&a);
}

/* IPv6 and "*": one socket for every address. */
static void test_listen_open_ipv6_and_any(void **state) {
  wasisock_listener_t l;
  char err[256];
  int c;
  (void)state;

  assert_int_equal(wasisock_listen_open("*:0", &l, err, sizeof(err)),
                   WASISOCK_OK);
  c = th_native_connect(AF_INET, l.local.port, NULL);
  close(c);
  close(l.fd);
  assert_int_equal(wasisock_listen_open("localhost:0", &l, err, sizeof(err)),
                   WASISOCK_OK);
  close(l.fd);
  if (!th_loopback_available(AF_INET6))
    skip();
  assert_int_equal(wasisock_listen_open("tcp:[::1]:0", &l, err, sizeof(err)),
                   WASISOCK_OK);
  assert_int_equal(l.local.family, WASISOCK_AF_INET6);
  c = th_native_connect(AF_INET6, l.local.port, NULL);
  close(c);
  close(l.fd);
}

/* Bad specs: EINVAL and a message naming the spec; a port in use:
 * EADDRINUSE. */
static void test_listen_open_errors(void **state) {
  static const char *const bad[] = {
      "",
      "127.0.0.1",
      "127.0.0.1:",
      ":80",
      "::1:80",
      "[::1]80",
      "[::1:80",
      "127.0.0.1:65536",
      "127.0.0.1:-1",
      "127.0.0.1:8x",
      "udp:",
      "sctp:127.0.0.1:80",
  };
  wasisock_listener_t l, l2;
  char err[256], spec[64];
  size_t i;
  (void)state;

  for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    err[0] = 'x';
    if (wasisock_listen_open(bad[i], &l, err, sizeof(err)) != WASISOCK_EINVAL)
      fail_msg("\"%s\" was not EINVAL", bad[i]);
    if (strncmp(err, bad[i], strlen(bad[i])) != 0 ||
        strlen(err) < strlen(bad[i]) + 3)
      fail_msg("\"%s\": message \"%s\"", bad[i], err);
  }
  assert_int_equal(wasisock_listen_open(NULL, &l, err, sizeof(err)),
                   WASISOCK_EINVAL);
  assert_int_equal(wasisock_listen_open("127.0.0.1:0", NULL, err, sizeof(err)),
                   WASISOCK_EINVAL);

  assert_int_equal(wasisock_listen_open("127.0.0.1:0", &l, err, sizeof(err)),
                   WASISOCK_OK);
  snprintf(spec, sizeof(spec), "127.0.0.1:%u", (unsigned)l.local.port);
  assert_int_equal(wasisock_listen_open(spec, &l2, err, sizeof(err)),
                   WASISOCK_EADDRINUSE);
  assert_non_null(strstr(err, "bind"));
  /* A message cut short is still terminated. */
  assert_int_equal(wasisock_listen_open(spec, &l2, err, 5),
                   WASISOCK_EADDRINUSE);
  assert_int_equal(strlen(err), 4);
  close(l.fd);
}

/* What wasisock_adopt refuses leaves the caller's fd as it was. */
static void test_adopt_errors(void **state) {
  wasisock_t *h = th_new(1);
  wasisock_listener_t l;
  uint32_t handle = 7;
  th_arena_t a;
  int fds[2], u;
  (void)state;

  th_arena_init(&a, 4096);
  assert_int_equal(wasisock_listen_open("127.0.0.1:0", &l, NULL, 0),
                   WASISOCK_OK);
  assert_int_equal(wasisock_adopt(NULL, l.fd, &handle), WASISOCK_EINVAL);
  assert_int_equal(wasisock_adopt(h, l.fd, NULL), WASISOCK_EINVAL);
  assert_int_equal(wasisock_adopt(h, -1, &handle), WASISOCK_EINVAL);
  assert_int_equal(pipe(fds), 0);
  assert_int_equal(wasisock_adopt(h, fds[0], &handle), WASISOCK_ENOTSOCK);
  close(fds[0]);
  assert_int_equal(wasisock_adopt(h, fds[0], &handle), WASISOCK_EBADF);
  close(fds[1]);
  u = socket(AF_UNIX, SOCK_STREAM, 0);
  assert_int_equal(wasisock_adopt(h, u, &handle), WASISOCK_EAFNOSUPPORT);
  close(u);
  assert_int_equal(handle, 7);

  /* At the socket limit: EMFILE, and the fd is untouched (still blocking). */
  (void)th_open(h, &a, AF_INET, SOCK_STREAM);
  assert_int_equal(wasisock_adopt(h, l.fd, &handle), WASISOCK_EMFILE);
  assert_int_equal(fcntl(l.fd, F_GETFL) & O_NONBLOCK, 0);
  assert_int_not_equal(fcntl(l.fd, F_GETFD), -1);
  close(l.fd);
  th_arena_free(&a);
  wasisock_free(h);
}

/* The policy's max-buffer holds for an adopted socket too. */
static void test_adopt_max_buffer(void **state) {
  static const char *const rules[] = {"max-buffer 16k", NULL};
  wasisock_policy_t *p = tp_policy(rules);
  wasisock_t *h = tp_new(p, NULL, 0);
  wasisock_listener_t l;
  uint32_t handle;
  th_arena_t a;
  (void)state;

  th_arena_init(&a, 4096);
  assert_int_equal(wasisock_listen_open("127.0.0.1:0", &l, NULL, 0),
                   WASISOCK_OK);
  assert_int_equal(wasisock_adopt(h, l.fd, &handle), WASISOCK_OK);
  /* Linux reports twice what was set. */
  assert_int_equal(
      th_getsockopt(h, &a, handle, WASISOCK_SOL_SOCKET, WASISOCK_SO_RCVBUF),
      2 * 16384);
  th_arena_free(&a);
  wasisock_free(h);
  wasisock_policy_free(p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_adopt_tcp_listener_under_deny_all),
      cmocka_unit_test(test_adopt_udp_socket),
      cmocka_unit_test(test_listen_open_ipv6_and_any),
      cmocka_unit_test(test_listen_open_errors),
      cmocka_unit_test(test_adopt_errors),
      cmocka_unit_test(test_adopt_max_buffer),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
