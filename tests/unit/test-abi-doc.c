/* docs/ABI.md and the documentation comment of include/wasisock.h agree
 * with WASISOCK_IMPORT_LIST (through the import table made from it):
 *
 *   - every import has its heading in ABI.md, "### `sock_send(handle,
 *     buf_ptr, buf_len, sent_ptr) -> errno`  — since revision 1", with its
 *     parameters in order (a pointer p spelled p_ptr), and every call
 *     heading there is an import;
 *   - the call's parameter table has a row for every parameter; a
 *     pointer's row says R, W or "R and W" as its kind reads or writes,
 *     and how many bytes ("4 bytes", "19 bytes", "`buf_len` bytes",
 *     "`max_addrs * 19`"), naming its count parameter in the same row;
 *   - the revision ABI.md describes is WASISOCK_ABI_REVISION;
 *   - the header's comment documents every import as "sock_send(u32
 *     handle, u8 *buf, u32 buf_len, u32 *sent)".
 *
 * Usage: test-abi-doc [docs/ABI.md include/wasisock.h]; by default those of
 * the source tree it was built from. */
#include "helpers.h"

#include <ctype.h>
#include <string.h>

static const char *abi_md_path = WASISOCK_SOURCE_DIR "/docs/ABI.md";
static const char *header_path = WASISOCK_SOURCE_DIR "/include/wasisock.h";

static char *slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  char *buf;
  long n;

  if (f == NULL)
    fail_msg("cannot open %s", path);
  assert_int_equal(fseek(f, 0, SEEK_END), 0);
  n = ftell(f);
  assert_true(n > 0);
  rewind(f);
  buf = malloc((size_t)n + 1);
  assert_non_null(buf);
  assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
  buf[n] = '\0';
  fclose(f);
  return buf;
}

/* The parameter's name as the docs and host prototypes spell it. */
static void doc_name(const wasisock_param_t *p, char *out, size_t len) {
  snprintf(out, len, "%s%s", p->name, p->size > 0 ? "_ptr" : "");
}

static void heading(const wasisock_import_t *t, char *out, size_t len) {
  char name[64];
  size_t used;
  uint32_t j;

  used = (size_t)snprintf(out, len, "### `%s(", t->name);
  for (j = 0; j < t->nparams; j++) {
    doc_name(&t->params[j], name, sizeof name);
    used += (size_t)snprintf(out + used, len - used, "%s%s", j ? ", " : "",
                             name);
  }
  snprintf(out + used, len - used, ") -> errno`  — since revision %u\n",
           t->revision);
}

/* Start of the line after the one p is on (or the end). */
static const char *next_line(const char *p) {
  const char *nl = strchr(p, '\n');
  return nl ? nl + 1 : p + strlen(p);
}

/* [*start, *end) of the section under the heading at h: consecutive
 * headings share one section (sock_getsockopt and sock_setsockopt), which
 * ends at the next heading after some text. */
static void section(const char *h, const char **start, const char **end) {
  const char *p = next_line(h);
  while (*p == '\n' || strncmp(p, "### ", 4) == 0)
    p = next_line(p);
  *start = p;
  while (*p != '\0' && strncmp(p, "### ", 4) != 0 && strncmp(p, "## ", 3) != 0)
    p = next_line(p);
  *end = p;
}

/* The table row of [start, end) whose first cell names `name`; the meaning
 * cell is copied to meaning.  0 when there is none. */
static int table_row(const char *start, const char *end, const char *name,
                     char *meaning, size_t len) {
  char quoted[80], line[1024];
  char *cell;
  const char *p;
  size_t n;

  snprintf(quoted, sizeof quoted, "`%s`", name);
  for (p = start; p < end; p = next_line(p)) {
    n = (size_t)(next_line(p) - p);
    if (n >= sizeof line || p[0] != '|')
      continue;
    memcpy(line, p, n);
    line[n] = '\0';
    cell = strstr(line + 1, " | ");
    if (cell == NULL)
      continue;
    line[cell - line] = '\0'; /* the first cell alone */
    if (strstr(line, quoted) == NULL)
      continue;
    snprintf(meaning, len, "%s", cell + 3);
    n = strlen(meaning); /* without the closing " |" */
    while (n > 0 && strchr(" |\n", meaning[n - 1]) != NULL)
      meaning[--n] = '\0';
    return 1;
  }
  return 0;
}

static int has_table(const char *start, const char *end) {
  const char *p = strstr(start, "| Param | Meaning |");
  return p != NULL && p < end;
}

static void check_row(const wasisock_import_t *t, uint32_t j,
                      const char *start, const char *end) {
  const wasisock_param_t *p = &t->params[j];
  char name[64], meaning[1024], want[80];
  const char *m;

  doc_name(p, name, sizeof name);
  if (!table_row(start, end, name, meaning, sizeof meaning))
    fail_msg("docs/ABI.md: %s: no row for parameter `%s`", t->name, name);
  if (p->size == 0)
    return;
  /* "get: W 4 bytes" in a table shared by a getter and a setter. */
  m = meaning;
  if (strncmp(m, "get: ", 5) == 0 || strncmp(m, "set: ", 5) == 0)
    m += 5;
  if (p->access == 3 ? strncmp(m, "R and W ", 8) != 0
      : p->access == 2 ? strncmp(m, "W ", 2) != 0
                       : strncmp(m, "R ", 2) != 0)
    fail_msg("docs/ABI.md: %s: `%s` should start with %s (the host %s it): "
             "%s", t->name, name,
             p->access == 3 ? "\"R and W\"" : p->access == 2 ? "W" : "R",
             p->access == 3 ? "reads and writes" : p->access == 2 ? "writes"
                                                                  : "reads",
             meaning);
  if (p->counted) {
    if (p->size == 1)
      snprintf(want, sizeof want, "`%s` bytes", t->params[j + 1].name);
    else
      snprintf(want, sizeof want, "`%s * %u`", t->params[j + 1].name, p->size);
  } else {
    snprintf(want, sizeof want, "%u bytes", p->size);
  }
  if (strstr(m, want) == NULL)
    fail_msg("docs/ABI.md: %s: `%s` should say %s: %s", t->name, name, want,
             meaning);
}

static void test_abi_md_calls(void **state) {
  const wasisock_import_t *t;
  char *doc, want[512], *rev;
  const char *h, *start, *end, *p;
  size_t n, i;
  uint32_t j;
  int headings = 0;
  (void)state;

  doc = slurp(abi_md_path);
  t = wasisock_import_table(&n);
  for (i = 0; i < n; i++) {
    heading(&t[i], want, sizeof want);
    h = strstr(doc, want);
    if (h == NULL || (h != doc && h[-1] != '\n'))
      fail_msg("docs/ABI.md lacks the heading, or has it differently:\n%s",
               want);
    section(h, &start, &end);
    if (!has_table(start, end)) {
      for (j = 0; j < t[i].nparams; j++)
        if (t[i].params[j].size > 0)
          fail_msg("docs/ABI.md: %s has guest pointers but no parameter "
                   "table", t[i].name);
      continue;
    }
    for (j = 0; j < t[i].nparams; j++)
      if (t[i].params[j].kind != WASISOCK_PARAM_LEN)
        check_row(&t[i], j, start, end);
  }
  /* No heading of a call the host does not have. */
  for (p = strstr(doc, "\n### `"); p != NULL; p = strstr(p + 1, "\n### `")) {
    char name[64];
    size_t k = 0;
    for (h = p + 6; (isalnum((unsigned char)*h) || *h == '_') && k < 63; h++)
      name[k++] = *h;
    name[k] = '\0';
    if (*h == '(' && wasisock_import_find(name) == NULL)
      fail_msg("docs/ABI.md documents %s, which is not in "
               "WASISOCK_IMPORT_LIST", name);
    headings += *h == '(';
  }
  assert_int_equal((size_t)headings, n);

  snprintf(want, sizeof want, "Revision described: **%d**",
           WASISOCK_ABI_REVISION);
  rev = strstr(doc, want);
  if (rev == NULL)
    fail_msg("docs/ABI.md should say \"%s\"", want);
  free(doc);
}

/* The documentation block of wasisock.h as one line: comment leaders
 * dropped, runs of white space made one space. */
static char *header_doc(void) {
  char *text = slurp(header_path), *out, *o;
  const char *p, *begin, *stop;

  begin = strstr(text, "The imports, as documentation");
  assert_non_null(begin);
  stop = strstr(begin, "*/");
  assert_non_null(stop);
  out = o = malloc((size_t)(stop - begin) + 1);
  assert_non_null(out);
  for (p = begin; p < stop; p++) {
    if (*p == '\n') {
      p++;
      while (p < stop && (*p == ' ' || *p == '*'))
        p++;
      p--;
      if (o > out && o[-1] != ' ')
        *o++ = ' ';
      continue;
    }
    if (isspace((unsigned char)*p)) {
      if (o > out && o[-1] != ' ')
        *o++ = ' ';
      continue;
    }
    *o++ = *p;
  }
  *o = '\0';
  free(text);
  return out;
}

static void test_header_comment(void **state) {
  const wasisock_import_t *t;
  char *doc, want[512];
  size_t n, i, used;
  uint32_t j;
  (void)state;

  doc = header_doc();
  t = wasisock_import_table(&n);
  for (i = 0; i < n; i++) {
    used = (size_t)snprintf(want, sizeof want, " %s(", t[i].name);
    for (j = 0; j < t[i].nparams; j++) {
      const wasisock_param_t *p = &t[i].params[j];
      used += (size_t)snprintf(
          want + used, sizeof want - used, "%s%s %s%s", j ? ", " : "",
          p->size == 0 || p->kind == WASISOCK_PARAM_U32_OUT ? "u32" : "u8",
          p->size > 0 ? "*" : "", p->name);
    }
    snprintf(want + used, sizeof want - used, ")");
    if (strstr(doc, want) == NULL)
      fail_msg("include/wasisock.h: the comment should document%s", want);
  }
  free(doc);
}

int main(int argc, char **argv) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_abi_md_calls),
      cmocka_unit_test(test_header_comment),
  };
  if (argc == 3) {
    abi_md_path = argv[1];
    header_path = argv[2];
  } else if (argc != 1) {
    fprintf(stderr, "usage: %s [docs/ABI.md include/wasisock.h]\n", argv[0]);
    return 2;
  }
  return cmocka_run_group_tests(tests, NULL, NULL);
}
