/*
 * fstat.c — fstat(), isatty() and lseek() on socket descriptors (wrapped:
 * other descriptors go to wasi-libc, a negative one is EBADF: engines
 * differ there, Node says EINVAL).  wasi-libc's <unistd.h> turns
 * lseek(fd, 0, SEEK_CUR) into __wasilibc_tell(fd), so that is wrapped too.
 */
#include <string.h>
#include <unistd.h>

#include "internal.h"

int __wrap_fstat(int fd, struct stat *st) {
  uint32_t handle;

  if (!wasisock__is_socket_fd(fd))
    return fd < 0 ? wasisock__fail(EBADF) : __real_fstat(fd, st);
  handle = wasisock__fd_handle(fd);
  if (wasisock__socket_type(handle, NULL) < 0)
    return -1;
  if (!wasisock__mem_ok(st, sizeof(*st)))
    return wasisock__fail(EFAULT);
  /* What Linux reports for a socket: a socket file, rwx for all, one
   * link; the handle serves as the inode number. */
  memset(st, 0, sizeof(*st));
  st->st_mode = S_IFSOCK | 0777;
  st->st_nlink = 1;
  st->st_ino = handle;
  st->st_blksize = 4096;
  return 0;
}

int __wrap_isatty(int fd) {
  if (!wasisock__is_socket_fd(fd)) {
    if (fd < 0) {
      errno = EBADF;
      return 0;
    }
    return __real_isatty(fd);
  }
  if (wasisock__socket_type(wasisock__fd_handle(fd), NULL) < 0)
    return 0;
  errno = ENOTTY;
  return 0;
}

off_t __wrap_lseek(int fd, off_t offset, int whence) {
  if (!wasisock__is_socket_fd(fd))
    return fd < 0 ? wasisock__fail(EBADF) : __real_lseek(fd, offset, whence);
  if (wasisock__socket_type(wasisock__fd_handle(fd), NULL) < 0)
    return -1;
  return wasisock__fail(ESPIPE);
}

off_t __wrap___wasilibc_tell(int fd) {
  if (!wasisock__is_socket_fd(fd))
    return fd < 0 ? wasisock__fail(EBADF) : __real___wasilibc_tell(fd);
  if (wasisock__socket_type(wasisock__fd_handle(fd), NULL) < 0)
    return -1;
  return wasisock__fail(ESPIPE);
}
