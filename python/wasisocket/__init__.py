"""Sockets for Python running as a WebAssembly guest, over wasisock.

The host (a wasisock runtime such as ``wasisock-run``/``wasisock-python``)
opens real TCP and UDP sockets for the guest through the imports of the wasm
module "wasisock"; wasisock's POSIX layer makes them ordinary descriptors,
CPython's own ``socket`` module works on them, and this package is a
``socket.socket`` with the seed project's API on top::

    import wasisocket

    s = wasisocket.Socket()
    s.connect(("example.com", 80))
    s.sendall(b"GET / HTTP/1.0\\r\\nHost: example.com\\r\\n\\r\\n")
    data = s.recv(4096)
    s.close()

    # IPv6 and IPv4 raced as RFC 8305 (Happy Eyeballs) says, 5 s in all
    with wasisocket.create_connection(("localhost", 8080), timeout=5) as s:
        s.sendall(b"ping")

    # a server
    with wasisocket.create_server(("127.0.0.1", 0)) as srv:
        conn, (host, port) = srv.accept()

A :class:`Socket` *is* a ``socket.socket`` (``ssl``, ``asyncio``,
``selectors`` take it as one); what it adds is connecting to every address
of a name in turn and the package's own default timeout.  Errors are
``socket``'s: ``OSError`` subclasses chosen by errno (a refused connection
raises ``ConnectionRefusedError``, a timeout ``TimeoutError``, a
non-blocking call that would wait ``BlockingIOError``, use of a closed
socket ``OSError(EBADF)``), ``socket.gaierror`` for a name that does not
resolve.  ``SocketError`` is another name for ``OSError`` (as
``socket.error`` is), so ``except SocketError`` catches all of them and
``except ConnectionRefusedError`` keeps working.  Bad arguments raise
``TypeError`` or ``ValueError``.
"""

import errno as _errno
import select as _select
import socket as _stdsocket
import time as _time

import _socket
import _wasisocket
from _socket import (
    AF_INET,
    AF_INET6,
    AF_UNSPEC,
    IPPROTO_IPV6,
    IPPROTO_TCP,
    IPV6_V6ONLY,
    MSG_PEEK,
    MSG_WAITALL,
    SHUT_RD,
    SHUT_RDWR,
    SHUT_WR,
    SO_ACCEPTCONN,
    SO_BROADCAST,
    SO_ERROR,
    SO_KEEPALIVE,
    SO_RCVBUF,
    SO_REUSEADDR,
    SO_SNDBUF,
    SO_TYPE,
    SOCK_DGRAM,
    SOCK_STREAM,
    SOL_SOCKET,
    TCP_NODELAY,
    gaierror,
)
from select import POLLERR, POLLHUP, POLLIN, POLLNVAL, POLLOUT

__all__ = [
    "AF_INET",
    "AF_INET6",
    "AF_UNSPEC",
    "IPPROTO_IPV6",
    "IPPROTO_TCP",
    "IPV6_V6ONLY",
    "MSG_PEEK",
    "MSG_WAITALL",
    "POLLERR",
    "POLLHUP",
    "POLLIN",
    "POLLNVAL",
    "POLLOUT",
    "SHUT_RD",
    "SHUT_RDWR",
    "SHUT_WR",
    "SOCK_DGRAM",
    "SOCK_STREAM",
    "SOL_SOCKET",
    "SOMAXCONN",
    "SO_ACCEPTCONN",
    "SO_BROADCAST",
    "SO_ERROR",
    "SO_KEEPALIVE",
    "SO_RCVBUF",
    "SO_REUSEADDR",
    "SO_SNDBUF",
    "SO_TYPE",
    "Socket",
    "SocketError",
    "TCP_NODELAY",
    "abi_version",
    "create_connection",
    "create_server",
    "error",
    "gaierror",
    "getaddrinfo",
    "getdefaulttimeout",
    "has_dualstack_ipv6",
    "has_ipv6",
    "poll",
    "setdefaulttimeout",
    "timeout",
    "tls_connect",
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

#: The largest backlog: ``socket.SOMAXCONN`` (the POSIX layer's, Linux's
#: since 5.4); the host clamps any backlog to its own.
SOMAXCONN = _socket.SOMAXCONN
#: Default backlog of :meth:`Socket.listen` and :func:`create_server`: the
#: socket module's ``min(SOMAXCONN, 128)``.
_DEFAULT_BACKLOG = min(SOMAXCONN, 128)

_FAMILY_NAMES = {AF_INET: "AF_INET", AF_INET6: "AF_INET6"}
_TYPE_NAMES = {SOCK_STREAM: "SOCK_STREAM", SOCK_DGRAM: "SOCK_DGRAM"}
_ANY = {AF_INET: bytes(4), AF_INET6: bytes(16)}

# Errors that say something about this socket rather than about the address
# tried: trying the next address would not help.  EINPROGRESS/EAGAIN: a
# non-blocking connect that has started.
_FATAL_CONNECT_ERRNOS = frozenset(
    {_errno.EBADF, _errno.EISCONN, _errno.EINPROGRESS, _errno.EAGAIN, _errno.EALREADY}
)
# Errors about the way to an address rather than an answer from it: when
# every attempt fails, create_connection prefers to report another kind.
_ROUTE_ERRNOS = frozenset(
    {
        _errno.ENETUNREACH,
        _errno.EHOSTUNREACH,
        _errno.EADDRNOTAVAIL,
        _errno.EAFNOSUPPORT,
        _errno.ENETDOWN,
    }
)


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
    ``ValueError`` for a port outside 0-65535 or an empty name.
    """
    if family not in (0, AF_INET, AF_INET6):
        raise ValueError(f"family must be 0, AF_INET or AF_INET6, not {family!r}")
    if not isinstance(host, (str, bytes, bytearray)):
        raise TypeError(f"host must be str or bytes, not {type(host).__name__}")
    if not host:
        raise ValueError("host name must not be empty")
    _check_port(port)
    # Every address, then the family's: a name without an address of the
    # family is an empty list, not the resolver's EAI_NONAME.
    return [(fam, port, _socket.inet_pton(fam, sockaddr[0]))
            for fam, _, _, _, sockaddr in _socket.getaddrinfo(host, port, 0, SOCK_STREAM)
            if family in (0, fam)]


def has_dualstack_ipv6():
    """True: the host's IPv6 sockets can also take IPv4 connections (see
    ``create_server(..., dualstack_ipv6=True)``)."""
    return True


def poll(fds_events, timeout=None):
    """Wait until sockets are ready: ``[(fd, revents), ...]``.

    *fds_events* is an iterable of ``(fd, events)`` pairs (descriptors from
    :meth:`Socket.fileno`, events ``POLLIN`` and/or ``POLLOUT``); *timeout*
    is in seconds, None (or negative) waits without limit.  Only ready
    pairs are returned, in the order given (revents ``POLLIN``,
    ``POLLOUT``, ``POLLERR``, ``POLLHUP``, ``POLLNVAL`` for a descriptor
    that is not open); ``[]`` on timeout.  It is ``select.poll``; see also
    :class:`wasisocket.selectors.WasisockSelector`.
    """
    poller = _select.poll()
    for fd, events in fds_events:
        poller.register(fd, events)
    return poller.poll(None if timeout is None else timeout * 1000)


def _check_port(port):
    if not isinstance(port, int) or isinstance(port, bool):
        raise TypeError(f"port must be an int, not {type(port).__name__}")
    if not 0 <= port <= 65535:
        raise ValueError("port must be 0-65535")


def _split_address(address, family):
    """(host, port) from a connect() or bind() address, checked."""
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
    _check_port(port)
    return host, port


def _no_address(host, family):
    return gaierror(_socket.EAI_NONAME,
                    f"{host!r} has no {_FAMILY_NAMES.get(family, family)} address")


def _local_addresses(host, port, family):
    """Address records for bind(): '' is the family's any-address (as is
    None), '<broadcast>' 255.255.255.255; else the name's addresses in that
    family (gaierror if it has none)."""
    _check_port(port)
    if host in (None, "", b""):
        return [(family, port, _ANY[family])]
    if family == AF_INET and host in ("<broadcast>", b"<broadcast>"):
        return [(family, port, b"\xff\xff\xff\xff")]
    addrs = getaddrinfo(host, port, family)
    if not addrs:
        raise _no_address(host, family)
    return addrs


def _sockaddr(record):
    """The socket module's address for a (family, port, addr_bytes) record:
    ``('127.0.0.1', 80)`` or ``('::1', 80, 0, 0)``."""
    family, port, addr = record
    text = _socket.inet_ntop(family, addr)
    return (text, port) if family == AF_INET else (text, port, 0, 0)


def _check_timeout(value):
    """A timeout argument as float seconds or None, checked as the socket
    module does: TypeError for a non-number, ValueError for a negative."""
    if value is None:
        return None
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise TypeError(f"timeout must be a number or None, not {type(value).__name__}")
    value = float(value)
    if value != value:
        raise ValueError("Invalid value NaN (not a number)")
    if value < 0:
        raise ValueError("Timeout value out of range")
    return value


_default_timeout = None


def getdefaulttimeout():
    """The timeout new sockets start with, in seconds, or None (the
    default: they block)."""
    return _default_timeout


def setdefaulttimeout(value):
    """Set the timeout new sockets start with: None (block), 0
    (non-blocking) or seconds.  Sockets that exist keep theirs.  (The
    ``socket`` module's own default is a separate setting.)"""
    global _default_timeout
    _default_timeout = _check_timeout(value)


_getdefaulttimeout = _socket.getdefaulttimeout

# connect()'s fast path (Socket.connect, _wasisocket.FastConnect): address
# tuple -> the family of the socket it can go straight to
# socket.socket.connect on (a str host that is a numeric address of that
# family, a valid port), or 0 (a name, anything else): the checks and
# inet_pton run once per address, not once per connect.  Cleared when it
# reaches _ADDRESS_FAMILY_MAX entries.
_address_family = {}
_ADDRESS_FAMILY_MAX = 256


def _numeric_address_family(address):
    """What _address_family holds for the tuple *address* (and puts there)."""
    family = 0
    if len(address) == 2:
        host, port = address
        if type(host) is str and type(port) is int and 0 <= port <= 65535:
            for af in (AF_INET, AF_INET6):
                try:
                    _socket.inet_pton(af, host)
                except (OSError, ValueError):
                    continue
                family = af
                break
    if len(_address_family) >= _ADDRESS_FAMILY_MAX:
        _address_family.clear()
    _address_family[address] = family
    return family


class Socket(_stdsocket.socket):
    """A TCP (``SOCK_STREAM``) or UDP (``SOCK_DGRAM``) socket: a
    ``socket.socket`` that connects to every address of a name in turn.

    ``Socket(family=AF_INET, type=SOCK_STREAM)`` opens a new socket
    (``socktype=`` is accepted for ``type=``, as the seed project spelled
    it); ``fileno=`` wraps a socket descriptor that is already open
    instead.  Either way the socket starts with :func:`getdefaulttimeout`:
    calls block until done unless :meth:`settimeout` says otherwise.  Use
    it as a context manager or call :meth:`close`.  After :meth:`close`,
    :meth:`fileno` is -1 and every other call raises ``OSError(EBADF)``.
    """

    # What a reopen after a failed connect must restore: options set
    # ({(level, name): value}, made at the first setsockopt), the local
    # address bound; and whether a connect failed.  Class defaults, so that
    # a new socket writes none of them.
    _options = None
    _bound = None
    _connect_failed = False

    def __init__(self, family=AF_INET, type=SOCK_STREAM, proto=0, fileno=None,
                 *, socktype=None):
        if socktype is not None:
            type = socktype
        if proto != 0:
            raise ValueError(f"proto must be 0, not {proto!r}")
        if fileno is not None and (not isinstance(fileno, int) or isinstance(fileno, bool)):
            # (type is the socket type here, not the builtin)
            raise TypeError(f"fileno must be an int, not {fileno.__class__.__name__}")
        # socket.socket.__init__'s work without its frame (the connect
        # benchmark's path): the C type's, and the two slots socket.py adds
        # (test_highlevel holds a new Socket's slots to a socket.socket's).
        _socket.socket.__init__(self, family, type, 0, fileno)
        self._io_refs = 0
        self._closed = False
        # A new socket has socket's default timeout already; a descriptor
        # from elsewhere may be in any mode.
        if fileno is None and _default_timeout == _getdefaulttimeout():
            return
        try:
            self.settimeout(_default_timeout)
        except BaseException:
            if fileno is None:
                self.close()
            else:
                self.detach()  # the caller's descriptor stays open
            raise

    @property
    def socktype(self):
        """The seed project's name for :attr:`type`."""
        return self.type

    @property
    def closed(self):
        """True once :meth:`close` (or :meth:`detach`) was called."""
        return self.fileno() < 0

    def close(self):
        """Close the socket; a file from :meth:`makefile` that is still
        open keeps it open until that file is closed too (as
        ``socket.socket.close``)."""
        # socket.socket.close's work and its _real_close's in one frame (the
        # connect benchmark's path: 0.15 us of a connection in python.wasm).
        # A subclass with its own _real_close gets socket's close back
        # (__init_subclass__), so its _real_close still runs.
        self._closed = True
        if self._io_refs <= 0:
            _socket.socket.close(self)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "close" not in cls.__dict__ and cls._real_close is not _stdsocket.socket._real_close:
            cls.close = _stdsocket.socket.close

    def _check_open(self):
        if self.fileno() < 0:
            raise OSError(_errno.EBADF, "Bad file descriptor")

    # -- connecting ----------------------------------------------------

    def connect(self, address):
        """Connect to ``address``, a ``(host, port)`` tuple.

        *host* is a name or a numeric address; every address it resolves to
        in this socket's family is tried in the resolver's order until one
        connects, each within the socket's timeout.  After a failed attempt
        the socket is reopened before the next one, in this call or a later
        one (its :meth:`fileno` may change; its timeout, options and local
        address are restored).  If none connects, the error of the last
        attempt is raised (e.g. ``ConnectionRefusedError``,
        ``TimeoutError``); if the name has no address of this family,
        ``gaierror``.  A non-blocking socket raises ``BlockingIOError``
        (``EINPROGRESS``) at once: wait for :data:`POLLOUT` and read
        ``SO_ERROR``.  For ``SOCK_DGRAM`` this sets the peer that
        :meth:`send` and :meth:`recv` talk to.
        """
        # (The common case, a numeric address of this family, is taken in C
        # before this runs: see below.)
        host, port = _split_address(address, self.family)
        self._check_open()
        addrs = getaddrinfo(host, port, self.family)
        if not addrs:
            raise _no_address(host, self.family)
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

    # The common case — a numeric address of this family (known from
    # _address_family after the first time), an int port, no failed attempt
    # before — goes straight to _socket.socket.connect without this method's
    # frame: _wasisocket.FastConnect does its checks in C (they are written
    # there) and calls the method above for everything else.  As this
    # method's first lines they cost 0.50-0.58 us per call in python.wasm,
    # in C 0.12-0.14 us (fastconnect.c says how that was measured).
    # Socket.connect keeps the method's name, docstring and signature
    # (inspect follows __wrapped__), and binds as a method.
    connect = _wasisocket.FastConnect(connect, _address_family, _numeric_address_family,
                                      _FATAL_CONNECT_ERRNOS)

    def connect_ex(self, address):
        """As :meth:`connect`, but return an errno value instead of raising
        ``OSError`` for the connection itself (0 on success, ``EINPROGRESS``
        for a non-blocking socket)."""
        try:
            self.connect(address)
        except gaierror:
            raise
        except OSError as exc:
            if exc.errno is None:
                raise
            return exc.errno
        return 0

    def _connect_addr(self, record):
        super().connect(_sockaddr(record))

    def _reopen(self):
        """Replace the descriptor, left in an unspecified state by a failed
        connect (POSIX), by a fresh socket of the same family and type with
        the same timeout, options and local address."""
        timeout = self.gettimeout()
        _socket.socket.close(self)
        _socket.socket.__init__(self, self.family, self.type, self.proto)
        try:
            self.settimeout(timeout)
            for (level, name), value in (self._options or {}).items():
                super().setsockopt(level, name, value)
            if self._bound is not None:
                super().bind(_sockaddr(self._bound))
        except BaseException:
            _socket.socket.close(self)
            raise
        self._connect_failed = False

    # -- serving -------------------------------------------------------

    def bind(self, address):
        """Bind to the local ``(host, port)``: host ``''`` is every address
        of the family (``0.0.0.0`` or ``::``), port 0 an ephemeral port
        (:meth:`getsockname` tells which).  A name binds its first address
        of this socket's family."""
        host, port = _split_address(address, self.family)
        self._check_open()
        record = _local_addresses(host, port, self.family)[0]
        super().bind(_sockaddr(record))
        self._bound = record

    def listen(self, backlog=None):
        """Accept connections, queueing at most *backlog* (default 128, as
        ``socket``'s ``min(SOMAXCONN, 128)``; the host clamps it to [1, its
        SOMAXCONN]).  An unbound socket gets an ephemeral port first."""
        if backlog is None:
            backlog = _DEFAULT_BACKLOG
        if not isinstance(backlog, int) or isinstance(backlog, bool):
            raise TypeError(f"backlog must be an int, not {type(backlog).__name__}")
        super().listen(max(min(backlog, 0x7FFFFFFF), -0x80000000))

    def accept(self):
        """Wait for a connection (per this socket's timeout) and return
        ``(conn, address)``: a new connected :class:`Socket` and the peer's
        address, ``(host, port)`` or ``(host, port, 0, 0)`` for IPv6.

        The new socket starts with :func:`getdefaulttimeout` (None: it
        blocks, whatever this socket's timeout).  A non-blocking socket with
        nothing pending raises ``BlockingIOError``.
        """
        fd, address = self._accept()
        try:
            conn = Socket(self.family, self.type, fileno=fd)
        except BaseException:
            _socket.close(fd)
            raise
        return conn, address

    # -- data ----------------------------------------------------------

    def sendto(self, data, flags_or_address, address=None):
        """``sendto(data, address)`` or ``sendto(data, flags, address)``:
        send *data* to ``(host, port)`` (UDP: one datagram; an unbound
        socket is bound to an ephemeral port first); a name is sent to its
        first address of this socket's family.  Returns the bytes sent."""
        if address is None:
            flags, address = 0, flags_or_address
        else:
            flags = flags_or_address
        host, port = _split_address(address, self.family)
        self._check_open()
        addrs = getaddrinfo(host, port, self.family)
        if not addrs:
            raise _no_address(host, self.family)
        return super().sendto(data, flags, _sockaddr(addrs[0]))

    def recv(self, bufsize=4096, flags=0):
        """Receive up to *bufsize* bytes (4096 by default, as in the seed
        project).  ``b""`` means the peer closed the connection.  *flags*:
        ``MSG_PEEK`` (leave the data queued), ``MSG_WAITALL`` (wait for
        *bufsize* bytes, end of stream or the timeout)."""
        return super().recv(bufsize, flags)

    # -- options -------------------------------------------------------

    def setsockopt(self, level, optname, value, optlen=None):
        """Set an option, as ``socket.socket.setsockopt`` (an int, or a
        bytes-like buffer); int values are kept for a reopen after a failed
        connect."""
        if optlen is None:
            super().setsockopt(level, optname, value)
        else:
            super().setsockopt(level, optname, value, optlen)
        if optlen is None and isinstance(value, int):
            if self._options is None:
                self._options = {}
            self._options[(level, optname)] = value

    def __repr__(self):
        family = _FAMILY_NAMES.get(self.family, self.family)
        type_ = _TYPE_NAMES.get(self.type, self.type)
        fd = self.fileno()
        text = f"<wasisocket.Socket {'[closed] ' if fd < 0 else ''}fd={fd}, family={family}, type={type_}"
        if fd >= 0:
            for label, call in (("laddr", self.getsockname), ("raddr", self.getpeername)):
                try:
                    text += f", {label}={call()}"
                except OSError:
                    pass
        return text + ">"


# ---- create_connection: Happy Eyeballs (RFC 8305) ---------------------------

_GLOBAL_DEFAULT_TIMEOUT = object()


def _interleave(addrs, first_family_count=1):
    """RFC 8305 section 4: the addresses reordered to alternate between
    families, starting with *first_family_count* of the resolver's first
    family; within a family the resolver's order is kept."""
    families = {}
    for addr in addrs:
        families.setdefault(addr[0], []).append(addr)
    queues = list(families.values())
    out = []
    if queues and first_family_count > 1:
        out.extend(queues[0][:first_family_count - 1])
        del queues[0][:first_family_count - 1]
    for i in range(max(map(len, queues), default=0)):
        out.extend(q[i] for q in queues if i < len(q))
    return out


def _pick_error(errors):
    """The error create_connection raises when every attempt failed: the
    first that is not merely about the route (ENETUNREACH, ...), since a
    refusal or a timeout from a reachable address says more; else the
    first."""
    for exc in errors:
        if exc.errno not in _ROUTE_ERRNOS:
            return exc
    return errors[0]


def _connect_happy_eyeballs(addrs, timeout=None, delay=0.25, source_address=None,
                            trace=None, all_errors=False):
    """Race TCP connections to *addrs* (``(family, port, addr_bytes)``
    records) as RFC 8305 says and return the first :class:`Socket` that
    connects; the others are closed.

    Attempts start in :func:`_interleave` order, each *delay* seconds after
    the previous one (None: only once the previous one failed), or at once
    when an attempt fails.  Connects are non-blocking; :func:`poll` reports
    their completion and ``SO_ERROR`` their outcome.  *timeout* (seconds or
    None) bounds the whole race: ``TimeoutError`` when it passes (for 0,
    ``BlockingIOError`` when no attempt connected at once) and becomes the
    winner's timeout.  If every attempt fails, :func:`_pick_error` chooses
    the error raised (with *all_errors*, an ``ExceptionGroup`` of every
    error is raised).  *source_address* ``(host, port)`` binds each socket
    first (attempts of a family the host has no address in fail with
    ``gaierror``).  *trace*, a list, receives ``(event, address, seconds
    since the start)`` tuples, event "start", "connected" or "failed" (for
    tests).
    """
    start = _time.monotonic()
    deadline = None if timeout is None else start + timeout
    pending = _interleave(addrs)
    pending.reverse()  # pop() from the end
    active = {}  # fd -> (Socket, record)
    errors = []
    sources = {}
    next_start = start

    def note(event, record):
        if trace is not None:
            trace.append((event, _sockaddr(record), _time.monotonic() - start))

    def failed(exc, record):
        note("failed", record)
        errors.append(exc)

    def begin(record):
        """Start one attempt: the connected Socket, None if it is under way
        (then in active) or failed."""
        note("start", record)
        sock = None
        try:
            sock = Socket(record[0], SOCK_STREAM)
            sock.settimeout(0.0)
            if source_address is not None:
                family = record[0]
                if family not in sources:
                    try:
                        sources[family] = _local_addresses(*source_address, family)[0]
                    except OSError as exc:
                        sources[family] = exc
                src = sources[family]
                if isinstance(src, BaseException):
                    raise src
                _stdsocket.socket.bind(sock, _sockaddr(src))
            try:
                sock._connect_addr(record)
            except BlockingIOError:
                active[sock.fileno()] = (sock, record)
                return None
            note("connected", record)
            return sock
        except OSError as exc:
            if sock is not None:
                sock.close()
            failed(exc, record)
            return None

    winner = None
    try:
        while winner is None:
            now = _time.monotonic()
            # Start attempts: the first at once, then one per delay, and
            # the next at once whenever none is under way.
            while pending and (not active or (delay is not None and now >= next_start)):
                under_way = len(active)
                winner = begin(pending.pop())
                if winner is not None:
                    break
                now = _time.monotonic()
                # The next attempt after the delay, or at once after a
                # failure.
                next_start = now + (delay or 0) if len(active) > under_way else now
            if winner is not None:
                break
            if not active:
                break  # every address failed
            if deadline is not None and now >= deadline:
                if timeout == 0:
                    raise BlockingIOError(_errno.EINPROGRESS, "Operation in progress")
                raise TimeoutError(_errno.ETIMEDOUT, "timed out")
            wait = next_start - now if pending and delay is not None else None
            if deadline is not None:
                wait = deadline - now if wait is None else min(wait, deadline - now)
            ready = poll([(fd, POLLOUT) for fd in active], None if wait is None else max(wait, 0.0))
            for fd, revents in ready:
                sock, record = active.pop(fd)
                err = sock.getsockopt(SOL_SOCKET, SO_ERROR)
                if err == 0 and revents & POLLOUT and not revents & (POLLERR | POLLHUP):
                    if winner is None:
                        note("connected", record)
                        winner = sock
                        continue
                elif err == 0:
                    err = _errno.ECONNRESET if revents & POLLHUP else _errno.EIO
                if err:
                    import os

                    failed(OSError(err, os.strerror(err)), record)
                sock.close()
                next_start = _time.monotonic()  # a failure starts the next now
        if winner is None:
            if not errors:
                raise OSError(_errno.EINVAL, "no address to connect to")
            if all_errors:
                raise ExceptionGroup("create_connection failed", errors)
            raise _pick_error(errors)
        winner.settimeout(timeout)
        return winner
    finally:
        for sock, _ in active.values():
            sock.close()
        errors = None  # break reference cycles through tracebacks


def create_connection(address, timeout=_GLOBAL_DEFAULT_TIMEOUT, source_address=None,
                      *, happy_eyeballs_delay=0.25, all_errors=False):
    """Connect a TCP socket to ``address`` (``(host, port)``) and return it.

    The addresses *host* resolves to, IPv6 and IPv4, are raced as RFC 8305
    ("Happy Eyeballs") says: ordered to alternate between the families,
    starting with the resolver's first; one attempt starts, and the next
    one after *happy_eyeballs_delay* seconds (default 0.25; None waits for
    each attempt to fail) or as soon as the previous one fails.  The first
    connection wins and the others are closed.  If all fail, the most
    telling error is raised (a refusal or timeout before a "network
    unreachable"), or with *all_errors* an ``ExceptionGroup`` of all.

    *timeout* (default: :func:`getdefaulttimeout`) bounds the whole
    connect — ``TimeoutError`` when it passes — and becomes the returned
    socket's timeout.  *source_address* ``(host, port)`` binds the socket
    before connecting.
    """
    host, port = _split_address(address, AF_INET)
    if timeout is _GLOBAL_DEFAULT_TIMEOUT:
        timeout = _default_timeout
    timeout = _check_timeout(timeout)
    if happy_eyeballs_delay is not None:
        happy_eyeballs_delay = _check_timeout(happy_eyeballs_delay)
    if source_address is not None:
        _split_address(source_address, AF_INET)
    addrs = getaddrinfo(host, port)
    if not addrs:  # the resolver returned no address without an error
        raise gaierror(_socket.EAI_NONAME, f"{host!r} has no address")
    return _connect_happy_eyeballs(addrs, timeout, happy_eyeballs_delay, source_address,
                                   all_errors=all_errors)


def create_server(address, *, family=AF_INET, backlog=None, reuse_port=False,
                  dualstack_ipv6=False):
    """A TCP socket bound to ``address`` (``(host, port)``, host ``''`` for
    every address) and listening, as ``socket.create_server``.

    ``SO_REUSEADDR`` is set, so a restarted server can take its port at
    once.  *backlog* defaults to 128, as :meth:`Socket.listen`.
    *dualstack_ipv6* (with *family* ``AF_INET6``) also accepts IPv4
    connections, whose peers then read ``('::ffff:192.0.2.1', port, 0, 0)``;
    otherwise an ``AF_INET6`` server is IPv6 only.  *reuse_port* is not
    supported by the wasisock ABI (``ValueError``).
    """
    if reuse_port:
        raise ValueError("SO_REUSEPORT not supported on this platform")
    if dualstack_ipv6:
        if family != AF_INET6:
            raise ValueError("dualstack_ipv6 requires AF_INET6 family")
    sock = Socket(family, SOCK_STREAM)
    try:
        sock.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
        if family == AF_INET6:
            sock.setsockopt(IPPROTO_IPV6, IPV6_V6ONLY, 0 if dualstack_ipv6 else 1)
        try:
            sock.bind(address)
        except OSError as exc:
            if exc.errno is None or isinstance(exc, gaierror):
                raise
            raise type(exc)(exc.errno, f"{exc.strerror} (while attempting to bind on "
                                       f"address {address!r})") from None
        sock.listen(backlog)
        return sock
    except BaseException:
        sock.close()
        raise


def tls_connect(host, port, *, context=None, timeout=None, server_hostname=None):
    """Connect to ``(host, port)`` (:func:`create_connection`), do the TLS
    handshake and return the ``ssl.SSLSocket`` (CPython's own).

    *context* defaults to ``ssl.create_default_context()`` (certificate and
    host name checked against the CA bundle the host provides, see
    docs/TLS.md); *server_hostname* (SNI and the name checked) defaults to
    *host*; *timeout* (seconds, None = block) applies to the connection and
    to every later operation.  Raises ``ssl.SSLCertVerificationError`` when
    the server's certificate does not check out, ``OSError`` subclasses for
    network errors.  ``ssl`` is imported on the first call, not with this
    package.
    """
    import ssl

    if context is None:
        context = ssl.create_default_context()
    sock = create_connection((host, port), timeout)
    try:
        return context.wrap_socket(
            sock, server_hostname=host if server_hostname is None else server_hostname)
    except BaseException:
        sock.close()
        raise
