/*
 * echo_client — send a message to a TCP echo server and print the echo.
 *
 *   echo_client HOST PORT MESSAGE                 (natively)
 *   wasisock-run echo_client.wasm HOST PORT MESSAGE
 *
 * Connects to HOST:PORT (every address getaddrinfo gives is tried in
 * order), sends MESSAGE, reads until as many bytes came back (or the server
 * closed), and writes them to stdout followed by a newline.  Errors go to
 * stderr as "echo_client: connect HOST:PORT: Connection refused"; the exit
 * status is then 1.  Plain BSD sockets: one source, native and wasm32.
 */
#define _POSIX_C_SOURCE 200809L /* getaddrinfo & co. in strict C11 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "netutil.h"

int main(int argc, char **argv) {
  const char *host, *port, *msg;
  char err[256], *echo;
  size_t len, got = 0;
  int fd;

  if (argc != 4) {
    fprintf(stderr, "usage: echo_client HOST PORT MESSAGE\n");
    return 2;
  }
  host = argv[1];
  port = argv[2];
  msg = argv[3];
  len = strlen(msg);
  if ((echo = malloc(len + 1)) == NULL) {
    fprintf(stderr, "echo_client: out of memory\n");
    return 1;
  }

  if ((fd = net_connect(host, port, SOCK_STREAM, err, sizeof(err))) < 0) {
    fprintf(stderr, "echo_client: connect %s:%s: %s\n", host, port, err);
    return 1;
  }
  if (net_send_all(fd, msg, len) < 0) {
    fprintf(stderr, "echo_client: send to %s:%s: %s\n", host, port,
            strerror(errno));
    return 1;
  }
  while (got < len) {
    ssize_t n = recv(fd, echo + got, len - got, 0);
    if (n < 0) {
      fprintf(stderr, "echo_client: recv from %s:%s: %s\n", host, port,
              strerror(errno));
      return 1;
    }
    if (n == 0)
      break; /* the server closed early: print what we have */
    got += (size_t)n;
  }
  close(fd);

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
