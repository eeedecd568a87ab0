/*
 * echo_client — send a message to a TCP echo server and print the echo.
 *
 *   wasisock-run echo_client.wasm HOST PORT MESSAGE
 *
 * Connects to HOST:PORT (every resolved address is tried in order), sends
 * MESSAGE, reads until as many bytes came back (or the server closed), and
 * writes them to stdout followed by a newline.  Errors go to stderr as
 * "echo_client: connect HOST:PORT: ECONNREFUSED (Connection refused)"; the
 * exit status is then 1.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasisock.h"

static int fail(const char *what, const char *host, const char *port) {
  int err = errno;
  fprintf(stderr, "echo_client: %s %s:%s: %s (%s)\n", what, host, port,
          wasisock_errno_name(err), strerror(err));
  return 1;
}

int main(int argc, char **argv) {
  const char *host, *port_s, *msg;
  char *end, *echo;
  size_t len, got = 0;
  unsigned long port;
  int h;

  if (argc != 4) {
    fprintf(stderr, "usage: echo_client HOST PORT MESSAGE\n");
    return 2;
  }
  host = argv[1];
  port_s = argv[2];
  msg = argv[3];
  port = strtoul(port_s, &end, 10);
  if (*port_s == '\0' || *end != '\0' || port > 65535) {
    fprintf(stderr, "echo_client: bad port '%s'\n", port_s);
    return 2;
  }
  len = strlen(msg);
  echo = malloc(len + 1);
  if (echo == NULL) {
    fprintf(stderr, "echo_client: out of memory\n");
    return 1;
  }

  h = wasisock_tcp_connect(host, (uint16_t)port);
  if (h < 0) return fail("connect", host, port_s);
  if (wasisock_send_all(h, msg, len) < 0) return fail("send to", host, port_s);
  while (got < len) {
    ssize_t n = wasisock_recv(h, echo + got, len - got);
    if (n < 0) return fail("recv from", host, port_s);
    if (n == 0) break; /* the server closed early: print what we have */
    got += (size_t)n;
  }
  wasisock_close(h);

  fwrite(echo, 1, got, stdout);
  fputc('\n', stdout);
  free(echo);
  if (got < len) {
    fprintf(stderr, "echo_client: server closed after %zu of %zu bytes\n", got,
            len);
    return 1;
  }
  return 0;
}
