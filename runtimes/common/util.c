/*
 * util.c — small helpers of the front end: allocation that cannot fail
 * (it aborts), formatted strings, whole-file reads, this executable's
 * directory.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "launch_internal.h"

void *launch_alloc(size_t n) {
  void *p = calloc(1, n ? n : 1);
  if (p == NULL) {
    fputs("wasisock: out of memory\n", stderr);
    abort();
  }
  return p;
}

char *launch_strdup(const char *s) {
  size_t n = strlen(s) + 1;
  char *p = launch_alloc(n);
  memcpy(p, s, n);
  return p;
}

char *launch_printf(const char *fmt, ...) {
  va_list ap;
  int n;
  char *p;

  va_start(ap, fmt);
  n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0)
    n = 0;
  p = launch_alloc((size_t)n + 1);
  va_start(ap, fmt);
  vsnprintf(p, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return p;
}

int launch_read_file(const char *path, uint8_t **data, size_t *len) {
  struct stat st;
  uint8_t *buf;
  size_t got = 0;
  ssize_t n;
  int fd, err;

  *data = NULL;
  *len = 0;
  do
    fd = open(path, O_RDONLY | O_CLOEXEC);
  while (fd == -1 && errno == EINTR);
  if (fd == -1)
    return errno;
  if (fstat(fd, &st) == -1) {
    err = errno;
    close(fd);
    return err;
  }
  if (S_ISDIR(st.st_mode)) {
    close(fd);
    return EISDIR;
  }
  /* st_size is a hint (a pipe or /proc file says 0): read to the end. */
  size_t cap = st.st_size > 0 ? (size_t)st.st_size + 1 : 65536;
  buf = launch_alloc(cap + 1);
  for (;;) {
    if (got == cap) {
      uint8_t *bigger = realloc(buf, cap * 2 + 1);
      if (bigger == NULL) {
        free(buf);
        close(fd);
        return ENOMEM;
      }
      buf = bigger;
      cap *= 2;
    }
    n = read(fd, buf + got, cap - got);
    if (n == -1 && errno == EINTR)
      continue;
    if (n == -1) {
      err = errno;
      free(buf);
      close(fd);
      return err;
    }
    if (n == 0)
      break;
    got += (size_t)n;
  }
  close(fd);
  buf[got] = '\0';
  *data = buf;
  *len = got;
  return 0;
}

char *launch_exe_dir(void) {
  char path[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
  char *slash;

  if (n <= 0)
    return NULL;
  path[n] = '\0';
  slash = strrchr(path, '/');
  if (slash == NULL)
    return NULL;
  *slash = '\0';
  return launch_strdup(path[0] ? path : "/");
}

void launch_buf_add(launch_buf_t *b, const char *s, size_t n) {
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    char *bigger;
    while (cap < b->len + n + 1)
      cap *= 2;
    bigger = realloc(b->s, cap);
    if (bigger == NULL) {
      fputs("wasisock: out of memory\n", stderr);
      abort();
    }
    b->s = bigger;
    b->cap = cap;
  }
  memcpy(b->s + b->len, s, n);
  b->len += n;
  b->s[b->len] = '\0';
}

void launch_buf_printf(launch_buf_t *b, const char *fmt, ...) {
  va_list ap;
  char *s;
  int n;

  va_start(ap, fmt);
  n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n <= 0)
    return;
  s = launch_alloc((size_t)n + 1);
  va_start(ap, fmt);
  vsnprintf(s, (size_t)n + 1, fmt, ap);
  va_end(ap);
  launch_buf_add(b, s, (size_t)n);
  free(s);
}

char *launch_buf_take(launch_buf_t *b) {
  char *s = b->s ? b->s : launch_strdup("");
  b->s = NULL;
  b->len = b->cap = 0;
  return s;
}

char *launch_replace(const char *s, const char *what, const char *with) {
  launch_buf_t b = {0};
  const char *hit;
  size_t n = strlen(what);

  while ((hit = strstr(s, what)) != NULL) {
    launch_buf_add(&b, s, (size_t)(hit - s));
    launch_buf_add(&b, with, strlen(with));
    s = hit + n;
  }
  launch_buf_add(&b, s, strlen(s));
  return launch_buf_take(&b);
}
