/* The 19-byte address record: byte-exact encode/decode (wasisock_abi.h). */
#include "helpers.h"

#include <string.h>

static void test_addr_ipv4_encode(void **state) {
  static const uint8_t want[WASISOCK_ADDR_SIZE] = {
      WASISOCK_AF_INET, 0x1f, 0x90, 192, 0, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0};
  uint8_t out[WASISOCK_ADDR_SIZE + 2];
  wasisock_addr_t a;
  (void)state;

  memset(&a, 0xEE, sizeof(a)); /* garbage past the 4 IPv4 bytes */
  a.family = WASISOCK_AF_INET;
  a.port = 8080; /* 0x1f90: big-endian at offset 1 */
  a.bytes[0] = 192; a.bytes[1] = 0; a.bytes[2] = 2; a.bytes[3] = 1;
  memset(out, 0xCC, sizeof(out));
  wasisock_addr_write(out, &a);
  assert_memory_equal(out, want, WASISOCK_ADDR_SIZE);
  assert_int_equal(out[WASISOCK_ADDR_SIZE], 0xCC); /* exactly 19 bytes */
  assert_int_equal(out[WASISOCK_ADDR_SIZE + 1], 0xCC);
}

static void test_addr_ipv6_roundtrip(void **state) {
  uint8_t rec[WASISOCK_ADDR_SIZE];
  wasisock_addr_t a, b;
  int i;
  (void)state;

  a.family = WASISOCK_AF_INET6;
  a.port = 0xABCD;
  for (i = 0; i < 16; i++)
    a.bytes[i] = (uint8_t)(0x20 + i);
  wasisock_addr_write(rec, &a);
  assert_int_equal(rec[0], WASISOCK_AF_INET6);
  assert_int_equal(rec[1], 0xAB);
  assert_int_equal(rec[2], 0xCD);
  for (i = 0; i < 16; i++)
    assert_int_equal(rec[3 + i], 0x20 + i);
  assert_int_equal(wasisock_addr_read(rec, &b), WASISOCK_OK);
  assert_int_equal(b.family, WASISOCK_AF_INET6);
  assert_int_equal(b.port, 0xABCD);
  assert_memory_equal(b.bytes, a.bytes, 16);
}

static void test_addr_ipv4_decode_ignores_padding(void **state) {
  uint8_t rec[WASISOCK_ADDR_SIZE];
  wasisock_addr_t b;
  int i;
  (void)state;

  memset(rec, 0x77, sizeof(rec)); /* non-zero padding is ignored */
  rec[0] = WASISOCK_AF_INET;
  rec[1] = 0x00;
  rec[2] = 0x50;
  rec[3] = 10; rec[4] = 1; rec[5] = 2; rec[6] = 3;
  assert_int_equal(wasisock_addr_read(rec, &b), WASISOCK_OK);
  assert_int_equal(b.port, 80);
  assert_int_equal(b.bytes[0], 10);
  assert_int_equal(b.bytes[3], 3);
  for (i = 4; i < 16; i++)
    assert_int_equal(b.bytes[i], 0);
}

static void test_addr_unknown_family(void **state) {
  static const uint8_t fams[] = {WASISOCK_AF_UNSPEC, 3, 10, 0xFF};
  uint8_t rec[WASISOCK_ADDR_SIZE];
  wasisock_addr_t b;
  size_t i;
  int j;
  (void)state;

  for (i = 0; i < sizeof(fams); i++) {
    memset(rec, 0x42, sizeof(rec));
    rec[0] = fams[i];
    assert_int_equal(wasisock_addr_read(rec, &b), WASISOCK_EAFNOSUPPORT);
    assert_int_equal(b.family, fams[i]);
    for (j = 0; j < 16; j++)
      assert_int_equal(b.bytes[j], 0);
  }
  assert_int_equal(wasisock_addr_bytes_len(WASISOCK_AF_INET), 4);
  assert_int_equal(wasisock_addr_bytes_len(WASISOCK_AF_INET6), 16);
  assert_int_equal(wasisock_addr_bytes_len(0), 0);
}

static void test_addr_u32_little_endian(void **state) {
  uint8_t b[4];
  (void)state;
  wasisock_u32_write(b, 0x11223344u);
  assert_int_equal(b[0], 0x44);
  assert_int_equal(b[3], 0x11);
  assert_int_equal(wasisock_u32_read(b), 0x11223344u);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_addr_ipv4_encode),
      cmocka_unit_test(test_addr_ipv6_roundtrip),
      cmocka_unit_test(test_addr_ipv4_decode_ignores_padding),
      cmocka_unit_test(test_addr_unknown_family),
      cmocka_unit_test(test_addr_u32_little_endian),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
