/*
 * _wasisocket.c — CPython's low-level view of the wasisock imports.
 *
 * A thin client of include/wasisock.h: every function validates its Python
 * arguments, calls one raw import (__wasisock_sock_*) with the GIL released,
 * and turns a non-zero WASI errno into an exception.  Address records are
 * only ever built and parsed by wasisock_addr_write/_read; this file spells
 * no offset.  The pure-Python package `wasisocket` builds the friendly API
 * (Socket, create_connection, ...) on top of these functions.
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
 * Built into python.wasm by scripts/cpython-wasi.sh (Modules/Setup.local);
 * it needs no other source file.  Compiled for anything but wasm32 (a syntax
 * check with the host's Python headers), the imports are replaced by stubs
 * that answer ENOSYS.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "wasisock.h"

#if PY_VERSION_HEX < 0x030D0000
/* Python < 3.13 (a native syntax check with older headers). */
static int PyObject_GetOptionalAttrString(PyObject *obj, const char *name,
                                          PyObject **result) {
  *result = PyObject_GetAttrString(obj, name);
  if (*result != NULL)
    return 1;
  if (!PyErr_ExceptionMatches(PyExc_AttributeError))
    return -1;
  PyErr_Clear();
  return 0;
}
#endif

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
  Py_BEGIN_ALLOW_THREADS
  rc = __wasisock_sock_open((uint32_t)af, (uint32_t)type, &handle);
  Py_END_ALLOW_THREADS
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
    Py_BEGIN_ALLOW_THREADS
    rc = __wasisock_sock_resolve((const uint8_t *)PyBytes_AS_STRING(name),
                                 (uint32_t)PyBytes_GET_SIZE(name), port,
                                 records, max, &count);
    Py_END_ALLOW_THREADS
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
    "sock_connect($module, fd, family, port, addr_bytes, /)\n--\n\n"
    "Connect socket fd to an address.\n\n"
    "addr_bytes is 4 bytes for AF_INET and 16 for AF_INET6, as returned by\n"
    "sock_resolve.  For SOCK_DGRAM this sets the peer of send and recv.");

static PyObject *wasisocket_sock_connect(PyObject *module, PyObject *args) {
  uint32_t handle;
  int family;
  wasisock_addr_t a;
  Py_buffer addr;
  if (!PyArg_ParseTuple(args, "O&iO&y*:sock_connect", handle_converter,
                        &handle, &family, port_converter, &a.port, &addr))
    return NULL;
  uint32_t want = (family == WASISOCK_AF_INET || family == WASISOCK_AF_INET6)
                      ? wasisock_addr_bytes_len((uint8_t)family)
                      : 0;
  if (want == 0) {
    PyBuffer_Release(&addr);
    PyErr_Format(PyExc_ValueError,
                 "family must be AF_INET (%d) or AF_INET6 (%d), not %d",
                 WASISOCK_AF_INET, WASISOCK_AF_INET6, family);
    return NULL;
  }
  if (addr.len != (Py_ssize_t)want) {
    PyBuffer_Release(&addr);
    PyErr_Format(PyExc_ValueError,
                 "%s address must be %u bytes, not %zd",
                 family == WASISOCK_AF_INET ? "AF_INET" : "AF_INET6",
                 (unsigned)want, addr.len);
    return NULL;
  }
  a.family = (uint8_t)family;
  memcpy(a.bytes, addr.buf, want);
  PyBuffer_Release(&addr);

  uint8_t record[WASISOCK_ADDR_SIZE];
  wasisock_addr_write(record, &a);
  int32_t rc;
  Py_BEGIN_ALLOW_THREADS
  rc = __wasisock_sock_connect(handle, record);
  Py_END_ALLOW_THREADS
  if (rc != WASISOCK_OK)
    return raise_code(rc);
  Py_RETURN_NONE;
}

PyDoc_STRVAR(sock_send_doc,
             "sock_send($module, fd, data, /)\n--\n\n"
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
  Py_BEGIN_ALLOW_THREADS
  rc = __wasisock_sock_send(handle, (const uint8_t *)data.buf,
                            u32_len(data.len), &sent);
  Py_END_ALLOW_THREADS
  PyBuffer_Release(&data);
  if (rc != WASISOCK_OK)
    return raise_code(rc);
  return PyLong_FromUnsignedLong(sent);
}

PyDoc_STRVAR(sock_recv_doc,
             "sock_recv($module, fd, n, /)\n--\n\n"
             "Receive up to n bytes; return them as bytes.\n\n"
             "Blocks until data arrives.  b'' means the peer closed the "
             "connection.");

static PyObject *wasisocket_sock_recv(PyObject *module, PyObject *args) {
  uint32_t handle;
  Py_ssize_t n;
  if (!PyArg_ParseTuple(args, "O&O&:sock_recv", handle_converter, &handle,
                        size_converter, &n))
    return NULL;
  /* The host writes straight into the bytes object, which is then shrunk to
   * what arrived. */
  PyObject *buf = PyBytes_FromStringAndSize(NULL, n);
  if (buf == NULL)
    return NULL;
  uint32_t received = 0;
  int32_t rc;
  Py_BEGIN_ALLOW_THREADS
  rc = __wasisock_sock_recv(handle, (uint8_t *)PyBytes_AS_STRING(buf),
                            (uint32_t)n, &received);
  Py_END_ALLOW_THREADS
  if (rc != WASISOCK_OK) {
    Py_DECREF(buf);
    return raise_code(rc);
  }
  if ((Py_ssize_t)received > n) {
    Py_DECREF(buf);
    PyErr_Format(PyExc_RuntimeError,
                 "sock_recv reported %u bytes for a %zd-byte buffer",
                 (unsigned)received, n);
    return NULL;
  }
  if ((Py_ssize_t)received != n && _PyBytes_Resize(&buf, received) < 0)
    return NULL; /* _PyBytes_Resize released buf */
  return buf;
}

PyDoc_STRVAR(
    sock_recv_into_doc,
    "sock_recv_into($module, fd, buffer, nbytes=0, /)\n--\n\n"
    "Receive up to nbytes bytes into a writable buffer; return the count.\n\n"
    "nbytes 0 means len(buffer).  0 returned means the peer closed the\n"
    "connection (or the buffer was empty).");

static PyObject *wasisocket_sock_recv_into(PyObject *module, PyObject *args) {
  uint32_t handle;
  Py_buffer buf;
  Py_ssize_t n = 0;
  if (!PyArg_ParseTuple(args, "O&w*|O&:sock_recv_into", handle_converter,
                        &handle, &buf, size_converter, &n))
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
  uint32_t received = 0;
  int32_t rc;
  Py_BEGIN_ALLOW_THREADS
  rc = __wasisock_sock_recv(handle, (uint8_t *)buf.buf, u32_len(n),
                            &received);
  Py_END_ALLOW_THREADS
  PyBuffer_Release(&buf);
  if (rc != WASISOCK_OK)
    return raise_code(rc);
  return PyLong_FromUnsignedLong(received);
}

PyDoc_STRVAR(sock_close_doc,
             "sock_close($module, fd, /)\n--\n\n"
             "Close socket fd; its handle may be reused afterwards.");

static PyObject *wasisocket_sock_close(PyObject *module, PyObject *arg) {
  uint32_t handle;
  if (!handle_converter(arg, &handle))
    return NULL;
  int32_t rc;
  Py_BEGIN_ALLOW_THREADS
  rc = __wasisock_sock_close(handle);
  Py_END_ALLOW_THREADS
  if (rc != WASISOCK_OK)
    return raise_code(rc);
  Py_RETURN_NONE;
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

static int wasisocket_exec(PyObject *module) {
  wasisocket_state *st = get_state(module);
  if (PyModule_AddIntConstant(module, "AF_INET", WASISOCK_AF_INET) < 0 ||
      PyModule_AddIntConstant(module, "AF_INET6", WASISOCK_AF_INET6) < 0 ||
      PyModule_AddIntConstant(module, "SOCK_STREAM", WASISOCK_SOCK_STREAM) <
          0 ||
      PyModule_AddIntConstant(module, "SOCK_DGRAM", WASISOCK_SOCK_DGRAM) < 0 ||
      PyModule_AddIntConstant(module, "ABI_REVISION", WASISOCK_ABI_REVISION) <
          0)
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
