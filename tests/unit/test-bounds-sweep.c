/* Every row of wasisock_import_table(), every guest pointer argument,
 * out-of-range values: EFAULT and no effect; and the same pointer ending
 * exactly at the end of memory: no EFAULT.  Which arguments are pointers,
 * how many bytes each covers and which argument counts its elements all
 * come from the parameter kinds of WASISOCK_IMPORT_LIST, so a new import
 * is swept without an edit here, and a body whose checks disagree with
 * its row fails. */
#include "helpers.h"

#include <stdlib.h>
#include <string.h>

#include "wasisock_policy.h"

#define L 8192u
#define BAD_HANDLE 7u
/* Where the valid pointer of argument j points: apart from each other and
 * from the scratch area, with room for 16 records of any kind. */
#define GOOD_PTR(j) (TH_DATA + 512u * (uint32_t)(j))

typedef struct {
  uint32_t ptr, count; /* count used only when the pointer is counted */
} bad_t;

/* Out-of-range (ptr, count) pairs for one pointer parameter. */
static size_t bad_values(const wasisock_param_t *p, bad_t *out) {
  size_t n = 0;
  if (!p->counted) {
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

/* Valid arguments for row t: handle for every HANDLE, 0 for a VALUE, 1 for
 * a LEN, a separate in-range area for every pointer. */
static void good_args(const wasisock_import_t *t, uint32_t handle,
                      uint32_t *args) {
  uint32_t j;
  for (j = 0; j < t->nparams; j++) {
    switch (t->params[j].kind) {
    case WASISOCK_PARAM_HANDLE:
      args[j] = handle;
      break;
    case WASISOCK_PARAM_LEN:
      args[j] = 1;
      break;
    default:
      args[j] = t->params[j].size > 0 ? GOOD_PTR(j) : 0;
    }
  }
}

/* The row's parameter descriptions agree with themselves: a counted pointer
 * is followed by a LEN, every LEN follows a counted pointer, pointers have
 * an access and only pointers do. */
static void check_row_shape(const wasisock_import_t *t) {
  uint32_t j;
  assert_true(t->nparams <= WASISOCK_MAX_PARAMS);
  for (j = 0; j < t->nparams; j++) {
    const wasisock_param_t *p = &t->params[j];
    assert_non_null(p->name);
    assert_true(p->kind < WASISOCK_PARAM_KIND_COUNT);
    assert_int_equal(p->size > 0, p->access != 0);
    if (p->counted) {
      assert_true(j + 1 < t->nparams);
      assert_int_equal(t->params[j + 1].kind, WASISOCK_PARAM_LEN);
    }
    if (p->kind == WASISOCK_PARAM_LEN)
      assert_true(j > 0 && t->params[j - 1].counted);
  }
}

static void test_sweep_every_import(void **state) {
  const wasisock_import_t *t;
  wasisock_policy_t *deny;
  wasisock_config_t cfg;
  wasisock_t *h;
  uint8_t *snap;
  uint32_t args[WASISOCK_MAX_PARAMS], handle, j, count;
  th_arena_t a;
  size_t n, i, b, nbad;
  bad_t bad[8];
  int use_bad_handle, checked = 0, edges = 0;
  int32_t rc;
  (void)state;

  /* Deny everything: the in-range calls below then never reach the network
   * (a name made of fill bytes is not looked up, nothing connects). */
  assert_int_equal(wasisock_policy_new(&deny), WASISOCK_OK);
  assert_int_equal(wasisock_policy_add_rule(deny, "default deny", NULL, 0),
                   WASISOCK_OK);
  wasisock_config_init(&cfg);
  cfg.policy = deny;
  assert_int_equal(wasisock_new(&cfg, &h), WASISOCK_OK);
  wasisock_policy_free(deny);

  th_arena_init(&a, L);
  handle = th_open(h, &a, AF_INET, SOCK_DGRAM);
  snap = malloc(L);
  assert_non_null(snap);
  memcpy(snap, a.mem.base, L);

  t = wasisock_import_table(&n);
  for (i = 0; i < n; i++) {
    check_row_shape(&t[i]);
    for (j = 0; j < t[i].nparams; j++) {
      const wasisock_param_t *p = &t[i].params[j];
      if (p->size == 0)
        continue;
      nbad = bad_values(p, bad);
      for (b = 0; b < nbad; b++) {
        /* With a valid handle, and with a bad one: EFAULT comes first. */
        for (use_bad_handle = 0; use_bad_handle < 2; use_bad_handle++) {
          good_args(&t[i], use_bad_handle ? BAD_HANDLE : handle, args);
          args[j] = bad[b].ptr;
          if (p->counted)
            args[j + 1] = bad[b].count;
          rc = t[i].call(h, &a.mem, args);
          if (rc != WASISOCK_EFAULT)
            fail_msg("%s: %s_ptr = %u (count %u) gave %d, not EFAULT",
                     t[i].name, p->name, bad[b].ptr, bad[b].count, rc);
          assert_memory_equal(snap, a.mem.base, L);
          th_arena_check(&a);
          checked++;
        }
      }
      /* The last element ending at the last byte of memory is in range.
       * With a handle that is not open the call stops at EBADF; calls
       * without a handle stop at a value or the policy. */
      good_args(&t[i], BAD_HANDLE, args);
      count = p->counted ? 2 : 1;
      args[j] = L - count * p->size;
      if (p->counted)
        args[j + 1] = count;
      rc = t[i].call(h, &a.mem, args);
      if (rc == WASISOCK_EFAULT)
        fail_msg("%s: %s_ptr = %u (count %u) ends at the end of memory but "
                 "gave EFAULT", t[i].name, p->name, args[j], count);
      th_arena_check(&a);
      memcpy(snap, a.mem.base, L); /* a successful call may have written */
      edges++;
    }
  }
  assert_true(checked > 200);
  assert_true(edges >= 20);
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
