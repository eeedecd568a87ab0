/* Every row of wasisock_import_table(), every guest pointer argument,
 * out-of-range values: EFAULT and no effect.  The table below says where
 * each import's pointers are; an import without an entry fails the test, so
 * a new row in WASISOCK_IMPORT_LIST cannot skip this sweep. */
#include "helpers.h"

#include <stdlib.h>
#include <string.h>

#define L 8192u
#define HANDLE 0xFFFFFF01u /* placeholder: replaced by an open handle */
#define NONE (-1)

typedef struct {
  int ptr;       /* index of the pointer argument */
  int len;       /* index of its element-count argument, or NONE */
  uint32_t size; /* bytes per element (len given) or fixed bytes (NONE) */
} ptr_arg_t;

typedef struct {
  const char *name;
  uint32_t nparams;
  uint32_t good[8]; /* valid arguments; HANDLE stands for an open handle */
  ptr_arg_t ptrs[4];
  int nptrs;
} sweep_t;

static const sweep_t sweep[] = {
    {"sock_abi_version", 1, {TH_OUT}, {{0, NONE, 4}}, 1},
    {"sock_open",
     3,
     {WASISOCK_AF_INET, WASISOCK_SOCK_DGRAM, TH_OUT},
     {{2, NONE, 4}},
     1},
    {"sock_resolve",
     6,
     {TH_NAME, 9, 80, TH_DATA, 4, TH_OUT},
     {{0, 1, 1}, {3, 4, WASISOCK_ADDR_SIZE}, {5, NONE, 4}},
     3},
    {"sock_connect", 2, {HANDLE, TH_ADDR}, {{1, NONE, WASISOCK_ADDR_SIZE}}, 1},
    {"sock_send",
     4,
     {HANDLE, TH_DATA, 16, TH_OUT},
     {{1, 2, 1}, {3, NONE, 4}},
     2},
    {"sock_recv",
     4,
     {HANDLE, TH_DATA, 16, TH_OUT},
     {{1, 2, 1}, {3, NONE, 4}},
     2},
    {"sock_close", 1, {HANDLE}, {{0}}, 0},
    /* Revision 2. */
    {"sock_bind", 2, {HANDLE, TH_ADDR}, {{1, NONE, WASISOCK_ADDR_SIZE}}, 1},
    {"sock_listen", 2, {HANDLE, 1}, {{0}}, 0},
    {"sock_accept",
     3,
     {HANDLE, TH_OUT, TH_ADDR},
     {{1, NONE, 4}, {2, NONE, WASISOCK_ADDR_SIZE}},
     2},
    {"sock_send_to",
     6,
     {HANDLE, TH_DATA, 16, 0, TH_ADDR, TH_OUT},
     {{1, 2, 1}, {4, NONE, WASISOCK_ADDR_SIZE}, {5, NONE, 4}},
     3},
    {"sock_recv_from",
     6,
     {HANDLE, TH_DATA, 16, 0, TH_ADDR, TH_OUT},
     {{1, 2, 1}, {4, NONE, WASISOCK_ADDR_SIZE}, {5, NONE, 4}},
     3},
    {"sock_shutdown", 2, {HANDLE, WASISOCK_SHUT_RDWR}, {{0}}, 0},
    {"sock_getsockopt",
     4,
     {HANDLE, WASISOCK_SOL_SOCKET, WASISOCK_SO_TYPE, TH_OUT},
     {{3, NONE, 4}},
     1},
    {"sock_setsockopt",
     4,
     {HANDLE, WASISOCK_SOL_SOCKET, WASISOCK_SO_REUSEADDR, 1},
     {{0}},
     0},
    {"sock_local_addr",
     2,
     {HANDLE, TH_ADDR},
     {{1, NONE, WASISOCK_ADDR_SIZE}},
     1},
    {"sock_peer_addr",
     2,
     {HANDLE, TH_ADDR},
     {{1, NONE, WASISOCK_ADDR_SIZE}},
     1},
    {"sock_set_timeout", 2, {HANDLE, WASISOCK_TIMEOUT_NONE}, {{0}}, 0},
    {"sock_get_timeout", 2, {HANDLE, TH_OUT}, {{1, NONE, 4}}, 1},
    /* The records' handles are not read before the EFAULT. */
    {"sock_poll",
     4,
     {TH_DATA, 1, 0, TH_OUT},
     {{0, 1, WASISOCK_POLL_SUB_SIZE}, {3, NONE, 4}},
     2},
};
#define NSWEEP (sizeof(sweep) / sizeof(sweep[0]))

static const sweep_t *find(const char *name) {
  size_t i;
  for (i = 0; i < NSWEEP; i++)
    if (strcmp(sweep[i].name, name) == 0)
      return &sweep[i];
  return NULL;
}

typedef struct {
  uint32_t ptr, count; /* count used only when the pointer has a length */
} bad_t;

/* Out-of-range (ptr, count) pairs for one pointer argument. */
static size_t bad_values(const ptr_arg_t *p, bad_t *out) {
  size_t n = 0;
  if (p->len == NONE) {
    out[n++] = (bad_t){L - p->size + 1, 0};
    out[n++] = (bad_t){L, 0};
    out[n++] = (bad_t){L + 1, 0};
    out[n++] = (bad_t){0xFFFFFFF0u, 0};
    out[n++] = (bad_t){UINT32_MAX, 0};
  } else {
    out[n++] = (bad_t){0xFFFFFFF0u, 0x20 / p->size + 1}; /* wraps */
    out[n++] = (bad_t){L - p->size + 1, 1};
    out[n++] = (bad_t){0, L / p->size + 1};
    out[n++] = (bad_t){0, UINT32_MAX};
    out[n++] = (bad_t){UINT32_MAX, 1};
    out[n++] = (bad_t){L + 1, 0};
    if (p->size > 1) /* count * size wraps to a small number in u32 */
      out[n++] = (bad_t){0, (uint32_t)((UINT64_C(1) << 32) / p->size + 1)};
  }
  return n;
}

static void test_sweep_every_import(void **state) {
  const wasisock_import_t *t;
  wasisock_t *h = th_new(0);
  wasisock_addr_t addr;
  uint8_t *snap;
  uint32_t args[8], handle;
  th_arena_t a;
  size_t n, i, j, b, nbad;
  bad_t bad[8];
  int p, use_bad_handle, checked = 0;
  (void)state;

  th_arena_init(&a, L);
  handle = th_open(h, &a, AF_INET, SOCK_DGRAM);
  memcpy(th_at(&a, TH_NAME), "127.0.0.1", 9);
  th_loopback_addr(AF_INET, 9, &addr);
  wasisock_addr_write(th_at(&a, TH_ADDR), &addr);
  snap = malloc(L);
  assert_non_null(snap);
  memcpy(snap, a.mem.base, L);

  t = wasisock_import_table(&n);
  for (i = 0; i < n; i++) {
    const sweep_t *s = find(t[i].name);
    if (s == NULL)
      fail_msg("import %s has no entry in the sweep table", t[i].name);
    assert_int_equal(s->nparams, t[i].nparams);
    for (p = 0; p < s->nptrs; p++) {
      nbad = bad_values(&s->ptrs[p], bad);
      for (b = 0; b < nbad; b++) {
        /* With a valid handle, and with a bad one: EFAULT comes first. */
        for (use_bad_handle = 0; use_bad_handle < 2; use_bad_handle++) {
          for (j = 0; j < s->nparams; j++)
            args[j] = s->good[j] == HANDLE
                          ? (use_bad_handle ? 7u : handle)
                          : s->good[j];
          args[s->ptrs[p].ptr] = bad[b].ptr;
          if (s->ptrs[p].len != NONE)
            args[s->ptrs[p].len] = bad[b].count;
          if (t[i].call(h, &a.mem, args) != WASISOCK_EFAULT)
            fail_msg("%s: argument %d = %u (count %u) did not give EFAULT",
                     t[i].name, s->ptrs[p].ptr, bad[b].ptr, bad[b].count);
          assert_memory_equal(snap, a.mem.base, L);
          th_arena_check(&a);
          checked++;
        }
      }
    }
  }
  /* Every entry of the sweep table is a real import too. */
  for (i = 0; i < NSWEEP; i++)
    assert_non_null(wasisock_import_find(sweep[i].name));
  assert_true(checked > 200);
  /* The handle survived all of it. */
  th_close(h, &a, handle);
  free(snap);
  th_arena_free(&a);
  wasisock_free(h);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_sweep_every_import),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
