/* python/snapshot.c — pre-initialised start-up for python.wasm.
 *
 * Built into python.wasm (scripts/cpython-wasi.sh --module, like
 * _wasisocket), where it adds two exports and the module _wasisock_snapshot:
 *
 *   wizer.initialize        run by Wizer at build time (scripts/snapshot-wasi.sh):
 *                           initialises the interpreter as a plain
 *                           `python.wasm` start would, imports SNAPSHOT_IMPORTS,
 *                           and returns; Wizer writes the memory and globals
 *                           out as python-snapshot.wasm
 *   wasisock_snapshot_start the snapshot's entry point (Wizer renames it to
 *                           _start): refreshes what must be fresh in every run
 *                           and runs python's command line
 *
 * What a run gets fresh, whatever the snapshot holds: wasi-libc's environment
 * and preopened directories (so paths, the current directory "." and the CA
 * bundle's /etc/ssl are this run's), sys.argv and sys.orig_argv, os.environ,
 * the line buffering of sys.stdout (a terminal or not), the seed of `random`
 * and OpenSSL's random generator; clocks are read when asked.  The
 * interpreter's configuration is read from this run's command line and
 * environment exactly as a plain start reads it; if anything in it that
 * initialisation depends on differs from the snapshot's (an -X option, -I,
 * -E, PYTHONPATH, PYTHONMALLOC, the locale, ...), the snapshot's interpreter
 * is finalised and a full initialisation runs instead: slower, never wrong.
 *
 * The hash seed is one of those: str and bytes hashes are baked into every
 * dict and set of the snapshot, so it is made with PYTHONHASHSEED=0 and only
 * a run with PYTHONHASHSEED=0 resumes it; any other run (hash randomisation,
 * the default, or another seed) gets a full initialisation with its own
 * seed, as CPython behaves.  docs/PERFORMANCE.md has the numbers.
 *
 * The plain python.wasm carries these exports unused: its _start is
 * CPython's main.
 */

#ifndef Py_BUILD_CORE_BUILTIN
#  define Py_BUILD_CORE_MODULE 1
#endif

#include "Python.h"
#include "pycore_codecs.h"      // _PyCodec_Lookup()
#include "pycore_initconfig.h"  // _PyConfig_AsDict(), _PyPreConfig_Read()
#include "pycore_interp.h"      // _PyInterpreterState_SetConfig()
#include "pycore_runtime.h"     // _PyRuntime.preconfig

#include <stdlib.h>
#include <unistd.h>             // getentropy()
#include <wasi/api.h>
#include <wasi/libc-environ.h>
#include <wasi/libc.h>

/* wasi-libc's reset for snapshotting tools; not declared in its headers. */
void __wasilibc_reset_preopens(void);

/* Modules the snapshot imports beyond those initialisation imports itself. */
static const char *const SNAPSHOT_IMPORTS[] = {
    "encodings.idna", "socket", "ssl", "json", "http.client", "asyncio",
};
/* The argv[0] and the environment the launchers give a plain start
 * (runtimes/node/bin/wasisock-python), plus the snapshot's hash seed. */
#define SNAPSHOT_ARGV0 "python.wasm"
#define SNAPSHOT_HASH_SEED "0"

/* Configuration fields a run sets and initialisation does not use (the
 * sys attributes they make, sys.dont_write_bytecode included, are set again
 * by _PyInterpreterState_SetConfig; interactive runs get their stdout's
 * line buffering in REFRESH). */
static const char *const PER_RUN_FIELDS[] = {
    "argv", "orig_argv", "run_command", "run_module", "run_filename",
    "inspect", "interactive", "quiet", "skip_source_first_line", "safe_path",
    "write_bytecode",
};

/* State in the snapshot's memory. */
static int snapshot_made;            /* set by wizer.initialize */
static const char *start_kind;       /* "snapshot", "full" or NULL (plain) */
static char fallback_reason[256];    /* why a run did not resume, or "" */

/* --- the module -------------------------------------------------------- */

PyDoc_STRVAR(environ_doc,
"environ($module, /)\n--\n\n"
"This run's environment as {bytes: bytes}, read from wasi-libc (what\n"
"posix.environ holds after a plain start).");

static PyObject *
snapshot_environ(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    PyObject *d = PyDict_New();
    if (d == NULL) {
        return NULL;
    }
    for (char **e = environ; e != NULL && *e != NULL; e++) {
        const char *eq = strchr(*e, '=');
        if (eq == NULL) {
            continue;
        }
        PyObject *k = PyBytes_FromStringAndSize(*e, eq - *e);
        PyObject *v = PyBytes_FromString(eq + 1);
        int rc = (k && v) ? PyDict_SetDefaultRef(d, k, v, NULL) : -1;
        Py_XDECREF(k);
        Py_XDECREF(v);
        if (rc < 0) {
            Py_DECREF(d);
            return NULL;
        }
    }
    return d;
}

static PyMethodDef snapshot_methods[] = {
    {"environ", snapshot_environ, METH_NOARGS, environ_doc},
    {NULL, NULL, 0, NULL},
};

static int
snapshot_exec(PyObject *m)
{
    PyObject *kind = start_kind ? PyUnicode_FromString(start_kind) : Py_NewRef(Py_None);
    if (PyModule_Add(m, "start", kind) < 0) {
        return -1;
    }
    PyObject *why = fallback_reason[0] ? PyUnicode_FromString(fallback_reason) : Py_NewRef(Py_None);
    if (PyModule_Add(m, "fallback_reason", why) < 0) {
        return -1;
    }
    PyObject *names = PyTuple_New(Py_ARRAY_LENGTH(SNAPSHOT_IMPORTS));
    if (names == NULL) {
        return -1;
    }
    for (size_t i = 0; i < Py_ARRAY_LENGTH(SNAPSHOT_IMPORTS); i++) {
        PyObject *s = PyUnicode_FromString(SNAPSHOT_IMPORTS[i]);
        if (s == NULL) {
            Py_DECREF(names);
            return -1;
        }
        PyTuple_SET_ITEM(names, (Py_ssize_t)i, s);
    }
    return PyModule_Add(m, "imports", names);
}

static PyModuleDef_Slot snapshot_slots[] = {
    {Py_mod_exec, snapshot_exec},
    {Py_mod_multiple_interpreters, Py_MOD_PER_INTERPRETER_GIL_SUPPORTED},
    {0, NULL},
};

static struct PyModuleDef snapshot_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_wasisock_snapshot",
    .m_doc = "How this python.wasm process started: from a Wizer snapshot of an\n"
             "initialised interpreter (start == 'snapshot'), a snapshot that fell back\n"
             "to a full initialisation ('full', fallback_reason says why), or the plain\n"
             "python.wasm (None).  docs/PERFORMANCE.md, \"Pre-initialised start-up\".",
    .m_size = 0,
    .m_methods = snapshot_methods,
    .m_slots = snapshot_slots,
};

PyMODINIT_FUNC
PyInit__wasisock_snapshot(void)
{
    return PyModuleDef_Init(&snapshot_module);
}

/* --- build time: wizer.initialize ----------------------------------------- */

__attribute__((export_name("wizer.initialize")))
void
wasisock_snapshot_initialize(void)
{
    char *argv[] = {SNAPSHOT_ARGV0, NULL};
    /* Wizer gives no environment: the launchers' PYTHONHOME and the
     * snapshot's hash seed. */
    setenv("PYTHONHOME", "/", 1);
    setenv("PYTHONHASHSEED", SNAPSHOT_HASH_SEED, 1);

    PyConfig config;
    PyConfig_InitPythonConfig(&config);
    PyStatus status = PyConfig_SetBytesArgv(&config, 1, argv);
    if (!PyStatus_Exception(status)) {
        status = Py_InitializeFromConfig(&config);
    }
    PyConfig_Clear(&config);
    if (PyStatus_Exception(status)) {
        Py_ExitStatusException(status);  /* Wizer reports the failure */
    }
    for (size_t i = 0; i < Py_ARRAY_LENGTH(SNAPSHOT_IMPORTS); i++) {
        PyObject *mod = PyImport_ImportModule(SNAPSHOT_IMPORTS[i]);
        if (mod == NULL) {
            PyErr_Print();
            abort();
        }
        Py_DECREF(mod);
    }
    /* As a fork server does before it forks: collect once, then freeze
     * (gc.freeze) what is left, so that no collection of a resumed run —
     * the full ones of its exit among them — walks the snapshot's objects
     * again (and writes to each, copying its page).  A resumed -c pass
     * spent most of its time there. gc.unfreeze() undoes it. */
    PyGC_Collect();
    PyObject *gc = PyImport_ImportModule("gc");
    PyObject *r = gc ? PyObject_CallMethod(gc, "freeze", NULL) : NULL;
    if (r == NULL) {
        PyErr_Print();
        abort();
    }
    Py_DECREF(r);
    Py_DECREF(gc);
    snapshot_made = 1;
}

/* --- run time: the snapshot's _start ---------------------------------------- */

/* Encoding fields: initialisation stores the codec's own name ("utf-8"),
 * a configuration only read has the locale's ("UTF-8"). */
static const char *const CODEC_FIELDS[] = {"filesystem_encoding", "stdio_encoding"};

static int
same_value(PyObject *key, PyObject *a, PyObject *b)
{
    for (size_t i = 0; i < Py_ARRAY_LENGTH(CODEC_FIELDS); i++) {
        if (PyUnicode_CompareWithASCIIString(key, CODEC_FIELDS[i]) == 0 &&
            PyUnicode_Check(a) && PyUnicode_Check(b)) {
            PyObject *ia = _PyCodec_Lookup(PyUnicode_AsUTF8(a));
            PyObject *ib = ia ? _PyCodec_Lookup(PyUnicode_AsUTF8(b)) : NULL;
            PyObject *na = ib ? PyObject_GetAttrString(ia, "name") : NULL;
            PyObject *nb = na ? PyObject_GetAttrString(ib, "name") : NULL;
            int eq = nb ? PyObject_RichCompareBool(na, nb, Py_EQ) : -1;
            Py_XDECREF(ia);
            Py_XDECREF(ib);
            Py_XDECREF(na);
            Py_XDECREF(nb);
            return eq;
        }
    }
    return PyObject_RichCompareBool(a, b, Py_EQ);
}

/* Reads a run's configuration as initialisation does: PyConfig_Read, then
 * again with the path configuration (sys.path, prefix, platlibdir, ...). */
static PyStatus
read_config(PyConfig *config)
{
    PyStatus status = PyConfig_Read(config);
    if (PyStatus_Exception(status)) {
        return status;
    }
    return _PyConfig_Read(config, 1);
}

/* 1 if a configuration read for this run needs nothing initialisation did
 * differently; else 0 with fallback_reason set; -1 on error. */
static int
same_initialisation(const PyConfig *run, const PyPreConfig *run_pre)
{
    int same = -1;
    PyObject *now = NULL, *was = NULL, *pre_now = NULL, *pre_was = NULL;
    PyInterpreterState *interp = PyInterpreterState_Get();

    pre_now = _PyPreConfig_AsDict(run_pre);
    pre_was = _PyPreConfig_AsDict(&_PyRuntime.preconfig);
    now = _PyConfig_AsDict(run);
    was = _PyConfig_AsDict(_PyInterpreterState_GetConfig(interp));
    if (!pre_now || !pre_was || !now || !was) {
        goto done;
    }
    for (size_t i = 0; i < Py_ARRAY_LENGTH(PER_RUN_FIELDS); i++) {
        if (PyDict_PopString(now, PER_RUN_FIELDS[i], NULL) < 0 ||
            PyDict_PopString(was, PER_RUN_FIELDS[i], NULL) < 0) {
            goto done;
        }
    }
    same = 1;
    PyObject *dicts[2][2] = {{pre_now, pre_was}, {now, was}};
    for (int d = 0; d < 2 && same == 1; d++) {
        PyObject *key, *value;
        Py_ssize_t pos = 0;
        while (PyDict_Next(dicts[d][0], &pos, &key, &value)) {
            PyObject *other = PyDict_GetItemWithError(dicts[d][1], key);
            int eq = other ? same_value(key, value, other) : 0;
            if (eq < 0 || PyErr_Occurred()) {
                same = -1;
                break;
            }
            if (!eq) {
                PyObject *msg = PyUnicode_FromFormat("%U: %R here, %R in the snapshot", key, value, other);
                snprintf(fallback_reason, sizeof fallback_reason, "%s",
                         msg ? PyUnicode_AsUTF8(msg) : "configuration differs");
                Py_XDECREF(msg);
                PyErr_Clear();
                same = 0;
                break;
            }
        }
    }
done:
    Py_XDECREF(now);
    Py_XDECREF(was);
    Py_XDECREF(pre_now);
    Py_XDECREF(pre_was);
    return same;
}

/* What the interpreter keeps from initialisation and a run must not share
 * with the snapshot (the configuration, argv included, is set before). */
static const char REFRESH[] =
    "import os, sys, _wasisock_snapshot\n"
    "env = _wasisock_snapshot.environ()\n"
    "import posix\n"
    "posix.environ.clear(); posix.environ.update(env)\n"
    "os.environ._data.clear(); os.environ._data.update(env)\n"
    "sys.stdout.reconfigure(line_buffering=bool(sys.flags.interactive or sys.stdout.isatty()))\n"
    "if 'random' in sys.modules:\n"
    "    sys.modules['random'].seed()\n"
    "if '_ssl' in sys.modules:\n"
    "    sys.modules['_ssl'].RAND_add(os.urandom(48), 48.0)\n"
    "del env, os, sys, posix, _wasisock_snapshot\n";

/* The hash secret for a run that falls back to a full initialisation.
 * CPython draws it once per process (_Py_HashRandomization_Init does nothing
 * the second time), so after Py_FinalizeEx the snapshot's would stay: set
 * it here as that function does — PYTHONHASHSEED=0 zeros, another seed
 * CPython's linear congruential bytes (the documented, reproducible
 * sequence of Python/bootstrap_hash.c), no seed fresh random bytes. */
static int
reseed_hash_secret(const PyConfig *config)
{
    unsigned char *secret = (unsigned char *)&_Py_HashSecret;
    if (!config->use_hash_seed) {
        return getentropy(secret, sizeof _Py_HashSecret);
    }
    unsigned int x = (unsigned int)config->hash_seed;
    for (size_t i = 0; i < sizeof _Py_HashSecret; i++) {
        x = x * 214013u + 2531011u;
        secret[i] = config->hash_seed ? (unsigned char)(x >> 16) : 0;
    }
    return 0;
}

static int
resume(int argc, char **argv)
{
    PyConfig config;
    PyPreConfig pre;
    PyConfig_InitPythonConfig(&config);
    PyPreConfig_InitPythonConfig(&pre);
    _PyArgv args = {.argc = argc, .use_bytes_argv = 1, .bytes_argv = argv, .wchar_argv = NULL};
    PyStatus status = _PyPreConfig_Read(&pre, &args);
    if (!PyStatus_Exception(status)) {
        status = PyConfig_SetBytesArgv(&config, argc, argv);
    }
    if (!PyStatus_Exception(status)) {
        status = read_config(&config);
    }
    if (PyStatus_Exception(status)) {
        Py_ExitStatusException(status);
    }
    int same = same_initialisation(&config, &pre);
    if (same < 0) {
        PyErr_Print();
        PyConfig_Clear(&config);
        return 1;
    }
    if (!same) {
        start_kind = "full";
        int rc = Py_FinalizeEx() < 0 || reseed_hash_secret(&config) < 0;
        PyConfig_Clear(&config);
        return rc ? 120 : Py_BytesMain(argc, argv);
    }
    PyConfig_Clear(&config);
    start_kind = "snapshot";
    PyConfig_InitPythonConfig(&config);
    status = PyConfig_SetBytesArgv(&config, argc, argv);
    if (!PyStatus_Exception(status)) {
        status = read_config(&config);
    }
    if (PyStatus_Exception(status)) {
        Py_ExitStatusException(status);
    }
    if (_PyInterpreterState_SetConfig(&config) < 0 || PyRun_SimpleString(REFRESH) != 0) {
        PyErr_Print();
        PyConfig_Clear(&config);
        return 1;
    }
    PyConfig_Clear(&config);
    return Py_RunMain();
}

__attribute__((export_name("wasisock_snapshot_start")))
void
wasisock_snapshot_start(void)
{
    if (!snapshot_made) {
        /* The plain python.wasm: its entry point is _start. */
        __builtin_trap();
    }
    /* This run's environment and preopened directories, not the snapshot's. */
    __wasilibc_deinitialize_environ();
    __wasilibc_initialize_environ();
    __wasilibc_reset_preopens();
    __wasilibc_populate_preopens();

    __wasi_size_t argc, size;
    if (__wasi_args_sizes_get(&argc, &size) != 0) {
        _Exit(71);
    }
    char **argv = calloc(argc + 1, sizeof *argv);
    char *buf = malloc(size ? size : 1);
    if (argv == NULL || buf == NULL || __wasi_args_get((uint8_t **)argv, (uint8_t *)buf) != 0) {
        _Exit(71);
    }
    exit(resume((int)argc, argv));
}
