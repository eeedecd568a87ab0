/*
 * fds.c — posixtest case: socket descriptors and WASI file descriptors
 * side by side.  Many files are opened first (ARGV: a writable directory),
 * then sockets; no number is shared, each call reaches the right kind,
 * and a socket descriptor is WASISOCK_FD_BASE + the host's handle.
 */
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <unistd.h>

#include "posixtest.h"

#define NFILES 200
#define NSOCKS 50

int case_fds(int argc, char **argv) {
  int files[NFILES], socks[NSOCKS], i, j, c, s, dir;
  struct pollfd p[3];
  struct stat st;
  fd_set rd;
  char path[512], buf[16];

  if (argc < 1)
    CHECK_FAIL("fds: needs a directory");
  for (i = 0; i < NFILES; i++) {
    snprintf(path, sizeof(path), "%s/f%d", argv[0], i);
    CHECK_OK(files[i], open(path, O_RDWR | O_CREAT | O_TRUNC, 0600));
  }
  for (i = 0; i < NSOCKS; i++)
    CHECK_OK(socks[i], socket(i % 2 ? AF_INET : AF_INET6, SOCK_STREAM, 0));
  for (i = 0; i < NFILES; i++)
    for (j = 0; j < NSOCKS; j++)
      CHECK(files[i] != socks[j]);
#ifdef __wasm__
  for (i = 0; i < NSOCKS; i++)
    CHECK(socks[i] >= 0x40000000);
  for (i = 0; i < NFILES; i++)
    CHECK(files[i] < 0x40000000);
#endif
  /* Each kind answers as itself. */
  CHECK_EQ(write(files[7], "file7", 5), 5);
  CHECK(fstat(files[7], &st) == 0 && S_ISREG(st.st_mode));
  CHECK(fstat(socks[7], &st) == 0 && S_ISSOCK(st.st_mode));
  CHECK_EQ(lseek(files[7], 0, SEEK_SET), 0);
  CHECK_EQ(read(files[7], buf, sizeof(buf)), 5);
  CHECK_ERR(listen(files[7], 1), ENOTSOCK);
  CHECK_ERR(lseek(socks[7], 0, SEEK_SET), ESPIPE);
  CHECK_EQ(fcntl(files[7], F_GETFL) & O_NONBLOCK, 0);
  CHECK(fcntl(socks[7], F_SETFL, O_NONBLOCK) == 0);
  CHECK(fcntl(socks[7], F_GETFL) & O_NONBLOCK);
  CHECK_EQ(fcntl(files[7], F_GETFL) & O_NONBLOCK, 0);

  /* A connected pair among them, and one poll over files and sockets: a
   * regular file is always ready. */
  CHECK(tu_pair(AF_INET, &c, &s) == 0);
  for (i = 0; i < NFILES; i++)
    CHECK(c != files[i] && s != files[i]);
  p[0].fd = c;
  p[0].events = POLLIN;
  p[1].fd = files[3];
  p[1].events = POLLIN | POLLOUT;
  p[2].fd = -1;
  p[2].events = POLLIN;
  CHECK_EQ(poll(p, 3, 5000), 1);
  CHECK_EQ(p[0].revents, 0);
  CHECK_EQ(p[1].revents, POLLIN | POLLOUT);
  CHECK_EQ(p[2].revents, 0);
  CHECK_EQ(write(s, "x", 1), 1);
  p[1].events = 0;
  CHECK_EQ(poll(p, 3, 5000), 1);
  CHECK_EQ(p[0].revents, POLLIN);

  /* Files only (no socket in the call): ready at once, the engine's poll
   * or not (Node refuses files with EPERM; the layer answers for it). */
  p[0].fd = files[5];
  p[0].events = POLLIN;
  p[1].fd = files[6];
  p[1].events = POLLOUT;
  CHECK_EQ(poll(p, 2, 5000), 2);
  CHECK_EQ(p[0].revents, POLLIN);
  CHECK_EQ(p[1].revents, POLLOUT);

  /* Open before the files close, so it does not take one's number. */
  CHECK_OK(dir, open(argv[0], O_RDONLY | O_DIRECTORY));
  for (i = 0; i < NSOCKS; i++)
    CHECK(close(socks[i]) == 0);
  for (i = 0; i < NFILES; i++)
    CHECK(close(files[i]) == 0);
  CHECK_ERR(close(files[0]), EBADF);
  CHECK_ERR(close(socks[0]), EBADF);

  /* A closed file alone, or beside an open one (no socket in the call):
   * poll says POLLNVAL at once, select EBADF, as for a closed socket. */
  p[0].fd = files[0];
  p[0].events = POLLIN;
  CHECK_EQ(poll(p, 1, 5000), 1);
  CHECK_EQ(p[0].revents, POLLNVAL);
  p[1].fd = dir;
  p[1].events = POLLIN;
  CHECK_EQ(poll(p, 2, 5000), 2);
  CHECK_EQ(p[0].revents, POLLNVAL);
  CHECK_EQ(p[1].revents, POLLIN);
  FD_ZERO(&rd);
  FD_SET(files[0], &rd);
  CHECK_ERR(select(files[0] + 1, &rd, NULL, NULL, NULL), EBADF);
  FD_ZERO(&rd);
  FD_SET(dir, &rd);
  FD_SET(files[0], &rd);
  CHECK_ERR(select((dir > files[0] ? dir : files[0]) + 1, &rd, NULL, NULL, NULL),
            EBADF);
  CHECK(close(dir) == 0);
  CHECK(close(c) == 0 && close(s) == 0);
  return 0;
}
