/*
 * fcntlmodule_wasi.c — CPython's own fcntl module, built into python.wasm
 * (scripts/cpython-wasi.sh --module fcntl=...: Modules/Setup.local).
 *
 * CPython's configure marks fcntl "n/a" for WASI, but on the POSIX layer
 * (docs/POSIX.md) what programs use it for works: fcntl(F_GETFL/F_SETFL,
 * O_NONBLOCK) and fcntl(F_GETFD/F_SETFD, FD_CLOEXEC) on sockets and files,
 * ioctl(FIONBIO, FIONREAD) on sockets.  So the module is CPython's source,
 * unchanged, compiled here; a program that imports fcntl runs as on Linux.
 *
 * wasi-libc has no record locks (WASI preview 1 has no locking call), so
 * its <fcntl.h> lacks the names CPython's flock() and lockf() emulation
 * needs (the module falls back to fcntl(F_SETLK) where flock() is
 * missing).  They get Linux's numbers here only so that source compiles:
 * fcntl.flock() and fcntl.lockf() then raise OSError(EINVAL), the layer's
 * and wasi-libc's answer for a command they do not know.
 */
/* Before anything is included: CPython's Python.h comes first.  A wasi-libc
 * that one day defines these makes the compiler say so (redefinition). */
#define F_RDLCK 0
#define F_WRLCK 1
#define F_UNLCK 2
#define F_SETLK 6
#define F_SETLKW 7

/* This file is linked as Modules/_wasisock_ext/fcntl/<this file> of the
 * CPython source tree. */
#include "../../fcntlmodule.c"
