/*
 * fastconnect.c — _wasisocket.FastConnect, the C half of
 * wasisocket.Socket.connect (the comment above fastconnect_object says
 * what it does and why it is a type of its own).
 *
 * Part of the built-in module _wasisocket: the module's exec slot in
 * _wasisocket.c adds the type by wasisocket_fastconnect_add(), this file's
 * one entry (fastconnect.h).  It calls no wasisock import (its common case
 * goes to _socket.socket.connect, on the POSIX layer) and uses nothing of
 * _wasisocket.c.
 *
 * Built into python.wasm with _wasisocket.c by scripts/cpython-wasi.sh
 * (--module _wasisocket=_wasisocket.c,fastconnect.c).  For older Python
 * headers (a native syntax check), the shims below and pycompat.h's stand
 * in for the 3.12 and 3.13 API it uses.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "fastconnect.h"
#include "pycompat.h"

#if PY_VERSION_HEX < 0x030D0000
/* Python < 3.13 (a native syntax check with older headers). */
static int PyDict_GetItemRef(PyObject *dict, PyObject *key, PyObject **result) {
  *result = PyDict_GetItemWithError(dict, key);
  if (*result != NULL) {
    Py_INCREF(*result);
    return 1;
  }
  return PyErr_Occurred() ? -1 : 0;
}
#endif
#if PY_VERSION_HEX < 0x030C0000
#include <structmember.h>
#define Py_T_OBJECT_EX T_OBJECT_EX
#define Py_T_PYSSIZET T_PYSSIZET
#define Py_READONLY READONLY
static PyObject *PyErr_GetRaisedException(void) {
  PyObject *type, *value, *tb;
  PyErr_Fetch(&type, &value, &tb);
  if (type == NULL)
    return NULL;
  PyErr_NormalizeException(&type, &value, &tb);
  if (tb != NULL)
    PyException_SetTraceback(value, tb);
  Py_DECREF(type);
  Py_XDECREF(tb);
  return value;
}
static void PyErr_SetRaisedException(PyObject *exc) {
  PyErr_Restore(Py_NewRef((PyObject *)Py_TYPE(exc)), exc,
                PyException_GetTraceback(exc));
}
#endif

/* wasisocket.Socket.connect is an object of this type: it wraps the Python
 * method, which handles every case (a name, a reopen after a failed
 * attempt, argument errors), and takes the common case itself, without a
 * Python frame — a tuple whose host is a numeric address of the socket's
 * family and whose port is an int, on a socket whose last attempt did not
 * fail, goes straight to _socket.socket.connect.  Why, measured in
 * python.wasm (one UDP socket connected to 127.0.0.1:9 again and again,
 * Socket's connect against socket.socket's in alternating blocks in one
 * process, median of 22 rounds of 20,000, Node / wasmtime): as the Python
 * method's first lines (its frame, a dict lookup, the family, the port's
 * type) these checks cost 0.50 / 0.58 us per call on top of
 * _socket.socket.connect; here 0.12 / 0.14 us.
 *
 * The checks, in the Python method's words (fast_connect() is the one
 * place they are written):
 *
 *     if type(address) is tuple and not self._connect_failed:
 *         try:
 *             family = cache.get(address)
 *         except TypeError:  # an unhashable member: the method says what
 *             family = 0
 *         if family is None:
 *             family = fill(address)     # computes the entry, stores it
 *         # (a bool port finds its int's entry: it must not pass)
 *         if family == _socket.socket.family.__get__(self) \
 *                 and type(address[1]) is int:
 *             try:
 *                 return _socket.socket.connect(self, address)
 *             except OSError as exc:
 *                 if exc.errno not in fatal:
 *                     self._connect_failed = True   # reopen before the next
 *                 raise
 *     return method(self, address)
 *
 * Why a type of our own rather than a function from the module table:
 *   - a builtin function is no descriptor: as a class attribute it would
 *     not receive self;
 *   - PyInstanceMethod_New(builtin) would, but its __get__ allocates a
 *     bound method at every s.connect(...), which CALL then cannot
 *     specialise (a bound builtin);
 *   - a method descriptor (PyDescr_NewMethod) is the cheapest call, but it
 *     carries a C function and nothing else: no cache or method to reach.
 * This type sets Py_TPFLAGS_METHOD_DESCRIPTOR and is immutable, so 3.13's
 * specialising interpreter loads s.connect as a method (no bound object,
 * LOAD_ATTR_METHOD_*) and calls it through CALL_NON_PY_GENERAL: one
 * vectorcall with (self, address), the same as calling a builtin. */

typedef struct {
  PyObject_HEAD
  vectorcallfunc vectorcall;
  PyObject *method;       /* the Python method: every case */
  PyObject *cache;        /* address tuple -> family, or 0 (a dict) */
  PyObject *fill;         /* address -> family, stored in cache */
  PyObject *fatal;        /* errnos about the socket, not the address */
  PyObject *sock_connect; /* _socket.socket.connect */
  /* _socket.socket.family, the C type's member: an int (socket.socket's
   * family property builds an AddressFamily member at every read). */
  PyObject *sock_family;
  PyObject *failed_name;  /* "_connect_failed" */
  PyObject *errno_name;   /* "errno" */
  PyObject *dict;         /* __doc__, __name__, ... (fastconnect_new) */
} fastconnect_object;

/* The exception raised while handling exc becomes the current one, with exc
 * as its __context__ (as an error in an except block does in Python).
 * Steals exc. */
static void chain_context(PyObject *exc) {
  PyObject *now = PyErr_GetRaisedException();
  PyException_SetContext(now, exc);
  PyErr_SetRaisedException(now);
}

/* After _socket.socket.connect raised (the error is set): marks the socket
 * unless the errno is one of fc->fatal, then leaves the error set. */
static void connect_failed(fastconnect_object *fc, PyObject *self) {
  if (!PyErr_ExceptionMatches(PyExc_OSError))
    return;
  PyObject *exc = PyErr_GetRaisedException();
  PyObject *code = PyObject_GetAttr(exc, fc->errno_name);
  int fatal = code != NULL ? PySequence_Contains(fc->fatal, code) : -1;
  Py_XDECREF(code);
  if (fatal == 0 && PyObject_SetAttr(self, fc->failed_name, Py_True) < 0)
    fatal = -1;
  if (fatal < 0)
    chain_context(exc);
  else
    PyErr_SetRaisedException(exc);
}

/* The common case (the checks above): 1 with *result set when it was
 * taken, 0 when the Python method must run, -1 with an exception. */
static int fast_connect(fastconnect_object *fc, PyObject *self,
                        PyObject *address, PyObject **result) {
  if (!PyTuple_CheckExact(address))
    return 0;
  PyObject *failed = PyObject_GetAttr(self, fc->failed_name);
  if (failed == NULL)
    return -1;
  int truth = PyObject_IsTrue(failed);
  Py_DECREF(failed);
  if (truth != 0)
    return truth < 0 ? -1 : 0;

  PyObject *family;
  int found = PyDict_GetItemRef(fc->cache, address, &family);
  if (found < 0) {
    if (!PyErr_ExceptionMatches(PyExc_TypeError))
      return -1;
    PyErr_Clear();
    family = PyLong_FromLong(0);
    if (family == NULL)
      return -1;
  } else if (found == 0 || family == Py_None) {
    Py_XDECREF(family);
    family = PyObject_CallOneArg(fc->fill, address);
    if (family == NULL)
      return -1;
  }
  PyObject *own = Py_TYPE(fc->sock_family)->tp_descr_get(fc->sock_family,
                                                          self, NULL);
  if (own == NULL) {
    Py_DECREF(family);
    return -1;
  }
  int same = PyObject_RichCompareBool(family, own, Py_EQ);
  Py_DECREF(own);
  Py_DECREF(family);
  if (same <= 0)
    return same;
  if (PyTuple_GET_SIZE(address) < 2) { /* an entry fill did not make */
    PyErr_SetString(PyExc_IndexError, "tuple index out of range");
    return -1;
  }
  if (!PyLong_CheckExact(PyTuple_GET_ITEM(address, 1)))
    return 0;

  PyObject *args[2] = {self, address};
  *result = PyObject_Vectorcall(fc->sock_connect, args, 2, NULL);
  if (*result == NULL) {
    connect_failed(fc, self);
    return -1;
  }
  return 1;
}

static PyObject *fastconnect_vectorcall(PyObject *callable,
                                        PyObject *const *args, size_t nargsf,
                                        PyObject *kwnames) {
  fastconnect_object *fc = (fastconnect_object *)callable;
  if (PyVectorcall_NARGS(nargsf) == 2 && kwnames == NULL) {
    PyObject *result;
    int taken = fast_connect(fc, args[0], args[1], &result);
    if (taken != 0)
      return taken > 0 ? result : NULL;
  }
  return PyObject_Vectorcall(fc->method, args, nargsf, kwnames);
}

PyDoc_STRVAR(
    fastconnect_doc,
    "FastConnect(method, cache, fill, fatal_errnos, /)\n--\n\n"
    "wasisocket.Socket.connect: method(self, address) with its common case\n"
    "taken in C.\n\n"
    "A tuple address whose cache entry (cache.get(address), else\n"
    "fill(address)) equals the socket's family and whose port is an int, on\n"
    "a socket whose _connect_failed is false, goes to\n"
    "_socket.socket.connect; if that raises OSError with an errno not in\n"
    "fatal_errnos, _connect_failed is set to True.  Anything else calls\n"
    "method.  Binds to an instance as a function does; __doc__, __name__,\n"
    "__qualname__, __module__ are method's, and __wrapped__ is method.");

/* The method's __doc__, __name__, __qualname__ and __module__ in the
 * object's own __dict__, as functools.update_wrapper puts them, so help(),
 * inspect and pydoc describe Socket.connect as before.  (Not getsets: a
 * __doc__ getset would take the type's own docstring's place.) */
static int copy_names(fastconnect_object *fc, PyObject *method) {
  static const char *const names[] = {"__doc__", "__name__", "__qualname__",
                                      "__module__"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    PyObject *value;
    int rc = PyObject_GetOptionalAttrString(method, names[i], &value);
    if (rc > 0) {
      rc = PyObject_SetAttrString((PyObject *)fc, names[i], value);
      Py_DECREF(value);
    }
    if (rc < 0)
      return -1;
  }
  return 0;
}

static PyObject *fastconnect_new(PyTypeObject *type, PyObject *args,
                                 PyObject *kwargs) {
  PyObject *method, *cache, *fill, *fatal;
  if (kwargs != NULL && PyDict_GET_SIZE(kwargs) != 0) {
    PyErr_SetString(PyExc_TypeError,
                    "FastConnect() takes no keyword arguments");
    return NULL;
  }
  if (!PyArg_ParseTuple(args, "OOOO:FastConnect", &method, &cache, &fill,
                        &fatal))
    return NULL;
  if (!PyCallable_Check(method) || !PyCallable_Check(fill)) {
    PyErr_SetString(PyExc_TypeError,
                    "FastConnect: method and fill must be callable");
    return NULL;
  }
  if (!PyDict_CheckExact(cache)) { /* its get() is the one dict.get is */
    PyErr_Format(PyExc_TypeError,
                 "FastConnect: cache must be a dict, not %.100s",
                 Py_TYPE(cache)->tp_name);
    return NULL;
  }
  PyObject *sock_type = NULL, *sock_connect = NULL, *sock_family = NULL;
  PyObject *sock = PyImport_ImportModule("_socket");
  if (sock == NULL)
    return NULL;
  sock_type = PyObject_GetAttrString(sock, "socket");
  Py_DECREF(sock);
  if (sock_type == NULL)
    return NULL;
  sock_connect = PyObject_GetAttrString(sock_type, "connect");
  sock_family = PyObject_GetAttrString(sock_type, "family");
  Py_DECREF(sock_type);
  fastconnect_object *fc = NULL;
  if (sock_connect == NULL || sock_family == NULL)
    goto out;
  if (Py_TYPE(sock_family)->tp_descr_get == NULL) {
    PyErr_SetString(PyExc_TypeError,
                    "FastConnect: _socket.socket.family is no descriptor");
    goto out;
  }
  fc = (fastconnect_object *)type->tp_alloc(type, 0);
  if (fc == NULL)
    goto out;
  fc->vectorcall = fastconnect_vectorcall;
  fc->method = Py_NewRef(method);
  fc->cache = Py_NewRef(cache);
  fc->fill = Py_NewRef(fill);
  fc->fatal = Py_NewRef(fatal);
  fc->sock_connect = Py_NewRef(sock_connect);
  fc->sock_family = Py_NewRef(sock_family);
  fc->failed_name = PyUnicode_InternFromString("_connect_failed");
  fc->errno_name = PyUnicode_InternFromString("errno");
  if (fc->failed_name == NULL || fc->errno_name == NULL ||
      copy_names(fc, method) < 0)
    Py_CLEAR(fc);
out:
  Py_XDECREF(sock_connect);
  Py_XDECREF(sock_family);
  return (PyObject *)fc;
}

/* Bound to an instance as a Python function is (a bound method); the class
 * attribute itself otherwise. */
static PyObject *fastconnect_descr_get(PyObject *self, PyObject *obj,
                                       PyObject *Py_UNUSED(type)) {
  if (obj == NULL || obj == Py_None)
    return Py_NewRef(self);
  return PyMethod_New(self, obj);
}

static PyObject *fastconnect_repr(PyObject *self) {
  return PyUnicode_FromFormat("<FastConnect of %R>",
                              ((fastconnect_object *)self)->method);
}

/* The object's references, one list for traverse and clear (the interned
 * names too: visiting them is harmless). */
#define FASTCONNECT_REFS(XX)                                                   \
  XX(method) XX(cache) XX(fill) XX(fatal) XX(sock_connect) XX(sock_family)     \
  XX(failed_name) XX(errno_name) XX(dict)

static int fastconnect_traverse(PyObject *self, visitproc visit, void *arg) {
  fastconnect_object *fc = (fastconnect_object *)self;
  Py_VISIT(Py_TYPE(self));
#define FASTCONNECT_VISIT(name) Py_VISIT(fc->name);
  FASTCONNECT_REFS(FASTCONNECT_VISIT)
#undef FASTCONNECT_VISIT
  return 0;
}

static int fastconnect_clear(PyObject *self) {
  fastconnect_object *fc = (fastconnect_object *)self;
#define FASTCONNECT_CLEAR(name) Py_CLEAR(fc->name);
  FASTCONNECT_REFS(FASTCONNECT_CLEAR)
#undef FASTCONNECT_CLEAR
  return 0;
}

static void fastconnect_dealloc(PyObject *self) {
  PyTypeObject *type = Py_TYPE(self);
  PyObject_GC_UnTrack(self);
  fastconnect_clear(self);
  type->tp_free(self);
  Py_DECREF(type);
}

static PyMemberDef fastconnect_members[] = {
    {"__vectorcalloffset__", Py_T_PYSSIZET,
     offsetof(fastconnect_object, vectorcall), Py_READONLY, NULL},
    {"__dictoffset__", Py_T_PYSSIZET, offsetof(fastconnect_object, dict),
     Py_READONLY, NULL},
    {"__wrapped__", Py_T_OBJECT_EX, offsetof(fastconnect_object, method),
     Py_READONLY, "The Python method, which handles every case."},
    {NULL, 0, 0, 0, NULL},
};

static PyType_Slot fastconnect_slots[] = {
    {Py_tp_doc, (void *)fastconnect_doc},
    {Py_tp_new, fastconnect_new},
    {Py_tp_call, PyVectorcall_Call},
    {Py_tp_descr_get, fastconnect_descr_get},
    {Py_tp_repr, fastconnect_repr},
    {Py_tp_traverse, fastconnect_traverse},
    {Py_tp_clear, fastconnect_clear},
    {Py_tp_dealloc, fastconnect_dealloc},
    {Py_tp_members, fastconnect_members},
    {0, NULL},
};

static PyType_Spec fastconnect_spec = {
    .name = "_wasisocket.FastConnect",
    .basicsize = sizeof(fastconnect_object),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC |
             Py_TPFLAGS_HAVE_VECTORCALL | Py_TPFLAGS_METHOD_DESCRIPTOR |
             Py_TPFLAGS_IMMUTABLETYPE,
    .slots = fastconnect_slots,
};

int wasisocket_fastconnect_add(PyObject *module) {
  PyObject *type = PyType_FromModuleAndSpec(module, &fastconnect_spec, NULL);
  if (type == NULL)
    return -1;
  int rc = PyModule_AddType(module, (PyTypeObject *)type);
  Py_DECREF(type);
  return rc;
}
