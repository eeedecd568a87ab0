/*
 * activated_echo.c — a socket-activated echo server in plain POSIX C: it
 * never binds, it serves the sockets the runner hands over.
 *
 *   wasisock-run --deny-all --listen 127.0.0.1:7000 --listen udp:127.0.0.1:7000 \
 *       activated_echo.wasm [CONNECTIONS]
 *
 * The runner binds with its own rights (so --deny-all, which forbids the
 * guest to bind anything, does not stop it) and tells the guest what it
 * got the way systemd tells a socket-activated service (sd_listen_fds):
 * LISTEN_FDS sockets, named in LISTEN_FDNAMES; WASI's descriptors 3, 4, ...
 * are its preopened directories, so LISTEN_FDS_START gives the first
 * socket's descriptor, the others follow.  This program echoes every TCP
 * connection until its client closes, and every datagram back to its
 * sender (a reply the network policy must allow), until CONNECTIONS TCP
 * connections (default 1) have been served.  The same code serves under
 * systemd natively, where LISTEN_FDS_START is absent and the sockets
 * start at 3.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/socket.h>

#include "netutil.h"

#define MAX_SOCKETS 16

/* The handed-over sockets: their count, and the first descriptor in *start.
 * 0 when the program was not socket-activated. */
static int listen_fds(int *start) {
  const char *n = getenv("LISTEN_FDS"), *s = getenv("LISTEN_FDS_START");

  *start = s != NULL ? atoi(s) : 3; /* SD_LISTEN_FDS_START */
  return n != NULL ? atoi(n) : 0;
}

/* The i-th name of LISTEN_FDNAMES ("name1:name2:..."), into buf. */
static const char *fd_name(int i, char *buf, size_t len) {
  const char *names = getenv("LISTEN_FDNAMES"), *end;

  for (; names != NULL && i > 0; i--)
    names = (names = strchr(names, ':')) != NULL ? names + 1 : NULL;
  if (names == NULL)
    return "unknown";
  end = strchr(names, ':');
  snprintf(buf, len, "%.*s",
           (int)(end != NULL ? (size_t)(end - names) : strlen(names)), names);
  return buf;
}

/* Echoes one connection until its client closes. */
static void echo_stream(int c) {
  char buf[16384];
  ssize_t n;

  while ((n = read(c, buf, sizeof(buf))) > 0) {
    if (net_send_all(c, buf, (size_t)n) != 0) {
      perror("activated_echo: send");
      return;
    }
  }
  if (n < 0)
    perror("activated_echo: read");
}

static void echo_datagram(int fd) {
  /* Static: the largest datagram does not fit on a wasm32 guest's 64 KiB
   * stack. */
  static char buf[65536];
  struct sockaddr_storage from;
  socklen_t len = sizeof(from);
  char text[NET_ADDRSTRLEN];
  ssize_t n;

  n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len);
  if (n < 0) {
    perror("activated_echo: recvfrom");
    return;
  }
  if (sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&from, len) < 0)
    fprintf(stderr, "activated_echo: reply to %s: %s\n",
            net_addr_text((struct sockaddr *)&from, len, text, sizeof(text)),
            strerror(errno));
}

int main(int argc, char **argv) {
  struct pollfd p[MAX_SOCKETS];
  int types[MAX_SOCKETS];
  int start, n = listen_fds(&start), served = 0, want, i;
  char name[64], text[NET_ADDRSTRLEN];

  want = argc > 1 ? atoi(argv[1]) : 1;
  if (n <= 0 || n > MAX_SOCKETS) {
    fprintf(stderr, "activated_echo: no sockets handed over (LISTEN_FDS; "
                    "run me with --listen ADDR:PORT)\n");
    return 2;
  }
  for (i = 0; i < n; i++) {
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    socklen_t tlen = sizeof(types[i]);
    p[i].fd = start + i;
    p[i].events = POLLIN;
    if (getsockname(p[i].fd, (struct sockaddr *)&ss, &len) != 0 ||
        getsockopt(p[i].fd, SOL_SOCKET, SO_TYPE, &types[i], &tlen) != 0) {
      fprintf(stderr, "activated_echo: descriptor %d: %s\n", p[i].fd,
              strerror(errno));
      return 1;
    }
    printf("%s: %s %s (fd %d)\n", fd_name(i, name, sizeof(name)),
           types[i] == SOCK_STREAM ? "tcp" : "udp",
           net_addr_text((struct sockaddr *)&ss, len, text, sizeof(text)),
           p[i].fd);
  }
  fflush(stdout);

  while (served < want) {
    if (poll(p, (nfds_t)n, -1) < 0) {
      perror("activated_echo: poll");
      return 1;
    }
    for (i = 0; i < n; i++) {
      if (!(p[i].revents & POLLIN))
        continue;
      if (types[i] == SOCK_DGRAM) {
        echo_datagram(p[i].fd);
        continue;
      }
      {
        struct sockaddr_storage peer;
        socklen_t len = sizeof(peer);
        int c = accept(p[i].fd, (struct sockaddr *)&peer, &len);
        if (c < 0) {
          perror("activated_echo: accept");
          continue;
        }
        echo_stream(c);
        close(c);
        printf("served %s\n",
               net_addr_text((struct sockaddr *)&peer, len, text, sizeof(text)));
        fflush(stdout);
        served++;
      }
    }
  }
  return 0;
}
