/*
 * replay.c — runs a fuzz target on files, without libFuzzer: the ctest
 * regression tests (fuzz.replay.*) of normal builds.
 *
 *   replay-imports FILE|DIR...    every file given, every file in each DIR
 *
 * Each input goes through LLVMFuzzerTestOneInput once; a crash or a failed
 * invariant (abort) fails the test, and the file being run is printed
 * first so the culprit is known.  Exit 0 when all ran, 2 when a path cannot
 * be read or no input was found.
 */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE
#endif
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay__file(const char *path) {
  uint8_t *buf;
  long len;
  FILE *f;

  if ((f = fopen(path, "rb")) == NULL || fseek(f, 0, SEEK_END) != 0 ||
      (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
    perror(path);
    if (f != NULL)
      fclose(f);
    return -1;
  }
  buf = malloc(len > 0 ? (size_t)len : 1);
  if (buf == NULL || fread(buf, 1, (size_t)len, f) != (size_t)len) {
    perror(path);
    free(buf);
    fclose(f);
    return -1;
  }
  fclose(f);
  fprintf(stderr, "replay: %s (%ld bytes)\n", path, len);
  LLVMFuzzerTestOneInput(buf, (size_t)len);
  free(buf);
  return 0;
}

static int replay__cmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The files of dir, in name order (deterministic runs). */
static int replay__dir(const char *dir, int *count) {
  struct dirent *e;
  char **names = NULL, path[4096];
  size_t n = 0, cap = 0, i;
  int rc = 0;
  DIR *d;

  if ((d = opendir(dir)) == NULL) {
    perror(dir);
    return -1;
  }
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.')
      continue;
    if (n == cap) {
      char **grown = realloc(names, (cap = cap ? cap * 2 : 64) * sizeof(*names));
      if (grown == NULL) {
        rc = -1;
        break;
      }
      names = grown;
    }
    if ((names[n] = strdup(e->d_name)) == NULL) {
      rc = -1;
      break;
    }
    n++;
  }
  closedir(d);
  if (n > 0)
    qsort(names, n, sizeof(*names), replay__cmp);
  for (i = 0; i < n; i++) {
    snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
    if (rc == 0 && replay__file(path) == 0)
      ++*count;
    free(names[i]);
  }
  free(names);
  return rc;
}

int main(int argc, char **argv) {
  struct stat st;
  int i, count = 0;

  for (i = 1; i < argc; i++) {
    if (stat(argv[i], &st) != 0) {
      perror(argv[i]);
      return 2;
    }
    if (S_ISDIR(st.st_mode) ? replay__dir(argv[i], &count) != 0
                            : replay__file(argv[i]) != 0)
      return 2;
    if (!S_ISDIR(st.st_mode))
      count++;
  }
  if (count == 0) {
    fprintf(stderr, "replay: no input (usage: %s FILE|DIR...)\n", argv[0]);
    return 2;
  }
  fprintf(stderr, "replay: %d inputs, no failure\n", count);
  return 0;
}
