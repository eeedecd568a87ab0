/*
 * pycompat.h — Python 3.13 C API that both python/_wasisocket.c and
 * python/fastconnect.c use, for older headers (a native syntax check with
 * the host's Python, e.g. 3.11).  python.wasm is 3.13: there this header
 * adds nothing.  A shim only one file uses stays in that file.  Include it
 * after Python.h.
 */
#ifndef WASISOCK_PYCOMPAT_H
#define WASISOCK_PYCOMPAT_H

#if PY_VERSION_HEX < 0x030D0000
static inline int PyObject_GetOptionalAttrString(PyObject *obj,
                                                 const char *name,
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

#endif /* WASISOCK_PYCOMPAT_H */
