/* Names under .invalid (RFC 6761) are ENOENT at once, without the network:
 * the host answers them itself. */
#include "helpers.h"

#include <string.h>
#include <time.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_resolve_invalid_enoent_fast(void **state) {
  static const char *names[] = {"nonexistent.invalid", "a->b.INVALID",
                                "host.Invalid.", "invalid", "invalid."};
  wasisock_t *h = th_host(state);
  th_arena_t *a = th_arena(state);
  double t0, t;
  size_t i;

  for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
    uint32_t n = (uint32_t)strlen(names[i]);
    memcpy(th_at(a, TH_NAME), names[i], n);
    t0 = now();
    assert_int_equal(
        wasisock_sock_resolve(h, &a->mem, TH_NAME, n, 80, TH_DATA, 4, TH_OUT),
        WASISOCK_ENOENT);
    t = now() - t0;
    assert_true(t < 0.5); /* no DNS round trip */
    /* Nothing written. */
    assert_int_equal(th_at(a, TH_OUT)[0], TH_FILL_BYTE);
    assert_int_equal(th_at(a, TH_DATA)[0], TH_FILL_BYTE);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      th_unit_test(test_resolve_invalid_enoent_fast, 65536),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
