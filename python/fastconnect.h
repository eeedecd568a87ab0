/*
 * fastconnect.h — what python/_wasisocket.c needs of python/fastconnect.c:
 * the call that adds the type FastConnect to the module.
 */
#ifndef WASISOCK_FASTCONNECT_H
#define WASISOCK_FASTCONNECT_H

#include <Python.h>

/* Creates _wasisocket.FastConnect (a heap type of module) and adds it to
 * module, from the module's exec slot.  0, or -1 with an exception set. */
int wasisocket_fastconnect_add(PyObject *module);

#endif /* WASISOCK_FASTCONNECT_H */
