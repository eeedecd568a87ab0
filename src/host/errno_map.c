/*
 * errno_map.c — native error numbers → WASI errno values.
 *
 * One switch, as uvwasi's uv_mapping.c: the case labels are the native
 * symbolic names (so the file is right on any Unix, whatever the numbers),
 * the results the WASI preview 1 numbers of wasisock_abi.h.  A native error
 * the ABI has no name for becomes EIO: a guest always gets a code it knows.
 * Free of libuv, so the policy engine (policy_parse.c, built on its own by
 * tests/policy) uses it too; libuv's codes are in errno_uv.c.
 */
#include <errno.h>

#include "errno_map.h"

int32_t wasisock__errno_from_native(int err) {
  switch (err) {
  case 0: return WASISOCK_OK;
  case E2BIG: return WASISOCK_E2BIG;
  case EACCES: return WASISOCK_EACCES;
  case EADDRINUSE: return WASISOCK_EADDRINUSE;
  case EADDRNOTAVAIL: return WASISOCK_EADDRNOTAVAIL;
  case EAFNOSUPPORT: return WASISOCK_EAFNOSUPPORT;
  case EAGAIN: return WASISOCK_EAGAIN;
#if defined(EWOULDBLOCK) && EWOULDBLOCK != EAGAIN
  case EWOULDBLOCK: return WASISOCK_EAGAIN;
#endif
  case EALREADY: return WASISOCK_EALREADY;
  case EBADF: return WASISOCK_EBADF;
  case EBADMSG: return WASISOCK_EBADMSG;
  case EBUSY: return WASISOCK_EBUSY;
  case ECANCELED: return WASISOCK_ECANCELED;
  case ECHILD: return WASISOCK_ECHILD;
  case ECONNABORTED: return WASISOCK_ECONNABORTED;
  case ECONNREFUSED: return WASISOCK_ECONNREFUSED;
  case ECONNRESET: return WASISOCK_ECONNRESET;
  case EDEADLK: return WASISOCK_EDEADLK;
#if defined(EDEADLOCK) && EDEADLOCK != EDEADLK
  case EDEADLOCK: return WASISOCK_EDEADLK;
#endif
  case EDESTADDRREQ: return WASISOCK_EDESTADDRREQ;
  case EDOM: return WASISOCK_EDOM;
  case EDQUOT: return WASISOCK_EDQUOT;
  case EEXIST: return WASISOCK_EEXIST;
  case EFAULT: return WASISOCK_EFAULT;
  case EFBIG: return WASISOCK_EFBIG;
  case EHOSTUNREACH: return WASISOCK_EHOSTUNREACH;
#ifdef EHOSTDOWN
  case EHOSTDOWN: return WASISOCK_EHOSTUNREACH; /* no WASI name; closest */
#endif
  case EIDRM: return WASISOCK_EIDRM;
  case EILSEQ: return WASISOCK_EILSEQ;
  case EINPROGRESS: return WASISOCK_EINPROGRESS;
  case EINTR: return WASISOCK_EINTR;
  case EINVAL: return WASISOCK_EINVAL;
  case EIO: return WASISOCK_EIO;
  case EISCONN: return WASISOCK_EISCONN;
  case EISDIR: return WASISOCK_EISDIR;
  case ELOOP: return WASISOCK_ELOOP;
  case EMFILE: return WASISOCK_EMFILE;
  case EMLINK: return WASISOCK_EMLINK;
  case EMSGSIZE: return WASISOCK_EMSGSIZE;
  case EMULTIHOP: return WASISOCK_EMULTIHOP;
  case ENAMETOOLONG: return WASISOCK_ENAMETOOLONG;
  case ENETDOWN: return WASISOCK_ENETDOWN;
  case ENETRESET: return WASISOCK_ENETRESET;
  case ENETUNREACH: return WASISOCK_ENETUNREACH;
  case ENFILE: return WASISOCK_ENFILE;
  case ENOBUFS: return WASISOCK_ENOBUFS;
  case ENODEV: return WASISOCK_ENODEV;
  case ENOENT: return WASISOCK_ENOENT;
  case ENOEXEC: return WASISOCK_ENOEXEC;
  case ENOLCK: return WASISOCK_ENOLCK;
  case ENOLINK: return WASISOCK_ENOLINK;
  case ENOMEM: return WASISOCK_ENOMEM;
  case ENOMSG: return WASISOCK_ENOMSG;
  case ENOPROTOOPT: return WASISOCK_ENOPROTOOPT;
  case ENOSPC: return WASISOCK_ENOSPC;
  case ENOSYS: return WASISOCK_ENOSYS;
  case ENOTCONN: return WASISOCK_ENOTCONN;
  case ENOTDIR: return WASISOCK_ENOTDIR;
  case ENOTEMPTY: return WASISOCK_ENOTEMPTY;
  case ENOTRECOVERABLE: return WASISOCK_ENOTRECOVERABLE;
  case ENOTSOCK: return WASISOCK_ENOTSOCK;
  case ENOTSUP: return WASISOCK_ENOTSUP;
#if defined(EOPNOTSUPP) && EOPNOTSUPP != ENOTSUP
  case EOPNOTSUPP: return WASISOCK_ENOTSUP;
#endif
  case ENOTTY: return WASISOCK_ENOTTY;
  case ENXIO: return WASISOCK_ENXIO;
  case EOVERFLOW: return WASISOCK_EOVERFLOW;
  case EOWNERDEAD: return WASISOCK_EOWNERDEAD;
  case EPERM: return WASISOCK_EPERM;
  case EPIPE: return WASISOCK_EPIPE;
#ifdef ESHUTDOWN
  case ESHUTDOWN: return WASISOCK_EPIPE; /* send after shutdown(SHUT_WR) */
#endif
  case EPROTO: return WASISOCK_EPROTO;
  case EPROTONOSUPPORT: return WASISOCK_EPROTONOSUPPORT;
  case EPROTOTYPE: return WASISOCK_EPROTOTYPE;
  case ERANGE: return WASISOCK_ERANGE;
  case EROFS: return WASISOCK_EROFS;
  case ESPIPE: return WASISOCK_ESPIPE;
  case ESRCH: return WASISOCK_ESRCH;
  case ESTALE: return WASISOCK_ESTALE;
  case ETIMEDOUT: return WASISOCK_ETIMEDOUT;
  case ETXTBSY: return WASISOCK_ETXTBSY;
  case EXDEV: return WASISOCK_EXDEV;
  default: return WASISOCK_EIO;
  }
}
