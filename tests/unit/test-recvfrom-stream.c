/* sock_recv_from on TCP: the address record is "no address" (family 0, all
 * zero), MSG_PEEK leaves the bytes queued, MSG_WAITALL waits for the whole
 * buffer (or end of stream), buf_len 0 is 0 at once. */
#include "helpers.h"

#include <string.h>
#include <unistd.h>

static const uint8_t zero19[WASISOCK_ADDR_SIZE];

static void test_recvfrom_stream_no_address(void **state) {
  wasisock_t *h = th_host(state);
  wasisock_addr_t addr;
  th_arena_t *a = th_arena(state);
  uint32_t k;
  int fd;

  th_tcp_pair(h, a, AF_INET, &k, &fd);
  th_fd_write_all(fd, (const uint8_t *)"stream", 6);
  memset(th_at(a, TH_ADDR), 0xEE, WASISOCK_ADDR_SIZE);
  assert_int_equal(wasisock_sock_recv_from(h, &a->mem, k, TH_DATA, 100, 0,
                                           TH_ADDR, TH_OUT),
                   WASISOCK_OK);
  assert_int_equal(th_u32(a, TH_OUT), 6);
  assert_memory_equal(th_at(a, TH_DATA), "stream", 6);
  assert_int_equal(th_at(a, TH_ADDR)[0], WASISOCK_AF_UNSPEC);
  assert_memory_equal(th_at(a, TH_ADDR), zero19, WASISOCK_ADDR_SIZE);
  /* The guest decoder calls it what it is. */
  assert_int_equal(wasisock_addr_read(th_at(a, TH_ADDR), &addr),
                   WASISOCK_EAFNOSUPPORT);
  /* buf_len 0: at once, nothing to wait for. */
  memset(th_at(a, TH_ADDR), 0xEE, WASISOCK_ADDR_SIZE);
  assert_int_equal(
      wasisock_sock_recv_from(h, &a->mem, k, TH_DATA, 0, 0, TH_ADDR, TH_OUT),
      WASISOCK_OK);
  assert_int_equal(th_u32(a, TH_OUT), 0);
  assert_memory_equal(th_at(a, TH_ADDR), zero19, WASISOCK_ADDR_SIZE);
  /* End of stream: 0. */
  close(fd);
  assert_int_equal(wasisock_sock_recv_from(h, &a->mem, k, TH_DATA, 100, 0,
                                           TH_ADDR, TH_OUT),
                   WASISOCK_OK);
  assert_int_equal(th_u32(a, TH_OUT), 0);
  th_close(h, a, k);
}

static void test_recvfrom_stream_peek(void **state) {
  wasisock_t *h = th_host(state);
  th_arena_t *a = th_arena(state);
  uint32_t k;
  int fd, i;

  th_tcp_pair(h, a, AF_INET, &k, &fd);
  th_fd_write_all(fd, (const uint8_t *)"peekaboo", 8);
  for (i = 0; i < 2; i++) {
    assert_int_equal(wasisock_sock_recv_from(h, &a->mem, k, TH_DATA, 4,
                                             WASISOCK_MSG_PEEK, TH_ADDR,
                                             TH_OUT),
                     WASISOCK_OK);
    assert_int_equal(th_u32(a, TH_OUT), 4);
    assert_memory_equal(th_at(a, TH_DATA), "peek", 4);
  }
  assert_int_equal(th_recv(h, a, k, TH_DATA, 100), 8);
  assert_memory_equal(th_at(a, TH_DATA), "peekaboo", 8);
  close(fd);
  th_close(h, a, k);
}

typedef struct {
  int fd;
} writer_t;

/* Sends the rest of the message in two parts, 30 ms apart, then closes. */
static void *late_writer(void *p) {
  writer_t *w = p;
  th_sleep_ms(30);
  th_fd_write_all(w->fd, (const uint8_t *)"-middle-", 8);
  th_sleep_ms(30);
  th_fd_write_all(w->fd, (const uint8_t *)"end", 3);
  return NULL;
}

static void test_recvfrom_stream_waitall(void **state) {
  wasisock_t *h = th_host(state);
  pthread_t t;
  writer_t w;
  th_arena_t *a = th_arena(state);
  uint32_t k;
  int fd;

  th_tcp_pair(h, a, AF_INET, &k, &fd);
  th_fd_write_all(fd, (const uint8_t *)"begin", 5);
  w.fd = fd;
  assert_int_equal(pthread_create(&t, NULL, late_writer, &w), 0);
  /* 5 + 8 + 3: all of it, in one call, across three arrivals. */
  assert_int_equal(wasisock_sock_recv_from(h, &a->mem, k, TH_DATA, 16,
                                           WASISOCK_MSG_WAITALL, TH_ADDR,
                                           TH_OUT),
                   WASISOCK_OK);
  assert_int_equal(th_u32(a, TH_OUT), 16);
  assert_memory_equal(th_at(a, TH_DATA), "begin-middle-end", 16);
  assert_int_equal(pthread_join(t, NULL), 0);
  /* End of stream cuts WAITALL short: what arrived. */
  th_fd_write_all(fd, (const uint8_t *)"tail", 4);
  close(fd);
  assert_int_equal(wasisock_sock_recv_from(h, &a->mem, k, TH_DATA, 100,
                                           WASISOCK_MSG_WAITALL, TH_ADDR,
                                           TH_OUT),
                   WASISOCK_OK);
  assert_int_equal(th_u32(a, TH_OUT), 4);
  th_close(h, a, k);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      th_unit_test(test_recvfrom_stream_no_address, 4096),
      th_unit_test(test_recvfrom_stream_peek, 4096),
      th_unit_test(test_recvfrom_stream_waitall, 4096),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
