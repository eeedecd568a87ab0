/*
 * hostname.c — gethostname(), which wasi-libc declares but does not have.
 *
 * The ABI carries no host name, so the guest's is the first line of its
 * /etc/hostname when the runner provides one, else "localhost": what a
 * program needs to build a Host header, an SMTP greeting or a log line.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

int gethostname(char *name, size_t len) {
  char buf[256] = "localhost", *nl;
  size_t n;
  FILE *f;

  if ((f = fopen("/etc/hostname", "r")) != NULL) {
    if (fgets(buf, sizeof(buf), f) == NULL || buf[0] == '\n')
      strcpy(buf, "localhost");
    fclose(f);
    if ((nl = strchr(buf, '\n')) != NULL)
      *nl = '\0';
  }
  n = strlen(buf);
  if (!wasisock__mem_ok(name, len > n + 1 ? n + 1 : len))
    return wasisock__fail(EFAULT);
  if (n + 1 > len)
    return wasisock__fail(ENAMETOOLONG); /* glibc's answer */
  memcpy(name, buf, n + 1);
  return 0;
}
