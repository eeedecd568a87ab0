"""Sockets for Python running as a WebAssembly guest, over wasisock.

The host (a wasisock runtime such as ``wasisock-run``/``wasisock-python``)
opens real TCP and UDP sockets for the guest through the imports of the wasm
module "wasisock"; the built-in ``_wasisocket`` module calls them, and this
package puts a small socket-like API on top::

    import wasisocket

    s = wasisocket.Socket()
    s.connect(("example.com", 80))
    s.sendall(b"GET / HTTP/1.0\\r\\nHost: example.com\\r\\n\\r\\n")
    data = s.recv(4096)
    s.close()

    with wasisocket.create_connection(("localhost", 8080)) as s:
        s.sendall(b"ping")

Errors are ordinary ``OSError`` subclasses chosen by errno, exactly as with
the ``socket`` module: a refused connection raises ``ConnectionRefusedError``,
a timeout ``TimeoutError``, use of a closed socket ``OSError(EBADF)``.  A name
that does not resolve raises ``gaierror`` (the ``socket.gaierror`` class when
the interpreter has ``_socket``).  ``SocketError`` is another name for
``OSError`` (as ``socket.error`` is), so ``except SocketError`` catches all of
them and ``except ConnectionRefusedError`` keeps working.  Bad arguments raise
``TypeError`` or ``ValueError``.

Revision 1 of the wasisock ABI has blocking calls only: there are no
timeouts, no non-blocking mode and no server side (bind/listen/accept).
"""

import errno as _errno

import _wasisocket
from _wasisocket import (
    AF_INET,
    AF_INET6,
    SOCK_DGRAM,
    SOCK_STREAM,
    gaierror,
)

__all__ = [
    "AF_INET",
    "AF_INET6",
    "SOCK_DGRAM",
    "SOCK_STREAM",
    "Socket",
    "SocketError",
    "abi_version",
    "create_connection",
    "error",
    "gaierror",
    "getaddrinfo",
    "getdefaulttimeout",
    "has_ipv6",
    "setdefaulttimeout",
    "timeout",
]

#: Base class of every error this package raises, like ``socket.error``.
#: The errors themselves keep their precise class (ConnectionRefusedError,
#: TimeoutError, gaierror, ...), all of which derive from it.
SocketError = OSError
#: The names the socket module (and the seed project) use for the same
#: classes: ``error`` is ``OSError``, ``timeout`` is ``TimeoutError``.
error = OSError
timeout = TimeoutError

#: The host resolves and connects IPv6 addresses (whether the network has a
#: route is another matter).
has_ipv6 = True

_FAMILY_NAMES = {AF_INET: "AF_INET", AF_INET6: "AF_INET6"}
_TYPE_NAMES = {SOCK_STREAM: "SOCK_STREAM", SOCK_DGRAM: "SOCK_DGRAM"}

# Errors that say something about this socket rather than about the address
# tried: trying the next address would not help.
_FATAL_CONNECT_ERRNOS = frozenset({_errno.EBADF, _errno.EISCONN})


def abi_version():
    """Return the wasisock ABI revision the host implements."""
    return _wasisocket.abi_version()


def getaddrinfo(host, port, family=0):
    """Resolve *host* into a list of ``(family, port, addr_bytes)`` tuples.

    Every IPv4 and IPv6 address is returned in the host resolver's order of
    preference; *family* ``AF_INET`` or ``AF_INET6`` keeps only that family
    (0, the default, keeps all).  ``addr_bytes`` is 4 bytes for AF_INET and
    16 for AF_INET6.  Numeric addresses (``"127.0.0.1"``, ``"::1"``) are
    accepted.  Raises ``gaierror`` when the name does not resolve,
    ``ValueError`` for a port outside 0-65535.
    """
    if family not in (0, AF_INET, AF_INET6):
        raise ValueError(f"family must be 0, AF_INET or AF_INET6, not {family!r}")
    addrs = _wasisocket.sock_resolve(host, port)
    if family:
        addrs = [a for a in addrs if a[0] == family]
    return addrs


def _split_address(address, family):
    """(host, port) from a connect() address, checked."""
    if not isinstance(address, tuple):
        raise TypeError(
            f"address must be a (host, port) tuple, not {type(address).__name__}"
        )
    if family == AF_INET6 and len(address) == 4:
        # (host, port, flowinfo, scope_id) as socket.getaddrinfo gives them:
        # the wasisock address record has no room for a scope or flow label.
        if address[2] or address[3]:
            raise ValueError("flowinfo and scope_id are not supported")
        address = address[:2]
    if len(address) != 2:
        raise TypeError(f"address must be (host, port), not {address!r}")
    host, port = address
    if not isinstance(host, (str, bytes, bytearray)):
        raise TypeError(f"host must be str or bytes, not {type(host).__name__}")
    if not isinstance(port, int):
        raise TypeError(f"port must be an int, not {type(port).__name__}")
    return host, port


def _format_addr(family, port, addr):
    """('127.0.0.1', 80) from a (family, port, addr_bytes) record."""
    if family == AF_INET:
        return ".".join(map(str, addr)), port
    import ipaddress

    return str(ipaddress.IPv6Address(bytes(addr))), port


def _check_timeout(value):
    """Validate a timeout argument; ABI revision 1 cannot enforce one, so a
    value other than None gives a RuntimeWarning."""
    if value is None:
        return
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise TypeError(f"timeout must be a number or None, not {type(value).__name__}")
    if value < 0:
        raise ValueError("timeout value must be non-negative")
    import warnings

    warnings.warn(
        "wasisock ABI revision 1 has no timeouts; calls block until they "
        "complete or fail",
        RuntimeWarning,
        stacklevel=3,
    )


_default_timeout = None


def getdefaulttimeout():
    """The value last given to :func:`setdefaulttimeout` (None at first).
    It is not enforced: ABI revision 1 has no timeouts."""
    return _default_timeout


def setdefaulttimeout(value):
    """Accepted for compatibility with the socket module; a value other than
    None gives a RuntimeWarning, since ABI revision 1 has no timeouts."""
    global _default_timeout
    _check_timeout(value)
    _default_timeout = value


class Socket:
    """A TCP (``SOCK_STREAM``) or UDP (``SOCK_DGRAM``) client socket.

    ``Socket(family=AF_INET, type=SOCK_STREAM)`` asks the host for a new
    socket (``socktype=`` is accepted for ``type=``, as the seed project
    spelled it).  Use it as a context manager or call :meth:`close`.  All calls
    block until done.  After :meth:`close`, :meth:`fileno` is -1 and every
    other call raises ``OSError(EBADF)``.
    """

    def __init__(self, family=AF_INET, type=SOCK_STREAM, *, socktype=None):
        # Set first, so __del__ and __repr__ work if sock_open fails.
        self._fd = -1
        self._peer = None
        self._connect_failed = False
        if socktype is not None:
            type = socktype
        self.family = family
        self.type = type
        self._fd = _wasisocket.sock_open(family, type)

    @property
    def socktype(self):
        """The seed project's name for :attr:`type`."""
        return self.type

    # -- connecting ----------------------------------------------------

    def connect(self, address):
        """Connect to ``address``, a ``(host, port)`` tuple.

        *host* is a name or a numeric address; every address it resolves to
        in this socket's family is tried in the resolver's order until one
        connects.  After a failed attempt the socket is reopened before the
        next one, in this call or a later one (its :meth:`fileno` may
        change).  If none connects, the error of the last
        attempt is raised (e.g. ``ConnectionRefusedError``); if the name
        has no address of this family, ``gaierror``.  For ``SOCK_DGRAM``
        this sets the peer that :meth:`send` and :meth:`recv` talk to.
        """
        host, port = _split_address(address, self.family)
        self._check_open()
        addrs = getaddrinfo(host, port, self.family)
        if not addrs:
            raise gaierror(
                _wasisocket.EAI_NONAME,
                f"{host!r} has no {_FAMILY_NAMES.get(self.family, self.family)} address",
            )
        err = None
        try:
            for addr in addrs:
                if self._connect_failed:
                    self._reopen()
                try:
                    self._connect_addr(addr)
                    return
                except OSError as exc:
                    if exc.errno in _FATAL_CONNECT_ERRNOS:
                        raise
                    self._connect_failed = True
                    err = exc
            raise err
        finally:
            err = None  # break the traceback reference cycle

    def _connect_addr(self, addr):
        family, port, addr_bytes = addr
        _wasisocket.sock_connect(self._fd, family, port, addr_bytes)
        self._peer = addr

    def _reopen(self):
        """Replace the handle, left in an unspecified state by a failed
        connect, by a fresh socket of the same family and type."""
        old, self._fd = self._fd, -1
        try:
            _wasisocket.sock_close(old)
        except OSError:
            pass  # the old handle is being dropped either way
        self._fd = _wasisocket.sock_open(self.family, self.type)
        self._connect_failed = False

    def _check_open(self):
        if self._fd < 0:
            raise OSError(_errno.EBADF, "Bad file descriptor")

    # -- data ----------------------------------------------------------

    def send(self, data, flags=0):
        """Send *data* (any bytes-like object); return the bytes sent.

        A stream send may take only part of *data*; use :meth:`sendall`
        to send everything.
        """
        _check_flags(flags)
        return _wasisocket.sock_send(self._fd, data)

    def sendall(self, data, flags=0):
        """Send all of *data* (any bytes-like object), looping over partial
        sends.  Returns None; raises on the first error."""
        _check_flags(flags)
        with memoryview(data) as view, view.cast("B") as buf:
            sent, total = 0, len(buf)
            while sent < total:
                n = _wasisocket.sock_send(self._fd, buf[sent:])
                if n <= 0:  # the host contract rules this out; never spin
                    raise OSError(_errno.EIO, "send made no progress")
                sent += n

    def recv(self, bufsize=4096, flags=0):
        """Receive up to *bufsize* bytes (4096 by default, as in the seed
        project).  ``b""`` means the peer closed the
        connection."""
        _check_flags(flags)
        return _wasisocket.sock_recv(self._fd, bufsize)

    def recv_into(self, buffer, nbytes=0, flags=0):
        """Receive up to *nbytes* bytes (0: ``len(buffer)``) into a writable
        buffer; return how many arrived (0 at end of stream)."""
        _check_flags(flags)
        return _wasisocket.sock_recv_into(self._fd, buffer, nbytes)

    # -- handle --------------------------------------------------------

    def fileno(self):
        """The host's socket handle (not a WASI file descriptor), or -1
        once closed."""
        return self._fd

    def getpeername(self):
        """The ``(address, port)`` this socket is connected to."""
        self._check_open()
        if self._peer is None:
            raise OSError(_errno.ENOTCONN, "Socket not connected")
        return _format_addr(*self._peer)

    @property
    def closed(self):
        """True once :meth:`close` was called."""
        return self._fd < 0

    def close(self):
        """Close the socket.  Closing a closed socket does nothing."""
        fd, self._fd = self._fd, -1
        if fd >= 0:
            _wasisocket.sock_close(fd)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def __del__(self):
        if getattr(self, "_fd", -1) >= 0:
            import warnings

            warnings.warn(f"unclosed {self!r}", ResourceWarning, source=self)
            try:
                self.close()
            except OSError:
                pass

    def __repr__(self):
        family = _FAMILY_NAMES.get(self.family, self.family)
        type_ = _TYPE_NAMES.get(self.type, self.type)
        state = "[closed] " if self._fd < 0 else ""
        text = f"<wasisocket.Socket {state}fd={self._fd}, family={family}, type={type_}"
        if self._peer is not None and self._fd >= 0:
            text += f", raddr={_format_addr(*self._peer)}"
        return text + ">"

    def __getstate__(self):
        raise TypeError(f"cannot pickle {type(self).__name__!r} object")


def _check_flags(flags):
    if flags != 0:
        raise ValueError("flags are not supported (must be 0)")


def create_connection(address, timeout=None):
    """Connect a TCP socket to ``address`` (``(host, port)``) and return it.

    Every address *host* resolves to, IPv6 and IPv4, is tried in the
    resolver's order, each with a socket of its family, until one connects;
    otherwise the last error is raised.  *timeout* is accepted for
    compatibility with ``socket.create_connection`` but ABI revision 1 has
    no timeouts, so a value other than None only raises a RuntimeWarning.
    """
    host, port = _split_address(address, AF_INET)
    _check_timeout(timeout)
    err = None
    try:
        for addr in getaddrinfo(host, port):
            sock = None
            try:
                sock = Socket(addr[0], SOCK_STREAM)
                sock._connect_addr(addr)
                return sock
            except OSError as exc:
                err = exc
                if sock is not None:
                    sock.close()
        if err is None:  # the host returned no address without an error
            raise gaierror(_wasisocket.EAI_NONAME, f"{host!r} has no address")
        raise err
    finally:
        err = None
