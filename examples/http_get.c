/*
 * http_get — an HTTP/1.1 GET over a TCP connection.
 *
 *   http_get http://HOST[:PORT][/PATH]              (natively)
 *   wasisock-run http_get.wasm http://HOST[:PORT][/PATH]
 *   wasisock-run http_get.wasm HOST [PORT [PATH]]     (PORT 80, PATH /)
 *
 * Sends "GET PATH HTTP/1.1" with Host, User-Agent, Accept and
 * "Connection: close", then copies the whole response (status line, headers,
 * body) to stdout until the server closes the connection.  HOST may be a
 * name, an IPv4 address or a bracketed IPv6 address ("[::1]").  No TLS:
 * https:// URLs are refused.  Exit status 0 when a response was received,
 * 1 on a network error (its message is printed), 2 on bad arguments.
 * Plain BSD sockets: one source, native and wasm32.
 */
#define _POSIX_C_SOURCE 200809L /* getaddrinfo & co. in strict C11 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "netutil.h"

#define MAX_HOST 256
#define MAX_PATH 2048

static int parse_port(const char *s, unsigned *port) {
  char *end;
  unsigned long v = strtoul(s, &end, 10);
  if (*s == '\0' || *end != '\0' || v == 0 || v > 65535) return -1;
  *port = (unsigned)v;
  return 0;
}

/* Splits "http://host[:port][/path]" (the scheme is optional). */
static int parse_url(const char *url, char *host, unsigned *port, char *path) {
  const char *p = url, *hend, *slash;
  size_t n;
  if (strncmp(p, "https://", 8) == 0) {
    fprintf(stderr, "http_get: https is not supported (no TLS)\n");
    return -1;
  }
  if (strncmp(p, "http://", 7) == 0) p += 7;
  slash = strchr(p, '/');
  if (slash == NULL) slash = p + strlen(p);
  if (*p == '[') { /* [v6]:port */
    hend = memchr(p, ']', (size_t)(slash - p));
    if (hend == NULL) return -1;
    n = (size_t)(hend - p - 1);
    if (n == 0 || n >= MAX_HOST) return -1;
    memcpy(host, p + 1, n);
    hend++;
  } else {
    hend = memchr(p, ':', (size_t)(slash - p));
    if (hend == NULL) hend = slash;
    n = (size_t)(hend - p);
    if (n == 0 || n >= MAX_HOST) return -1;
    memcpy(host, p, n);
  }
  host[n] = '\0';
  if (*hend == ':') {
    char buf[8];
    n = (size_t)(slash - hend - 1);
    if (n == 0 || n >= sizeof buf) return -1;
    memcpy(buf, hend + 1, n);
    buf[n] = '\0';
    if (parse_port(buf, port) != 0) return -1;
  } else if (hend != slash) {
    return -1;
  }
  if (strlen(*slash ? slash : "/") >= MAX_PATH) return -1;
  strcpy(path, *slash ? slash : "/");
  return 0;
}

static int fail(const char *what, const char *host, unsigned port,
                const char *why) {
  fprintf(stderr, "http_get: %s %s:%u: %s\n", what, host, port, why);
  return 1;
}

int main(int argc, char **argv) {
  char host[MAX_HOST], path[MAX_PATH], req[MAX_PATH + MAX_HOST + 256];
  char buf[16384], err[256], portstr[8];
  unsigned port = 80;
  size_t total = 0;
  int fd, n;

  if (argc < 2 || argc > 4) {
    fprintf(stderr, "usage: http_get http://HOST[:PORT][/PATH]\n"
                    "       http_get HOST [PORT [PATH]]\n");
    return 2;
  }
  if (argc == 2 || strstr(argv[1], "://") != NULL) {
    if (argc != 2 || parse_url(argv[1], host, &port, path) != 0) {
      fprintf(stderr, "http_get: cannot parse URL '%s'\n", argv[1]);
      return 2;
    }
  } else {
    if (strlen(argv[1]) >= MAX_HOST) return 2;
    strcpy(host, argv[1]);
    if (argc >= 3 && parse_port(argv[2], &port) != 0) {
      fprintf(stderr, "http_get: bad port '%s'\n", argv[2]);
      return 2;
    }
    strcpy(path, "/");
    if (argc == 4) {
      if (argv[3][0] != '/' || strlen(argv[3]) >= MAX_PATH) {
        fprintf(stderr, "http_get: bad path '%s'\n", argv[3]);
        return 2;
      }
      strcpy(path, argv[3]);
    }
  }

  /* Host header: brackets around IPv6 literals, the port unless it is 80. */
  {
    int v6 = strchr(host, ':') != NULL;
    char portbuf[8] = "";
    if (port != 80) snprintf(portbuf, sizeof portbuf, ":%u", port);
    n = snprintf(req, sizeof req,
                 "GET %s HTTP/1.1\r\n"
                 "Host: %s%s%s%s\r\n"
                 "User-Agent: wasisock-http_get/0.1\r\n"
                 "Accept: */*\r\n"
                 "Connection: close\r\n"
                 "\r\n",
                 path, v6 ? "[" : "", host, v6 ? "]" : "", portbuf);
    if (n < 0 || (size_t)n >= sizeof req) return 2;
  }

  snprintf(portstr, sizeof portstr, "%u", port);
  if ((fd = net_connect(host, portstr, SOCK_STREAM, err, sizeof err)) < 0)
    return fail("connect", host, port, err);
  if (net_send_all(fd, req, (size_t)n) < 0)
    return fail("send to", host, port, strerror(errno));
  for (;;) {
    ssize_t got = recv(fd, buf, sizeof buf, 0);
    if (got < 0) return fail("recv from", host, port, strerror(errno));
    if (got == 0) break;
    fwrite(buf, 1, (size_t)got, stdout);
    total += (size_t)got;
  }
  close(fd);
  fflush(stdout);
  if (total == 0) {
    fprintf(stderr, "http_get: %s:%u closed the connection without a response\n",
            host, port);
    return 1;
  }
  return 0;
}
