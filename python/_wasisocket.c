/*
 * _wasisocket.c — CPython's low-level view of the wasisock imports.
 *
 * A thin client of include/wasisock.h: every function validates its Python
 * arguments, calls one raw import (__wasisock_sock_*) with the GIL released,
 * and turns a non-zero WASI errno into an exception.  Address records are
 * only ever built and parsed by wasisock_addr_write/_read; this file spells
 * no offset.  Handles are the host's socket numbers, not descriptors.
 *
 * The rest of python.wasm does not use these functions: CPython's own
 * _socket and select run on wasisock's POSIX layer, and the wasisocket
 * package (Socket, create_connection, ...) is built on socket.  They stay
 * as the raw view of the imports, one import per call (tests, tools, the
 * seed project's low-level API).
 *
 * The module also holds FastConnect, Socket.connect's C half: fastconnect.c.
 *
 * Errors:
 *   - a failed call raises OSError(errno, strerror) through one helper,
 *     raise_code().  wasi-libc's errno numbering is WASI's, so storing the
 *     code in errno and calling PyErr_SetFromErrno picks the right subclass
 *     (ConnectionRefusedError, TimeoutError, BrokenPipeError, ...);
 *   - a name that does not resolve raises socket.gaierror (the class of the
 *     built-in _socket module when it can be imported, else our own OSError
 *     subclass) with an EAI_* code;
 *   - bad arguments raise TypeError / ValueError before any import is called;
 *     a handle outside 0..UINT32_MAX raises OSError(EBADF), as os.read(-1, 1)
 *     does, since no such handle can be open.
 *
 * Built into python.wasm with fastconnect.c by scripts/cpython-wasi.sh
 * (Modules/Setup.local).  Compiled for anything but wasm32 (a syntax check
 * with the host's Python headers), the imports are replaced by stubs that
 * answer ENOSYS.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <math.h>

#include "fastconnect.h"
#include "pycompat.h"
#include "wasisock.h"

#if !defined(__wasm32__)
/* Native compile check only: no wasisock host to import from. */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#define WASISOCK__STUB(name, ...)                                              \
  static int32_t __wasisock_##name(__VA_ARGS__) { return WASISOCK_ENOSYS; }
WASISOCK__STUB(sock_abi_version, uint32_t *r)
WASISOCK__STUB(sock_open, uint32_t a, uint32_t t, uint32_t *h)
WASISOCK__STUB(sock_resolve, const uint8_t *n, uint32_t l, uint32_t p,
               uint8_t *a, uint32_t m, uint32_t *c)
WASISOCK__STUB(sock_connect, uint32_t h, const uint8_t *a)
WASISOCK__STUB(sock_send, uint32_t h, const uint8_t *b, uint32_t l,
               uint32_t *s)
WASISOCK__STUB(sock_recv, uint32_t h, uint8_t *b, uint32_t l, uint32_t *r)
WASISOCK__STUB(sock_close, uint32_t h)
WASISOCK__STUB(sock_bind, uint32_t h, const uint8_t *a)
WASISOCK__STUB(sock_listen, uint32_t h, uint32_t b)
WASISOCK__STUB(sock_accept, uint32_t h, uint32_t *n, uint8_t *a)
WASISOCK__STUB(sock_send_to, uint32_t h, const uint8_t *b, uint32_t l,
               uint32_t f, const uint8_t *a, uint32_t *s)
WASISOCK__STUB(sock_recv_from, uint32_t h, uint8_t *b, uint32_t l, uint32_t f,
               uint8_t *a, uint32_t *r)
WASISOCK__STUB(sock_shutdown, uint32_t h, uint32_t how)
WASISOCK__STUB(sock_getsockopt, uint32_t h, uint32_t l, uint32_t n,
               uint32_t *v)
WASISOCK__STUB(sock_setsockopt, uint32_t h, uint32_t l, uint32_t n,
               uint32_t v)
WASISOCK__STUB(sock_local_addr, uint32_t h, uint8_t *a)
WASISOCK__STUB(sock_peer_addr, uint32_t h, uint8_t *a)
WASISOCK__STUB(sock_set_timeout, uint32_t h, uint32_t t)
WASISOCK__STUB(sock_get_timeout, uint32_t h, uint32_t *t)
WASISOCK__STUB(sock_poll, uint8_t *s, uint32_t n, uint32_t t, uint32_t *r)
#undef WASISOCK__STUB
#endif

/* First and largest number of records sock_resolve is offered.  A full
 * buffer may mean more addresses exist, so the call is repeated with twice
 * the room until it is not full or the ceiling is reached. */
#define RESOLVE_FIRST 16
#define RESOLVE_MAX 256

/* ---- Module state ------------------------------------------------------- */

typedef struct {
  PyObject *gaierror; /* _socket.gaierror, or our own OSError subclass */
  /* EAI_* codes used for gaierror: _socket's when it defines them, else
   * glibc's values (wasi-libc has no <netdb.h> for wasip1). */
  long eai_noname, eai_again, eai_fail, eai_memory;
  /* sock_poll's record array, kept between calls (an event loop polls
   * constantly) and grown as needed.  poll_busy is set while a call uses it
   * with the GIL released; a concurrent call then allocates its own. */
  uint8_t *poll_buf;
  size_t poll_cap; /* records poll_buf holds */
  int poll_busy;
} wasisocket_state;

static inline wasisocket_state *get_state(PyObject *module) {
  return (wasisocket_state *)PyModule_GetState(module);
}

/* ---- Errors -------------------------------------------------------------- */

/* The one place a WASI errno becomes an exception: OSError(errno, strerror),
 * as the matching subclass. */
static PyObject *raise_code(int32_t code) {
  errno = (int)code;
  return PyErr_SetFromErrno(PyExc_OSError);
}

/* The end of every call that returns nothing: None, or the exception. */
static PyObject *none_or_raise(int32_t rc) {
  if (rc != WASISOCK_OK)
    return raise_code(rc);
  Py_RETURN_NONE;
}

/* rc = the import call CALL, made with the GIL released (host calls may
 * block). */
#define HOST_CALL(rc, call)                                                    \
  do {                                                                         \
    Py_BEGIN_ALLOW_THREADS                                                     \
    (rc) = (call);                                                             \
    Py_END_ALLOW_THREADS                                                       \
  } while (0)

/* gaierror(eai, message) for sock_resolve's name failures; other codes are
 * ordinary OS errors. */
static PyObject *raise_resolve_error(PyObject *module, int32_t code) {
  wasisocket_state *st = get_state(module);
  long eai;
  const char *msg;
  switch (code) {
  case WASISOCK_ENOENT:
    eai = st->eai_noname;
    msg = "Name or service not known";
    break;
  case WASISOCK_EAGAIN:
    eai = st->eai_again;
    msg = "Temporary failure in name resolution";
    break;
  case WASISOCK_EIO:
    eai = st->eai_fail;
    msg = "Non-recoverable failure in name resolution";
    break;
  case WASISOCK_ENOMEM:
    eai = st->eai_memory;
    msg = "Memory allocation failure";
    break;
  default:
    return raise_code(code);
  }
  PyObject *args = Py_BuildValue("(ls)", eai, msg);
  if (args != NULL) {
    PyErr_SetObject(st->gaierror, args);
    Py_DECREF(args);
  }
  return NULL;
}

/* ---- Argument converters (PyArg_Parse "O&") ------------------------------ */

/* A socket handle: an int.  Values no handle can have (negative, > u32)
 * raise OSError(EBADF) as the host would for an unknown handle. */
static int handle_converter(PyObject *obj, void *out) {
  if (!PyLong_Check(obj)) {
    PyErr_Format(PyExc_TypeError, "socket handle must be an int, not %.100s",
                 Py_TYPE(obj)->tp_name);
    return 0;
  }
  int overflow;
  long long v = PyLong_AsLongLongAndOverflow(obj, &overflow);
  if (v == -1 && PyErr_Occurred())
    return 0;
  if (overflow != 0 || v < 0 || v > (long long)UINT32_MAX) {
    raise_code(WASISOCK_EBADF);
    return 0;
  }
  *(uint32_t *)out = (uint32_t)v;
  return 1;
}

/* A port: an int in 0..65535, else ValueError (OverflowError is not a
 * ValueError, so huge ints get the same message). */
static int port_converter(PyObject *obj, void *out) {
  if (!PyLong_Check(obj)) {
    PyErr_Format(PyExc_TypeError, "port must be an int, not %.100s",
                 Py_TYPE(obj)->tp_name);
    return 0;
  }
  int overflow;
  long v = PyLong_AsLongAndOverflow(obj, &overflow);
  if (v == -1 && PyErr_Occurred())
    return 0;
  if (overflow != 0 || v < 0 || v > 65535) {
    PyErr_SetString(PyExc_ValueError, "port must be 0-65535");
    return 0;
  }
  *(uint16_t *)out = (uint16_t)v;
  return 1;
}

/* A byte count: a non-negative int that fits Py_ssize_t and u32. */
static int size_converter(PyObject *obj, void *out) {
  Py_ssize_t v = PyNumber_AsSsize_t(obj, PyExc_OverflowError);
  if (v == -1 && PyErr_Occurred())
    return 0;
  if (v < 0) {
    PyErr_SetString(PyExc_ValueError, "negative buffer size");
    return 0;
  }
#if PY_SSIZE_T_MAX > UINT32_MAX
  if ((size_t)v > UINT32_MAX) {
    PyErr_SetString(PyExc_OverflowError, "buffer size too large");
    return 0;
  }
#endif
  *(Py_ssize_t *)out = v;
  return 1;
}

/* A byte length as the imports take it.  On wasm32 every buffer fits; a
 * native build clamps instead of wrapping (send is allowed to be partial). */
static inline uint32_t u32_len(Py_ssize_t n) {
#if PY_SSIZE_T_MAX > UINT32_MAX
  if ((size_t)n > UINT32_MAX)
    return UINT32_MAX;
#endif
  return (uint32_t)n;
}

/* Flags of sock_recv_from / sock_send_to: an int in 0..UINT32_MAX (the host
 * checks the bits and answers EINVAL for unknown ones). */
static int flags_converter(PyObject *obj, void *out) {
  if (!PyLong_Check(obj)) {
    PyErr_Format(PyExc_TypeError, "flags must be an int, not %.100s",
                 Py_TYPE(obj)->tp_name);
    return 0;
  }
  int overflow;
  long long v = PyLong_AsLongLongAndOverflow(obj, &overflow);
  if (v == -1 && PyErr_Occurred())
    return 0;
  if (overflow != 0 || v < 0 || v > (long long)UINT32_MAX) {
    PyErr_SetString(PyExc_ValueError, "flags must be 0-4294967295");
    return 0;
  }
  *(uint32_t *)out = (uint32_t)v;
  return 1;
}

/* Seconds as a double from a real number (int, float, anything with
 * __float__ or __index__), rejecting NaN.  Returns 0 on error. */
static int seconds_from(PyObject *obj, double *out) {
  if (PyUnicode_Check(obj) || PyBytes_Check(obj) || PyByteArray_Check(obj)) {
    PyErr_Format(PyExc_TypeError, "timeout must be a number or None, not %.100s",
                 Py_TYPE(obj)->tp_name);
    return 0;
  }
  double d = PyFloat_AsDouble(obj);
  if (d == -1.0 && PyErr_Occurred())
    return 0;
  if (isnan(d)) {
    PyErr_SetString(PyExc_ValueError, "Invalid value NaN (not a number)");
    return 0;
  }
  *out = d;
  return 1;
}

/* A socket timeout for sock_set_timeout: None blocks (WASISOCK_TIMEOUT_NONE),
 * 0 is non-blocking, else seconds rounded up to whole milliseconds (so a
 * tiny positive timeout never becomes non-blocking).  Negative values are
 * ValueError, as socket.settimeout says. */
static int timeout_converter(PyObject *obj, void *out) {
  if (obj == Py_None) {
    *(uint32_t *)out = WASISOCK_TIMEOUT_NONE;
    return 1;
  }
  double d;
  if (!seconds_from(obj, &d))
    return 0;
  if (d < 0) {
    PyErr_SetString(PyExc_ValueError, "Timeout value out of range");
    return 0;
  }
  double ms = ceil(d * 1000.0);
  if (!(ms < (double)WASISOCK_TIMEOUT_NONE)) { /* also +inf */
    PyErr_SetString(PyExc_OverflowError, "timeout doesn't fit into 32 bits "
                                         "of milliseconds");
    return 0;
  }
  *(uint32_t *)out = (uint32_t)ms;
  return 1;
}

/* sock_poll's wait: None or negative waits without limit (the import's -1),
 * else seconds rounded up to milliseconds, clamped to the import's i32. */
static int poll_timeout_converter(PyObject *obj, void *out) {
  if (obj == Py_None) {
    *(uint32_t *)out = (uint32_t)-1;
    return 1;
  }
  double d;
  if (!seconds_from(obj, &d))
    return 0;
  double ms = ceil(d * 1000.0);
  if (d < 0)
    *(uint32_t *)out = (uint32_t)-1;
  else if (ms >= (double)INT32_MAX)
    *(uint32_t *)out = (uint32_t)INT32_MAX;
  else
    *(uint32_t *)out = (uint32_t)ms;
  return 1;
}

/* Fills record with the address (family, port, addr_bytes): family AF_INET
 * with 4 bytes or AF_INET6 with 16, else ValueError.  Returns 0 on error.
 * The caller releases addr. */
static int make_record(int family, uint16_t port, const Py_buffer *addr,
                       uint8_t record[WASISOCK_ADDR_SIZE]) {
  if (family != WASISOCK_AF_INET && family != WASISOCK_AF_INET6) {
    PyErr_Format(PyExc_ValueError,
                 "family must be AF_INET (%d) or AF_INET6 (%d), not %d",
                 WASISOCK_AF_INET, WASISOCK_AF_INET6, family);
    return 0;
  }
  uint32_t want = wasisock_addr_bytes_len((uint8_t)family);
  if (addr->len != (Py_ssize_t)want) {
    PyErr_Format(PyExc_ValueError, "%s address must be %u bytes, not %zd",
                 family == WASISOCK_AF_INET ? "AF_INET" : "AF_INET6",
                 (unsigned)want, addr->len);
    return 0;
  }
  wasisock_addr_t a;
  a.family = (uint8_t)family;
  a.port = port;
  memcpy(a.bytes, addr->buf, want);
  wasisock_addr_write(record, &a);
  return 1;
}

/* (family, port, addr_bytes) from a record the host wrote; None for "no
 * address" (family AF_UNSPEC, as sock_recv_from writes on a stream). */
static PyObject *record_object(const uint8_t record[WASISOCK_ADDR_SIZE]) {
  wasisock_addr_t a;
  if (wasisock_addr_read(record, &a) != WASISOCK_OK) {
    if (a.family == WASISOCK_AF_UNSPEC)
      Py_RETURN_NONE;
    PyErr_Format(PyExc_RuntimeError,
                 "the host returned an unknown address family %u",
                 (unsigned)a.family);
    return NULL;
  }
  return Py_BuildValue("(iiy#)", (int)a.family, (int)a.port,
                       (const char *)a.bytes,
                       (Py_ssize_t)wasisock_addr_bytes_len(a.family));
}

/* Receives with sock_recv, or with sock_recv_from when there are flags or
 * the sender is wanted (record not NULL).  Called without the GIL. */
static int32_t recv_any(uint32_t handle, uint8_t *buf, uint32_t len,
                        uint32_t flags, uint8_t *record, uint32_t *received) {
  uint8_t scratch[WASISOCK_ADDR_SIZE];
  if (record == NULL && flags == 0)
    return __wasisock_sock_recv(handle, buf, len, received);
  return __wasisock_sock_recv_from(handle, buf, len, flags,
                                   record != NULL ? record : scratch,
                                   received);
}

/* ---- Functions ------------------------------------------------------------ */

PyDoc_STRVAR(abi_version_doc,
             "abi_version($module, /)\n--\n\n"
             "Return the wasisock ABI revision the host implements.");

static PyObject *wasisocket_abi_version(PyObject *module,
                                        PyObject *Py_UNUSED(ignored)) {
  uint32_t revision = 0;
  int32_t rc = __wasisock_sock_abi_version(&revision);
  if (rc != WASISOCK_OK)
    return raise_code(rc);
  return PyLong_FromUnsignedLong(revision);
}

PyDoc_STRVAR(sock_open_doc,
             "sock_open($module, family, type, /)\n--\n\n"
             "Create a socket and return its handle.\n\n"
             "family is AF_INET or AF_INET6, type SOCK_STREAM or SOCK_DGRAM.");

static PyObject *wasisocket_sock_open(PyObject *module, PyObject *args) {
  int af, type;
  if (!PyArg_ParseTuple(args, "ii:sock_open", &af, &type))
    return NULL;
  if (af != WASISOCK_AF_INET && af != WASISOCK_AF_INET6) {
    PyErr_Format(PyExc_ValueError,
                 "family must be AF_INET (%d) or AF_INET6 (%d), not %d",
                 WASISOCK_AF_INET, WASISOCK_AF_INET6, af);
    return NULL;
  }
  if (type != WASISOCK_SOCK_STREAM && type != WASISOCK_SOCK_DGRAM) {
    PyErr_Format(PyExc_ValueError,
                 "type must be SOCK_STREAM (%d) or SOCK_DGRAM (%d), not %d",
                 WASISOCK_SOCK_STREAM, WASISOCK_SOCK_DGRAM, type);
    return NULL;
  }
  uint32_t handle = 0;
  int32_t rc;
  HOST_CALL(rc, __wasisock_sock_open((uint32_t)af, (uint32_t)type, &handle));
  if (rc != WASISOCK_OK)
    return raise_code(rc);
  return PyLong_FromUnsignedLong(handle);
}

/* The host name as the bytes sock_resolve takes: str is encoded to ASCII,
 * through the "idna" codec when it has non-ASCII characters (as the socket
 * module does); bytes-like objects are taken as they are.  Returns a new
 * bytes object or NULL. */
static PyObject *encode_host(PyObject *host) {
  PyObject *b;
  if (PyUnicode_Check(host)) {
    if (PyUnicode_IS_ASCII(host))
      b = PyUnicode_AsASCIIString(host);
    else
      b = PyUnicode_AsEncodedString(host, "idna", NULL);
  } else if (PyObject_CheckBuffer(host)) {
    b = PyBytes_FromObject(host);
  } else {
    PyErr_Format(PyExc_TypeError,
                 "host must be str or bytes, not %.100s",
                 Py_TYPE(host)->tp_name);
    return NULL;
  }
  if (b == NULL)
    return NULL;
  if (!PyBytes_Check(b)) { /* a codec returning something odd */
    Py_DECREF(b);
    PyErr_SetString(PyExc_TypeError, "host name encoding did not give bytes");
    return NULL;
  }
  Py_ssize_t n = PyBytes_GET_SIZE(b);
  if (n == 0 || n > WASISOCK_NAME_MAX) {
    Py_DECREF(b);
    PyErr_Format(PyExc_ValueError, "host name must be 1 to %d bytes, not %zd",
                 WASISOCK_NAME_MAX, n);
    return NULL;
  }
  if (memchr(PyBytes_AS_STRING(b), '\0', (size_t)n) != NULL) {
    Py_DECREF(b);
    PyErr_SetString(PyExc_ValueError, "host name contains a NUL byte");
    return NULL;
  }
  return b;
}

/* [(family, port, addr_bytes), ...] from n decoded records. */
static PyObject *addr_list(const uint8_t *records, uint32_t n) {
  PyObject *list = PyList_New((Py_ssize_t)n);
  if (list == NULL)
    return NULL;
  for (uint32_t i = 0; i < n; i++) {
    wasisock_addr_t a;
    if (wasisock_addr_read(records + (size_t)i * WASISOCK_ADDR_SIZE, &a) !=
        WASISOCK_OK) {
      Py_DECREF(list);
      PyErr_Format(PyExc_RuntimeError,
                   "sock_resolve returned an unknown address family %u",
                   (unsigned)a.family);
      return NULL;
    }
    PyObject *item = Py_BuildValue(
        "(iiy#)", (int)a.family, (int)a.port, (const char *)a.bytes,
        (Py_ssize_t)wasisock_addr_bytes_len(a.family));
    if (item == NULL) {
      Py_DECREF(list);
      return NULL;
    }
    PyList_SET_ITEM(list, (Py_ssize_t)i, item);
  }
  return list;
}

PyDoc_STRVAR(
    sock_resolve_doc,
    "sock_resolve($module, host, port, /)\n--\n\n"
    "Resolve host into a list of (family, port, addr_bytes) tuples.\n\n"
    "Every IPv4 and IPv6 address is returned, in the host resolver's order;\n"
    "addr_bytes is 4 bytes for AF_INET and 16 for AF_INET6.  A numeric\n"
    "address is accepted as host.  Raises gaierror when the name does not\n"
    "resolve.");

static PyObject *wasisocket_sock_resolve(PyObject *module, PyObject *args) {
  PyObject *host;
  uint16_t port;
  if (!PyArg_ParseTuple(args, "OO&:sock_resolve", &host, port_converter,
                        &port))
    return NULL;
  PyObject *name = encode_host(host);
  if (name == NULL)
    return NULL;

  PyObject *result = NULL;
  uint8_t *records = NULL;
  uint32_t max = RESOLVE_FIRST;
  for (;;) {
    uint8_t *grown = PyMem_Realloc(records, (size_t)max * WASISOCK_ADDR_SIZE);
    if (grown == NULL) {
      PyErr_NoMemory();
      goto out;
    }
    records = grown;
    uint32_t count = 0;
    int32_t rc;
    HOST_CALL(rc, __wasisock_sock_resolve(
                      (const uint8_t *)PyBytes_AS_STRING(name),
                      (uint32_t)PyBytes_GET_SIZE(name), port, records, max,
                      &count));
    if (rc != WASISOCK_OK) {
      raise_resolve_error(module, rc);
      goto out;
    }
    if (count > max) {
      PyErr_Format(PyExc_RuntimeError,
                   "sock_resolve reported %u addresses for room for %u",
                   (unsigned)count, (unsigned)max);
      goto out;
    }
    if (count < max || max >= RESOLVE_MAX) {
      result = addr_list(records, count);
      goto out;
    }
    max *= 2;
  }
out:
  PyMem_Free(records);
  Py_DECREF(name);
  return result;
}

PyDoc_STRVAR(
    sock_connect_doc,
    "sock_connect($module, handle, family, port, addr_bytes, /)\n--\n\n"
    "Connect socket handle to an address.\n\n"
    "addr_bytes is 4 bytes for AF_INET and 16 for AF_INET6, as returned by\n"
    "sock_resolve.  For SOCK_DGRAM this sets the peer of send and recv.");

/* sock_connect and sock_bind: (handle, family, port, addr_bytes). */
static PyObject *call_with_address(PyObject *args, const char *format,
                                   int32_t (*call)(uint32_t,
                                                   const uint8_t *)) {
  uint32_t handle;
  int family;
  uint16_t port;
  Py_buffer addr;
  if (!PyArg_ParseTuple(args, format, handle_converter, &handle, &family,
                        port_converter, &port, &addr))
    return NULL;
  uint8_t record[WASISOCK_ADDR_SIZE];
  int ok = make_record(family, port, &addr, record);
  PyBuffer_Release(&addr);
  if (!ok)
    return NULL;
  int32_t rc;
  HOST_CALL(rc, call(handle, record));
  return none_or_raise(rc);
}

static PyObject *wasisocket_sock_connect(PyObject *module, PyObject *args) {
  return call_with_address(args, "O&iO&y*:sock_connect",
                           __wasisock_sock_connect);
}

PyDoc_STRVAR(sock_send_doc,
             "sock_send($module, handle, data, /)\n--\n\n"
             "Send data (any bytes-like object); return the number of bytes "
             "sent.\n\n"
             "A stream send may be partial: the caller sends the rest.");

static PyObject *wasisocket_sock_send(PyObject *module, PyObject *args) {
  uint32_t handle;
  Py_buffer data;
  if (!PyArg_ParseTuple(args, "O&y*:sock_send", handle_converter, &handle,
                        &data))
    return NULL;
  uint32_t sent = 0;
  int32_t rc;
  HOST_CALL(rc, __wasisock_sock_send(handle, (const uint8_t *)data.buf,
                                     u32_len(data.len), &sent));
  PyBuffer_Release(&data);
  if (rc != WASISOCK_OK)
    return raise_code(rc);
  return PyLong_FromUnsignedLong(sent);
}

PyDoc_STRVAR(sock_recv_doc,
             "sock_recv($module, handle, n, flags=0, /)\n--\n\n"
             "Receive up to n bytes; return them as bytes.\n\n"
             "Blocks until data arrives (per the socket's timeout).  b'' means "
             "the\npeer closed the connection.  flags: MSG_PEEK, MSG_WAITALL.");

PyDoc_STRVAR(sock_recv_from_doc,
             "sock_recv_from($module, handle, n, flags=0, /)\n--\n\n"
             "Receive up to n bytes; return (bytes, addr).\n\n"
             "addr is the sender's (family, port, addr_bytes), or None on a "
             "stream\nsocket, which has no per-message sender.  flags: "
             "MSG_PEEK, MSG_WAITALL.");

/* sock_recv and sock_recv_from: the host writes straight into a new bytes
 * object, which is then shrunk to what arrived. */
static PyObject *recv_bytes(PyObject *args, const char *format, int with_addr) {
  uint32_t handle, flags = 0;
  Py_ssize_t n;
  if (!PyArg_ParseTuple(args, format, handle_converter, &handle,
                        size_converter, &n, flags_converter, &flags))
    return NULL;
  PyObject *buf = PyBytes_FromStringAndSize(NULL, n);
  if (buf == NULL)
    return NULL;
  uint8_t record[WASISOCK_ADDR_SIZE];
  uint32_t received = 0;
  int32_t rc;
  HOST_CALL(rc, recv_any(handle, (uint8_t *)PyBytes_AS_STRING(buf),
                         (uint32_t)n, flags, with_addr ? record : NULL,
                         &received));
  if (rc != WASISOCK_OK) {
    Py_DECREF(buf);
    return raise_code(rc);
  }
  if ((Py_ssize_t)received > n) {
    Py_DECREF(buf);
    PyErr_Format(PyExc_RuntimeError,
                 "the host reported %u bytes for a %zd-byte buffer",
                 (unsigned)received, n);
    return NULL;
  }
  if ((Py_ssize_t)received != n && _PyBytes_Resize(&buf, received) < 0)
    return NULL; /* _PyBytes_Resize released buf */
  if (!with_addr)
    return buf;
  PyObject *addr = record_object(record);
  if (addr == NULL) {
    Py_DECREF(buf);
    return NULL;
  }
  return Py_BuildValue("(NN)", buf, addr);
}

static PyObject *wasisocket_sock_recv(PyObject *module, PyObject *args) {
  return recv_bytes(args, "O&O&|O&:sock_recv", 0);
}

static PyObject *wasisocket_sock_recv_from(PyObject *module, PyObject *args) {
  return recv_bytes(args, "O&O&|O&:sock_recv_from", 1);
}

PyDoc_STRVAR(
    sock_recv_into_doc,
    "sock_recv_into($module, handle, buffer, nbytes=0, flags=0, /)\n--\n\n"
    "Receive up to nbytes bytes into a writable buffer; return the count.\n\n"
    "nbytes 0 means len(buffer).  0 returned means the peer closed the\n"
    "connection (or the buffer was empty).  flags: MSG_PEEK, MSG_WAITALL.");

PyDoc_STRVAR(
    sock_recv_from_into_doc,
    "sock_recv_from_into($module, handle, buffer, nbytes=0, flags=0, /)\n--\n\n"
    "Receive up to nbytes bytes into a writable buffer; return (count, "
    "addr).\n\n"
    "nbytes 0 means len(buffer); addr is as for sock_recv_from.");

static PyObject *recv_into(PyObject *args, const char *format, int with_addr) {
  uint32_t handle, flags = 0;
  Py_buffer buf;
  Py_ssize_t n = 0;
  if (!PyArg_ParseTuple(args, format, handle_converter, &handle, &buf,
                        size_converter, &n, flags_converter, &flags))
    return NULL;
  if (n == 0)
    n = buf.len;
  if (n > buf.len) {
    PyBuffer_Release(&buf);
    PyErr_Format(PyExc_ValueError,
                 "nbytes (%zd) is larger than the buffer (%zd bytes)", n,
                 buf.len);
    return NULL;
  }
  uint8_t record[WASISOCK_ADDR_SIZE];
  uint32_t received = 0;
  int32_t rc;
  HOST_CALL(rc, recv_any(handle, (uint8_t *)buf.buf, u32_len(n), flags,
                         with_addr ? record : NULL, &received));
  PyBuffer_Release(&buf);
  if (rc != WASISOCK_OK)
    return raise_code(rc);
  if (!with_addr)
    return PyLong_FromUnsignedLong(received);
  PyObject *addr = record_object(record);
  if (addr == NULL)
    return NULL;
  return Py_BuildValue("(kN)", (unsigned long)received, addr);
}

static PyObject *wasisocket_sock_recv_into(PyObject *module, PyObject *args) {
  return recv_into(args, "O&w*|O&O&:sock_recv_into", 0);
}

static PyObject *wasisocket_sock_recv_from_into(PyObject *module,
                                                PyObject *args) {
  return recv_into(args, "O&w*|O&O&:sock_recv_from_into", 1);
}

PyDoc_STRVAR(sock_close_doc,
             "sock_close($module, handle, /)\n--\n\n"
             "Close socket handle; the number may be reused afterwards.");

static PyObject *wasisocket_sock_close(PyObject *module, PyObject *arg) {
  uint32_t handle;
  if (!handle_converter(arg, &handle))
    return NULL;
  int32_t rc;
  HOST_CALL(rc, __wasisock_sock_close(handle));
  return none_or_raise(rc);
}

/* ---- Revision 2: servers, datagrams, options, addresses, timeouts, poll -- */

PyDoc_STRVAR(sock_bind_doc,
             "sock_bind($module, handle, family, port, addr_bytes, /)\n--\n\n"
             "Bind socket handle to a local address.\n\n"
             "Port 0 takes an ephemeral port (see sock_local_addr); "
             "addr_bytes of\nzeros is the any-address.");

static PyObject *wasisocket_sock_bind(PyObject *module, PyObject *args) {
  return call_with_address(args, "O&iO&y*:sock_bind", __wasisock_sock_bind);
}

PyDoc_STRVAR(sock_listen_doc,
             "sock_listen($module, handle, backlog, /)\n--\n\n"
             "Make stream socket handle accept connections.\n\n"
             "The host clamps backlog to [1, SOMAXCONN]; an unbound socket "
             "is bound to\nan ephemeral port first.");

/* sock_listen and sock_shutdown: (handle, an int). */
static PyObject *call_with_int(PyObject *args, const char *format,
                               int32_t (*call)(uint32_t, uint32_t)) {
  uint32_t handle;
  int value;
  if (!PyArg_ParseTuple(args, format, handle_converter, &handle, &value))
    return NULL;
  int32_t rc;
  HOST_CALL(rc, call(handle, (uint32_t)value));
  return none_or_raise(rc);
}

static PyObject *wasisocket_sock_listen(PyObject *module, PyObject *args) {
  return call_with_int(args, "O&i:sock_listen", __wasisock_sock_listen);
}

PyDoc_STRVAR(sock_accept_doc,
             "sock_accept($module, handle, /)\n--\n\n"
             "Accept a connection; return (new_handle, (family, port, "
             "addr_bytes)).\n\n"
             "Waits per handle's timeout (BlockingIOError when non-blocking and "
             "none is\npending).  The new socket blocks, whatever handle's "
             "timeout.");

static PyObject *wasisocket_sock_accept(PyObject *module, PyObject *arg) {
  uint32_t handle;
  if (!handle_converter(arg, &handle))
    return NULL;
  uint32_t new_handle = 0;
  uint8_t record[WASISOCK_ADDR_SIZE];
  int32_t rc;
  HOST_CALL(rc, __wasisock_sock_accept(handle, &new_handle, record));
  if (rc != WASISOCK_OK)
    return raise_code(rc);
  PyObject *addr = record_object(record);
  if (addr == NULL) {
    /* Do not leak the accepted socket; the error raised is ours. */
    (void)__wasisock_sock_close(new_handle);
    return NULL;
  }
  return Py_BuildValue("(kN)", (unsigned long)new_handle, addr);
}

PyDoc_STRVAR(sock_send_to_doc,
             "sock_send_to($module, handle, data, family, port, addr_bytes, "
             "flags=0, /)\n--\n\n"
             "Send data to an address; return the number of bytes sent.\n\n"
             "UDP: one datagram (an unbound socket is bound first).  flags is "
             "reserved\nand must be 0.");

static PyObject *wasisocket_sock_send_to(PyObject *module, PyObject *args) {
  uint32_t handle, flags = 0;
  Py_buffer data, addr;
  int family;
  uint16_t port;
  if (!PyArg_ParseTuple(args, "O&y*iO&y*|O&:sock_send_to", handle_converter,
                        &handle, &data, &family, port_converter, &port, &addr,
                        flags_converter, &flags))
    return NULL;
  uint8_t record[WASISOCK_ADDR_SIZE];
  int ok = make_record(family, port, &addr, record);
  PyBuffer_Release(&addr);
  if (!ok) {
    PyBuffer_Release(&data);
    return NULL;
  }
  uint32_t sent = 0;
  int32_t rc;
  HOST_CALL(rc, __wasisock_sock_send_to(handle, (const uint8_t *)data.buf,
                                        u32_len(data.len), flags, record,
                                        &sent));
  PyBuffer_Release(&data);
  if (rc != WASISOCK_OK)
    return raise_code(rc);
  return PyLong_FromUnsignedLong(sent);
}

PyDoc_STRVAR(sock_shutdown_doc,
             "sock_shutdown($module, handle, how, /)\n--\n\n"
             "Shut down reception (SHUT_RD), transmission (SHUT_WR: the peer "
             "reads\nend of stream) or both (SHUT_RDWR).");

static PyObject *wasisocket_sock_shutdown(PyObject *module, PyObject *args) {
  return call_with_int(args, "O&i:sock_shutdown", __wasisock_sock_shutdown);
}

PyDoc_STRVAR(sock_getsockopt_doc,
             "sock_getsockopt($module, handle, level, name, /)\n--\n\n"
             "Return the value of an option as an int.\n\n"
             "level SOL_SOCKET, IPPROTO_TCP or IPPROTO_IPV6; SO_ERROR "
             "returns (and\nclears) the pending error as an errno value.");

static PyObject *wasisocket_sock_getsockopt(PyObject *module, PyObject *args) {
  uint32_t handle;
  int level, name;
  if (!PyArg_ParseTuple(args, "O&ii:sock_getsockopt", handle_converter,
                        &handle, &level, &name))
    return NULL;
  uint32_t value = 0;
  int32_t rc;
  HOST_CALL(rc, __wasisock_sock_getsockopt(handle, (uint32_t)level,
                                           (uint32_t)name, &value));
  if (rc != WASISOCK_OK)
    return raise_code(rc);
  return PyLong_FromLong((long)(int32_t)value); /* values are i32 */
}

PyDoc_STRVAR(sock_setsockopt_doc,
             "sock_setsockopt($module, handle, level, name, value, /)\n--\n\n"
             "Set an option to an int value (booleans 0 or 1).\n\n"
             "SO_TYPE, SO_ERROR and SO_ACCEPTCONN are read-only "
             "(ENOPROTOOPT).");

static PyObject *wasisocket_sock_setsockopt(PyObject *module, PyObject *args) {
  uint32_t handle;
  int level, name, value;
  if (!PyArg_ParseTuple(args, "O&iii:sock_setsockopt", handle_converter,
                        &handle, &level, &name, &value))
    return NULL;
  int32_t rc;
  HOST_CALL(rc, __wasisock_sock_setsockopt(handle, (uint32_t)level,
                                           (uint32_t)name, (uint32_t)value));
  return none_or_raise(rc);
}

/* sock_local_addr and sock_peer_addr. */
static PyObject *get_addr(PyObject *arg,
                          int32_t (*call)(uint32_t, uint8_t *)) {
  uint32_t handle;
  if (!handle_converter(arg, &handle))
    return NULL;
  uint8_t record[WASISOCK_ADDR_SIZE];
  int32_t rc;
  HOST_CALL(rc, call(handle, record));
  if (rc != WASISOCK_OK)
    return raise_code(rc);
  return record_object(record);
}

PyDoc_STRVAR(sock_local_addr_doc,
             "sock_local_addr($module, handle, /)\n--\n\n"
             "Return the local address (family, port, addr_bytes), as "
             "getsockname().\n\n"
             "An unbound socket's is its family's any-address, port 0.");

static PyObject *wasisocket_sock_local_addr(PyObject *module, PyObject *arg) {
  return get_addr(arg, __wasisock_sock_local_addr);
}

PyDoc_STRVAR(sock_peer_addr_doc,
             "sock_peer_addr($module, handle, /)\n--\n\n"
             "Return the connected peer's address (family, port, "
             "addr_bytes).\n\n"
             "OSError(ENOTCONN) when there is none.");

static PyObject *wasisocket_sock_peer_addr(PyObject *module, PyObject *arg) {
  return get_addr(arg, __wasisock_sock_peer_addr);
}

PyDoc_STRVAR(sock_set_timeout_doc,
             "sock_set_timeout($module, handle, timeout, /)\n--\n\n"
             "Set the socket's timeout: None blocks, 0 is non-blocking, "
             "else seconds.\n\n"
             "Seconds are rounded up to whole milliseconds.  A call that "
             "would wait\nlonger raises TimeoutError; a non-blocking one "
             "BlockingIOError.");

static PyObject *wasisocket_sock_set_timeout(PyObject *module,
                                             PyObject *args) {
  uint32_t handle, ms;
  if (!PyArg_ParseTuple(args, "O&O&:sock_set_timeout", handle_converter,
                        &handle, timeout_converter, &ms))
    return NULL;
  int32_t rc;
  HOST_CALL(rc, __wasisock_sock_set_timeout(handle, ms));
  return none_or_raise(rc);
}

PyDoc_STRVAR(sock_get_timeout_doc,
             "sock_get_timeout($module, handle, /)\n--\n\n"
             "Return the socket's timeout in seconds (a float), or None if "
             "it blocks.");

static PyObject *wasisocket_sock_get_timeout(PyObject *module, PyObject *arg) {
  uint32_t handle;
  if (!handle_converter(arg, &handle))
    return NULL;
  uint32_t ms = 0;
  int32_t rc;
  HOST_CALL(rc, __wasisock_sock_get_timeout(handle, &ms));
  if (rc != WASISOCK_OK)
    return raise_code(rc);
  if (ms == WASISOCK_TIMEOUT_NONE)
    Py_RETURN_NONE;
  return PyFloat_FromDouble((double)ms / 1000.0);
}

/* Reads one (handle, events) pair of sock_poll's input into a record.
 * POLLERR, POLLHUP and POLLNVAL are dropped from events (they are always
 * reported); other bits than POLLIN and POLLOUT are ValueError. */
static int poll_record(PyObject *item, uint8_t *rec) {
  PyObject *pair = PySequence_Fast(item, "sock_poll: each item must be a "
                                         "(handle, events) pair");
  if (pair == NULL)
    return 0;
  int ok = 0;
  if (PySequence_Fast_GET_SIZE(pair) != 2) {
    PyErr_SetString(PyExc_ValueError,
                    "sock_poll: each item must be a (handle, events) pair");
    goto out;
  }
  wasisock_poll_sub_t sub;
  if (!handle_converter(PySequence_Fast_GET_ITEM(pair, 0), &sub.handle))
    goto out;
  long events = PyLong_AsLong(PySequence_Fast_GET_ITEM(pair, 1));
  if (events == -1 && PyErr_Occurred())
    goto out;
  events &= ~(long)(WASISOCK_POLLERR | WASISOCK_POLLHUP | WASISOCK_POLLNVAL);
  if (events & ~(long)(WASISOCK_POLLIN | WASISOCK_POLLOUT)) {
    PyErr_Format(PyExc_ValueError,
                 "sock_poll: events must be POLLIN|POLLOUT, not %#lx", events);
    goto out;
  }
  sub.events = (uint16_t)events;
  sub.revents = 0;
  wasisock_poll_sub_write(rec, &sub);
  ok = 1;
out:
  Py_DECREF(pair);
  return ok;
}

PyDoc_STRVAR(
    sock_poll_doc,
    "sock_poll($module, handles_events, timeout=None, /)\n--\n\n"
    "Wait until sockets are ready; return [(handle, revents), ...].\n\n"
    "handles_events is an iterable of (handle, events) pairs, events POLLIN\n"
    "and/or POLLOUT.  timeout is in seconds (rounded up to milliseconds); "
    "None\nor negative waits without limit, 0 only looks.  Only pairs with "
    "revents\n(POLLIN, POLLOUT, POLLERR, POLLHUP, POLLNVAL) are returned, in "
    "input\norder; [] on timeout.  At most POLL_MAX pairs.");

static PyObject *wasisocket_sock_poll(PyObject *module, PyObject *args) {
  PyObject *subs, *timeout = Py_None;
  uint32_t timeout_ms;
  if (!PyArg_ParseTuple(args, "O|O:sock_poll", &subs, &timeout) ||
      !poll_timeout_converter(timeout, &timeout_ms))
    return NULL;
  PyObject *seq = PySequence_Fast(subs, "sock_poll: handles_events must be an "
                                        "iterable of (handle, events) pairs");
  if (seq == NULL)
    return NULL;
  Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
  if (n > WASISOCK_POLL_MAX) {
    Py_DECREF(seq);
    PyErr_Format(PyExc_ValueError, "sock_poll: at most %d sockets, not %zd",
                 WASISOCK_POLL_MAX, n);
    return NULL;
  }

  /* The state's buffer, unless another call (a thread, or Python code run
   * while parsing) is using it. */
  wasisocket_state *st = get_state(module);
  PyObject *result = NULL;
  uint8_t *buf;
  int own = st->poll_busy;
  if (own) {
    buf = PyMem_Malloc((size_t)(n > 0 ? n : 1) * WASISOCK_POLL_SUB_SIZE);
  } else {
    /* Allocated on first use, even for n == 0 (a plain timed sleep), so
     * buf is never NULL below unless memory ran out. */
    if ((size_t)n > st->poll_cap || st->poll_buf == NULL) {
      size_t cap = st->poll_cap * 2 > (size_t)n ? st->poll_cap * 2 : (size_t)n;
      if (cap < 64)
        cap = 64;
      uint8_t *grown = PyMem_Realloc(st->poll_buf, cap * WASISOCK_POLL_SUB_SIZE);
      if (grown == NULL) {
        Py_DECREF(seq);
        return PyErr_NoMemory();
      }
      st->poll_buf = grown;
      st->poll_cap = cap;
    }
    buf = st->poll_buf;
    st->poll_busy = 1;
  }
  if (buf == NULL) {
    PyErr_NoMemory();
    goto out;
  }
  for (Py_ssize_t i = 0; i < n; i++) {
    if (!poll_record(PySequence_Fast_GET_ITEM(seq, i),
                     buf + (size_t)i * WASISOCK_POLL_SUB_SIZE))
      goto out;
  }

  uint32_t nready = 0;
  int32_t rc;
  HOST_CALL(rc, __wasisock_sock_poll(buf, (uint32_t)n, timeout_ms, &nready));
  if (rc != WASISOCK_OK) {
    raise_code(rc);
    goto out;
  }
  result = PyList_New(0);
  if (result == NULL)
    goto out;
  for (Py_ssize_t i = 0; i < n; i++) {
    wasisock_poll_sub_t sub;
    wasisock_poll_sub_read(buf + (size_t)i * WASISOCK_POLL_SUB_SIZE, &sub);
    if (sub.revents == 0)
      continue;
    PyObject *item = Py_BuildValue("(ki)", (unsigned long)sub.handle,
                                   (int)sub.revents);
    if (item == NULL || PyList_Append(result, item) < 0) {
      Py_XDECREF(item);
      Py_CLEAR(result);
      goto out;
    }
    Py_DECREF(item);
  }
out:
  if (own)
    PyMem_Free(buf);
  else
    st->poll_busy = 0;
  Py_DECREF(seq);
  return result;
}

static PyMethodDef wasisocket_methods[] = {
    {"abi_version", wasisocket_abi_version, METH_NOARGS, abi_version_doc},
    {"sock_open", wasisocket_sock_open, METH_VARARGS, sock_open_doc},
    {"sock_resolve", wasisocket_sock_resolve, METH_VARARGS, sock_resolve_doc},
    {"sock_connect", wasisocket_sock_connect, METH_VARARGS, sock_connect_doc},
    {"sock_send", wasisocket_sock_send, METH_VARARGS, sock_send_doc},
    {"sock_recv", wasisocket_sock_recv, METH_VARARGS, sock_recv_doc},
    {"sock_recv_into", wasisocket_sock_recv_into, METH_VARARGS,
     sock_recv_into_doc},
    {"sock_close", wasisocket_sock_close, METH_O, sock_close_doc},
    /* Revision 2. */
    {"sock_bind", wasisocket_sock_bind, METH_VARARGS, sock_bind_doc},
    {"sock_listen", wasisocket_sock_listen, METH_VARARGS, sock_listen_doc},
    {"sock_accept", wasisocket_sock_accept, METH_O, sock_accept_doc},
    {"sock_send_to", wasisocket_sock_send_to, METH_VARARGS, sock_send_to_doc},
    {"sock_recv_from", wasisocket_sock_recv_from, METH_VARARGS,
     sock_recv_from_doc},
    {"sock_recv_from_into", wasisocket_sock_recv_from_into, METH_VARARGS,
     sock_recv_from_into_doc},
    {"sock_shutdown", wasisocket_sock_shutdown, METH_VARARGS,
     sock_shutdown_doc},
    {"sock_getsockopt", wasisocket_sock_getsockopt, METH_VARARGS,
     sock_getsockopt_doc},
    {"sock_setsockopt", wasisocket_sock_setsockopt, METH_VARARGS,
     sock_setsockopt_doc},
    {"sock_local_addr", wasisocket_sock_local_addr, METH_O,
     sock_local_addr_doc},
    {"sock_peer_addr", wasisocket_sock_peer_addr, METH_O, sock_peer_addr_doc},
    {"sock_set_timeout", wasisocket_sock_set_timeout, METH_VARARGS,
     sock_set_timeout_doc},
    {"sock_get_timeout", wasisocket_sock_get_timeout, METH_O,
     sock_get_timeout_doc},
    {"sock_poll", wasisocket_sock_poll, METH_VARARGS, sock_poll_doc},
    {NULL, NULL, 0, NULL},
};

/* ---- Module init ---------------------------------------------------------- */

/* An int attribute of mod, or dflt when mod is NULL or lacks it. */
static int int_attr(PyObject *mod, const char *name, long dflt, long *out) {
  *out = dflt;
  if (mod == NULL)
    return 0;
  PyObject *v;
  if (PyObject_GetOptionalAttrString(mod, name, &v) < 0)
    return -1;
  if (v == NULL)
    return 0;
  long x = PyLong_AsLong(v);
  Py_DECREF(v);
  if (x == -1 && PyErr_Occurred())
    return -1;
  *out = x;
  return 0;
}

/* gaierror and the EAI_* codes: from the built-in _socket module if it can
 * be imported, so `except socket.gaierror` catches ours; else an OSError
 * subclass of our own and glibc's codes. */
static int init_gaierror(PyObject *module, wasisocket_state *st) {
  PyObject *sock = PyImport_ImportModule("_socket");
  if (sock == NULL) {
    if (!PyErr_ExceptionMatches(PyExc_ImportError))
      return -1;
    PyErr_Clear();
  } else if (PyObject_GetOptionalAttrString(sock, "gaierror",
                                            &st->gaierror) < 0) {
    goto fail;
  }
  if (st->gaierror == NULL) {
    st->gaierror = PyErr_NewExceptionWithDoc(
        "_wasisocket.gaierror",
        "Address-related error: the host name did not resolve.",
        PyExc_OSError, NULL);
    if (st->gaierror == NULL)
      goto fail;
  }
  if (int_attr(sock, "EAI_NONAME", -2, &st->eai_noname) < 0 ||
      int_attr(sock, "EAI_AGAIN", -3, &st->eai_again) < 0 ||
      int_attr(sock, "EAI_FAIL", -4, &st->eai_fail) < 0 ||
      int_attr(sock, "EAI_MEMORY", -10, &st->eai_memory) < 0)
    goto fail;
  Py_XDECREF(sock);
  if (PyModule_AddObjectRef(module, "gaierror", st->gaierror) < 0 ||
      PyModule_AddIntConstant(module, "EAI_NONAME", st->eai_noname) < 0 ||
      PyModule_AddIntConstant(module, "EAI_AGAIN", st->eai_again) < 0 ||
      PyModule_AddIntConstant(module, "EAI_FAIL", st->eai_fail) < 0 ||
      PyModule_AddIntConstant(module, "EAI_MEMORY", st->eai_memory) < 0)
    return -1;
  return 0;
fail:
  Py_XDECREF(sock);
  return -1;
}

/* The header's constants under their socket-module names: one list, so a
 * constant added to wasisock_abi.h is one row here. */
#define WASISOCKET_CONSTANTS(XX)                                               \
  XX(AF_UNSPEC)                                                                \
  XX(AF_INET)                                                                  \
  XX(AF_INET6)                                                                 \
  XX(SOCK_STREAM)                                                              \
  XX(SOCK_DGRAM)                                                               \
  XX(ABI_REVISION)                                                             \
  XX(MSG_PEEK)                                                                 \
  XX(MSG_WAITALL)                                                              \
  XX(SHUT_RD)                                                                  \
  XX(SHUT_WR)                                                                  \
  XX(SHUT_RDWR)                                                                \
  XX(SOL_SOCKET)                                                               \
  XX(IPPROTO_TCP)                                                              \
  XX(IPPROTO_IPV6)                                                             \
  XX(SO_REUSEADDR)                                                             \
  XX(SO_TYPE)                                                                  \
  XX(SO_ERROR)                                                                 \
  XX(SO_BROADCAST)                                                             \
  XX(SO_SNDBUF)                                                                \
  XX(SO_RCVBUF)                                                                \
  XX(SO_KEEPALIVE)                                                             \
  XX(SO_ACCEPTCONN)                                                            \
  XX(TCP_NODELAY)                                                              \
  XX(IPV6_V6ONLY)                                                              \
  XX(POLLIN)                                                                   \
  XX(POLLOUT)                                                                  \
  XX(POLLERR)                                                                  \
  XX(POLLHUP)                                                                  \
  XX(POLLNVAL)                                                                 \
  XX(POLL_MAX)                                                                 \
  XX(NAME_MAX)                                                                 \
  XX(FD_BASE)

static int wasisocket_exec(PyObject *module) {
  wasisocket_state *st = get_state(module);
#define WASISOCKET_ADD(name)                                                   \
  if (PyModule_AddIntConstant(module, #name, (long)WASISOCK_##name) < 0)       \
    return -1;
  WASISOCKET_CONSTANTS(WASISOCKET_ADD)
#undef WASISOCKET_ADD
  /* 0xFFFFFFFF does not fit a wasm32 long. */
  PyObject *none = PyLong_FromUnsignedLong(WASISOCK_TIMEOUT_NONE);
  if (none == NULL)
    return -1;
  int rc = PyModule_AddObjectRef(module, "TIMEOUT_NONE", none);
  Py_DECREF(none);
  if (rc < 0)
    return -1;
  if (wasisocket_fastconnect_add(module) < 0)
    return -1;
  return init_gaierror(module, st);
}

static int wasisocket_traverse(PyObject *module, visitproc visit, void *arg) {
  Py_VISIT(get_state(module)->gaierror);
  return 0;
}

static int wasisocket_clear(PyObject *module) {
  Py_CLEAR(get_state(module)->gaierror);
  return 0;
}

static void wasisocket_free(void *module) {
  wasisocket_state *st = get_state((PyObject *)module);
  PyMem_Free(st->poll_buf);
  st->poll_buf = NULL;
  st->poll_cap = 0;
  wasisocket_clear((PyObject *)module);
}

static PyModuleDef_Slot wasisocket_slots[] = {
    {Py_mod_exec, wasisocket_exec},
#ifdef Py_mod_multiple_interpreters
    {Py_mod_multiple_interpreters, Py_MOD_PER_INTERPRETER_GIL_SUPPORTED},
#endif
    {0, NULL},
};

PyDoc_STRVAR(wasisocket_doc,
             "Low-level sockets through the host's wasisock imports.\n\n"
             "Handles are host socket numbers, not WASI file descriptors.  "
             "Use the\nwasisocket package for the Socket class.");

static struct PyModuleDef wasisocket_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_wasisocket",
    .m_doc = wasisocket_doc,
    .m_size = sizeof(wasisocket_state),
    .m_methods = wasisocket_methods,
    .m_slots = wasisocket_slots,
    .m_traverse = wasisocket_traverse,
    .m_clear = wasisocket_clear,
    .m_free = wasisocket_free,
};

PyMODINIT_FUNC PyInit__wasisocket(void) {
  return PyModuleDef_Init(&wasisocket_module);
}
