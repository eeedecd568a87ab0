/*
 * dirs.c — directory listings through the layer's fd_readdir (readdir.c:
 * one pass over the directory, the rest of a listing answered from it):
 * every entry exactly once however many reads a listing takes, telldir/
 * seekdir, two listings taking turns, rewinddir seeing a change, a
 * descriptor reused for another directory, scandir.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "posixtest.h"

/* Enough entries with long names that wasi-libc reads a listing in many
 * 4 KiB pieces (~50 bytes each, ~30 KiB). */
#define NMANY 600
#define NFEW 40

static void make_files(const char *dir, const char *prefix, int n) {
  char path[512];
  int i, fd;

  CHECK(mkdir(dir, 0700) == 0);
  for (i = 0; i < n; i++) {
    snprintf(path, sizeof(path), "%s/%s-a-rather-long-name-%05d", dir, prefix, i);
    CHECK_OK(fd, open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600));
    CHECK(close(fd) == 0);
  }
}

/* The number of the entry called PREFIX-a-rather-long-name-NNNNN, or -1
 * for "." and "..", -2 for anything else. */
static int entry_number(const char *name, const char *prefix) {
  size_t lp = strlen(prefix);
  int n;

  if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
    return -1;
  if (strncmp(name, prefix, lp) != 0 ||
      sscanf(name + lp, "-a-rather-long-name-%5d", &n) != 1)
    return -2;
  return n;
}

/* Records an entry in seen[]; each must come once. */
static void see(unsigned char *seen, int n, const char *name, const char *prefix) {
  int k = entry_number(name, prefix);
  if (k == -1)
    return;
  if (k < 0 || k >= n)
    CHECK_FAIL("unexpected entry %s", name);
  if (seen[k]++)
    CHECK_FAIL("entry %s listed twice", name);
}

static void check_all_seen(const unsigned char *seen, int n) {
  int i;
  for (i = 0; i < n; i++)
    if (seen[i] != 1)
      CHECK_FAIL("entry %d listed %d times", i, seen[i]);
}

int case_dirs(int argc, char **argv) {
  static unsigned char seen[NMANY + 1], seen_b[NFEW];
  char many[512], few[512], path[600];
  struct dirent *e, **list;
  DIR *d, *b;
  long mark = -1;
  int i, n, count, after_mark, again;

  if (argc < 1)
    CHECK_FAIL("dirs: needs a directory");
  snprintf(many, sizeof(many), "%s/many", argv[0]);
  snprintf(few, sizeof(few), "%s/few", argv[0]);
  make_files(many, "m", NMANY);
  make_files(few, "f", NFEW);

  /* One listing read in many pieces: each entry once.  Half-way, telldir;
   * seekdir back there gives the same entries again. */
  CHECK((d = opendir(many)) != NULL);
  count = after_mark = 0;
  while ((e = readdir(d)) != NULL) {
    see(seen, NMANY, e->d_name, "m");
    if (++count == NMANY / 2)
      mark = telldir(d);
    else if (mark >= 0)
      after_mark++;
  }
  check_all_seen(seen, NMANY);
  CHECK(mark >= 0);
  seekdir(d, mark);
  again = 0;
  while (readdir(d) != NULL)
    again++;
  CHECK_EQ(again, after_mark);

  /* rewinddir reads the directory again: a file made since is there. */
  snprintf(path, sizeof(path), "%s/m-a-rather-long-name-%05d", many, NMANY);
  CHECK_OK(i, open(path, O_WRONLY | O_CREAT, 0600));
  CHECK(close(i) == 0);
  rewinddir(d);
  memset(seen, 0, sizeof(seen));
  while ((e = readdir(d)) != NULL)
    see(seen, NMANY + 1, e->d_name, "m");
  check_all_seen(seen, NMANY + 1);
  CHECK(closedir(d) == 0);

  /* Two listings taking turns, one read each. */
  memset(seen, 0, sizeof(seen));
  CHECK((d = opendir(many)) != NULL);
  CHECK((b = opendir(few)) != NULL);
  for (;;) {
    struct dirent *x = readdir(d), *y = readdir(b);
    if (x != NULL)
      see(seen, NMANY + 1, x->d_name, "m");
    if (y != NULL)
      see(seen_b, NFEW, y->d_name, "f");
    if (x == NULL && y == NULL)
      break;
  }
  check_all_seen(seen, NMANY + 1);
  check_all_seen(seen_b, NFEW);
  CHECK(closedir(b) == 0);

  /* The big listing half read, its descriptor closed and reused for the
   * small directory: the small one's entries, not the kept listing's. */
  rewinddir(d);
  for (i = 0; i < NMANY / 2; i++)
    CHECK(readdir(d) != NULL);
  CHECK(closedir(d) == 0);
  CHECK((b = opendir(few)) != NULL);
  memset(seen_b, 0, sizeof(seen_b));
  while ((e = readdir(b)) != NULL)
    see(seen_b, NFEW, e->d_name, "f");
  check_all_seen(seen_b, NFEW);
  CHECK(closedir(b) == 0);

  /* scandir reads through the same call ("." and ".." are there in
   * Linux and wasmtime, not in Node's WASI). */
  CHECK_OK(n, scandir(many, &list, NULL, alphasort));
  memset(seen, 0, sizeof(seen));
  for (i = 0; i < n; i++) {
    see(seen, NMANY + 1, list[i]->d_name, "m");
    free(list[i]);
  }
  free(list);
  check_all_seen(seen, NMANY + 1);
  return 0;
}
