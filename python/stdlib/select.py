"""Waiting for I/O completion, over the wasisock imports.

python.wasm's replacement for CPython's C module ``select`` (left out of the
build: ``scripts/cpython-wasi.sh --disable select``).  ``select.poll`` and
``select.select`` wait on the host's sockets with one ``sock_poll`` import
call, so ``selectors.DefaultSelector`` (the ``PollSelector``),
``socketserver``, ``http.server`` and ``asyncio`` work unmodified.

Socket handles are those of the ``_socket``/``socket`` and ``wasisocket``
modules.  Any other descriptor (stdin, a file, a pipe: WASI file descriptors,
numbered below the host's first socket handle, 1024) cannot be waited on
through wasisock: it is reported ready at once for what it was asked (as
poll() does for regular files), so a wait that includes one does not block.

The POLL* constants are wasisock's (include/wasisock_abi.h: wasi-libc's
values, POLLIN 0x1, POLLOUT 0x2, POLLERR 0x1000, POLLHUP 0x2000, POLLNVAL
0x4000).  POLLPRI is 0 (never reported); POLLRDNORM and POLLWRNORM are
POLLIN and POLLOUT.
"""

from _wasisocket import POLLERR, POLLHUP, POLLIN, POLLNVAL, POLLOUT
from _wasisocket import sock_poll as _sock_poll

error = OSError

POLLPRI = 0
POLLRDNORM = POLLIN
POLLWRNORM = POLLOUT

# Events the host waits for; the others only ever come back in revents.
_WAITABLE = POLLIN | POLLOUT
#: libwasisock numbers socket handles from 1024 up (include/wasisock.h);
#: smaller numbers are WASI file descriptors.
_FIRST_HANDLE = 1024

__all__ = [
    "error", "poll", "select",
    "POLLIN", "POLLOUT", "POLLERR", "POLLHUP", "POLLNVAL", "POLLPRI",
    "POLLRDNORM", "POLLWRNORM",
]


def _fileno(fd):
    """The descriptor of an int or of an object with fileno()."""
    if isinstance(fd, int):
        n = fd
    else:
        try:
            fileno = fd.fileno
        except AttributeError:
            raise TypeError(
                "argument must be an int, or have a fileno() method."
            ) from None
        n = fileno()
        if not isinstance(n, int):
            raise TypeError("fileno() returned a non-integer")
    if n < 0:
        raise ValueError(f"file descriptor cannot be a negative integer ({n})")
    return n


def _wait_seconds(ms):
    """poll()'s timeout in milliseconds -> sock_poll's in seconds or None."""
    if ms is None:
        return None
    if not isinstance(ms, (int, float)):
        try:
            ms = ms.__index__()
        except AttributeError:
            raise TypeError(
                f"timeout must be an integer or None, not {type(ms).__name__}"
            ) from None
    if ms < 0:
        return None
    return ms / 1000.0


class poll:
    """Returns a polling object.

    It supports registering and unregistering file descriptors, and then
    polling them for I/O events."""

    __slots__ = ("_events", "_subs", "_files")

    def __init__(self):
        self._events = {}  # fd -> registered event mask
        self._subs = None  # [(handle, waitable events)] for the host, cached
        self._files = None  # [(fd, events)] of other descriptors: ready

    def register(self, fd, eventmask=POLLIN | POLLPRI | POLLOUT):
        """Register a file descriptor with the polling object.

        fd: either an integer, or an object with a fileno() method returning
            an int
        eventmask: an optional bitmask describing the type of events to
            check for"""
        self._events[_fileno(fd)] = eventmask & 0xFFFF
        self._subs = None

    def modify(self, fd, eventmask):
        """Modify an already registered file descriptor.

        fd: either an integer, or an object with a fileno() method returning
            an int
        eventmask: a bitmask describing the type of events to check for"""
        n = _fileno(fd)
        if n not in self._events:
            import errno

            raise FileNotFoundError(errno.ENOENT, "No such file or directory")
        self._events[n] = eventmask & 0xFFFF
        self._subs = None

    def unregister(self, fd):
        """Remove a file descriptor being tracked by the polling object."""
        del self._events[_fileno(fd)]
        self._subs = None

    def _prepare(self):
        subs, files = [], []
        for fd, mask in self._events.items():
            if fd >= _FIRST_HANDLE:
                subs.append((fd, mask & _WAITABLE))
            elif mask & _WAITABLE:
                files.append((fd, mask & _WAITABLE))
        self._subs, self._files = subs, files

    def poll(self, timeout=None):
        """Polls the set of registered file descriptors.

        timeout: the maximum time to wait in milliseconds, or else None (or
            a negative value) to wait indefinitely.

        Returns a list containing any descriptors that have events or errors
        to report, as a list of (fd, event) 2-tuples."""
        wait = _wait_seconds(timeout)
        if self._subs is None:
            self._prepare()
        subs, files = self._subs, self._files
        if subs:
            if files:  # ready at once: only look at the sockets
                return files + _sock_poll(subs, 0)
            return _sock_poll(subs, wait)  # only the ready ones, in order
        if files:
            return list(files)
        if wait is None:  # nothing can ever become ready
            while True:
                _sock_poll([], 3600.0)
        if wait:
            _sock_poll([], wait)
        return []


def select(rlist, wlist, xlist, timeout=None):
    """Wait until one or more file descriptors are ready for some kind of I/O.

    The first three arguments are iterables of file descriptors to be waited
    for: rlist -- wait until ready for reading, wlist -- wait until ready
    for writing, xlist -- wait for an "exceptional condition" (never
    reported here).  File objects with a fileno() method are accepted.

    The optional 4th argument specifies a timeout in seconds; it may be a
    floating-point number to specify fractions of seconds.  If it is
    absent or None, the call will never time out.

    The return value is a tuple of three lists corresponding to the first
    three arguments; each contains the subset of the corresponding file
    descriptors that are ready."""
    if timeout is not None:
        if not isinstance(timeout, (int, float)):
            try:
                timeout = timeout.__index__()
            except AttributeError:
                raise TypeError("timeout must be a float or None") from None
        if timeout != timeout:
            raise ValueError("Invalid value NaN (not a number)")
        if timeout < 0:
            raise ValueError("timeout must be non-negative")
    rl, wl, xl = list(rlist), list(wlist), list(xlist)
    masks = {}
    robj, wobj = {}, {}
    for obj in rl:
        fd = _fileno(obj)
        masks[fd] = masks.get(fd, 0) | POLLIN
        robj.setdefault(fd, []).append(obj)
    for obj in wl:
        fd = _fileno(obj)
        masks[fd] = masks.get(fd, 0) | POLLOUT
        wobj.setdefault(fd, []).append(obj)
    for obj in xl:
        _fileno(obj)  # checked, never reported
    subs = [(fd, m) for fd, m in masks.items() if fd >= _FIRST_HANDLE]
    files = [(fd, m) for fd, m in masks.items() if fd < _FIRST_HANDLE]
    if files:
        timeout = 0
    if subs:
        ready = _sock_poll(subs, timeout)
    elif timeout is None and not files:
        while True:
            _sock_poll([], 3600.0)
    else:
        if timeout:
            _sock_poll([], float(timeout))
        ready = []
    ready += files
    r_out, w_out = [], []
    for fd, rev in ready:
        # An error or hang-up makes a descriptor readable and writable (a
        # read or write then reports it), as select() on Linux does.
        bad = rev & (POLLERR | POLLHUP | POLLNVAL)
        if rev & POLLIN or (bad and fd in robj):
            r_out += robj.get(fd, ())
        if rev & POLLOUT or (bad and fd in wobj):
            w_out += wobj.get(fd, ())
    # Keep the caller's order, as CPython's select() does.
    r_set, w_set = set(map(id, r_out)), set(map(id, w_out))
    return [o for o in rl if id(o) in r_set], [o for o in wl if id(o) in w_set], []
