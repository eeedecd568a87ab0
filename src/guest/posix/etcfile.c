/*
 * etcfile.c — reading the guest's /etc/services, /etc/protocols and
 * /etc/hosts: the files every libc's resolver reads, which the runners give
 * the guest (the host's own, read-only).
 *
 * Read on every lookup: lookups are rare, the files small, and a program
 * sees the file as it is now.
 */
#include <stdio.h>
#include <string.h>

#include "netdb_internal.h"

/* Splits l->text into words, comments dropped; the count. */
static int wasisock__etc_split(wasisock__etc_line_t *l) {
  char *p = l->text, *hash = strchr(p, '#');
  if (hash != NULL)
    *hash = '\0';
  l->nwords = 0;
  while (l->nwords < (int)(sizeof(l->word) / sizeof(l->word[0]))) {
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
      p++;
    if (*p == '\0')
      break;
    l->word[l->nwords++] = p;
    while (*p != '\0' && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
      p++;
    if (*p != '\0')
      *p++ = '\0';
  }
  return l->nwords;
}

int wasisock__etc_scan(const char *path, wasisock__etc_line_t *l,
                       int (*match)(const wasisock__etc_line_t *, const void *),
                       const void *arg) {
  FILE *f = fopen(path, "r");
  int found = 0;
  if (f == NULL)
    return -1;
  while (!found && fgets(l->text, sizeof(l->text), f) != NULL)
    found = wasisock__etc_split(l) >= 2 && match(l, arg);
  fclose(f);
  return found;
}
