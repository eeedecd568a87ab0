"""Implementation module for socket operations, over the wasisock imports.

python.wasm's replacement for CPython's C module ``_socket``, which on WASI
preview 1 cannot create sockets.  The standard library's ``socket.py`` does
``import _socket; from _socket import *; class socket(_socket.socket)``, so
with this module in its place ``socket``, ``http.client``, ``urllib``,
``socketserver``, ``http.server``, ``selectors`` and ``asyncio`` work
unmodified.  The build leaves the built-in ``_socket`` out of python.wasm
(``scripts/cpython-wasi.sh --disable _socket``) and installs this file beside
the standard library (``--stdlib-overlay python/stdlib``).

Every socket call is one call into the built-in ``_wasisocket`` module (one
host import); this module adds CPython's semantics around it: addresses as
``(host, port)`` tuples, timeouts (``timeout("timed out")``), name
resolution with ``getaddrinfo``'s filtering and errors (``gaierror``), the
numeric conversions (``inet_pton``, ``htons``, ...).

Differences from CPython on Linux (docs/PYTHON.md, "The standard library"):
families AF_INET and AF_INET6 only, types SOCK_STREAM and SOCK_DGRAM only;
no ``dup``/``fromfd``, ``sendmsg``/``recvmsg``, ``socketpair`` (socket.py's
loopback fallback is used) or ``if_nameindex``; ``gethostbyaddr`` and
``getnameinfo`` know no names but ``localhost`` (there is no reverse lookup in
the wasisock ABI); ``gethostname()`` is ``"localhost"``; service names come
from a built-in table.  The constants that cross to the host (``AF_*``,
``SOCK_*``, ``SOL_SOCKET``, ``SO_*``, ``MSG_*``, ``SHUT_*``) have wasi-libc's
values, the ABI's; the resolver's (``AI_*``, ``NI_*``, ``EAI_*``) stay on
the guest and have glibc's values.
"""

import errno as _errno
from math import isnan as _isnan
from operator import index as _index
from _warnings import warn as _warn  # built in; __del__ may run when
                                     # imports no longer work

# ---- Constants ---------------------------------------------------------------
# Those that cross to the host (AF_*, SOCK_*, SOL_SOCKET, SO_*, ...) are
# _wasisocket's, imported below; these stay on the guest.

IPPROTO_IP = 0
IPPROTO_ICMP = 1
IPPROTO_UDP = 17
IPPROTO_ICMPV6 = 58
IPPROTO_RAW = 255

#: listen()'s default backlog is min(SOMAXCONN, 128); the host clamps it to
#: its own SOMAXCONN.
SOMAXCONN = 4096

INADDR_ANY = 0
INADDR_BROADCAST = 0xFFFFFFFF
INADDR_NONE = 0xFFFFFFFF
INADDR_LOOPBACK = 0x7F000001
INADDR_UNSPEC_GROUP = 0xE0000000
INADDR_ALLHOSTS_GROUP = 0xE0000001
INADDR_MAX_LOCAL_GROUP = 0xE00000FF

# Resolver flags and errors: guest-side only, glibc's values.
AI_PASSIVE = 0x1
AI_CANONNAME = 0x2
AI_NUMERICHOST = 0x4
AI_V4MAPPED = 0x8
AI_ALL = 0x10
AI_ADDRCONFIG = 0x20
AI_NUMERICSERV = 0x400

NI_NUMERICHOST = 1
NI_NUMERICSERV = 2
NI_NOFQDN = 4
NI_NAMEREQD = 8
NI_DGRAM = 16
NI_MAXHOST = 1025
NI_MAXSERV = 32

EAI_BADFLAGS = -1
EAI_NONAME = -2
EAI_AGAIN = -3
EAI_FAIL = -4
EAI_NODATA = -5
EAI_FAMILY = -6
EAI_SOCKTYPE = -7
EAI_SERVICE = -8
EAI_ADDRFAMILY = -9
EAI_MEMORY = -10
EAI_SYSTEM = -11
EAI_OVERFLOW = -12

_EAI_MESSAGES = {
    EAI_BADFLAGS: "Bad value for ai_flags",
    EAI_NONAME: "Name or service not known",
    EAI_AGAIN: "Temporary failure in name resolution",
    EAI_FAIL: "Non-recoverable failure in name resolution",
    EAI_NODATA: "No address associated with hostname",
    EAI_FAMILY: "ai_family not supported",
    EAI_SOCKTYPE: "ai_socktype not supported",
    EAI_SERVICE: "Servname not supported for ai_socktype",
    EAI_ADDRFAMILY: "Address family for hostname not supported",
    EAI_MEMORY: "Memory allocation failure",
    EAI_SYSTEM: "System error",
    EAI_OVERFLOW: "Argument buffer overflow",
}

#: The host opens real IPv6 sockets (whether ::1 or a route exists is the
#: host's business).
has_ipv6 = True

# ---- Errors --------------------------------------------------------------------
# Defined before _wasisocket is imported, so that its initialisation finds
# gaierror and the EAI_* codes here, whichever of the two is imported first.

error = OSError
timeout = TimeoutError


class herror(OSError):
    """Host-address error (gethostbyaddr)."""


class gaierror(OSError):
    """Address-related error (getaddrinfo, getnameinfo): errno is an EAI_* code."""


herror.__module__ = gaierror.__module__ = "socket"


def _gai(code):
    return gaierror(code, _EAI_MESSAGES[code])


def _oserror(code, message=None):
    """OSError(code, message) as the errno's subclass."""
    return OSError(code, message or _strerror(code))


try:
    from posix import strerror as _strerror
except ImportError:  # pragma: no cover - every python.wasm has posix
    def _strerror(code):
        return f"error {code}"


# _wasisocket's initialisation imports this module (for gaierror and the
# EAI_* codes above).  If it is imported first, this import returns it half
# initialised: its functions and constants are there, its gaierror is not
# yet, so only those are taken from it here.
import _wasisocket  # noqa: E402
from _wasisocket import (  # noqa: E402  (the ABI's values)
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
)

# WASISOCK_FD_BASE (wasisock_abi.h): the guest POSIX layer's descriptor of a
# socket is this + its handle; this module's fileno() is the handle itself.
# (Until CPython's own socket module, on that layer, replaces this file.)
_FD_BASE = 0x40000000

_open = _wasisocket.sock_open
_resolve_raw = _wasisocket.sock_resolve
_connect = _wasisocket.sock_connect
_send = _wasisocket.sock_send
_recv = _wasisocket.sock_recv
_recv_into = _wasisocket.sock_recv_into
_close = _wasisocket.sock_close
_bind = _wasisocket.sock_bind
_listen = _wasisocket.sock_listen
_accept = _wasisocket.sock_accept
_send_to = _wasisocket.sock_send_to
_recv_from = _wasisocket.sock_recv_from
_recv_from_into = _wasisocket.sock_recv_from_into
_shutdown = _wasisocket.sock_shutdown
_getsockopt = _wasisocket.sock_getsockopt
_setsockopt = _wasisocket.sock_setsockopt
_local_addr = _wasisocket.sock_local_addr
_peer_addr = _wasisocket.sock_peer_addr
_set_timeout = _wasisocket.sock_set_timeout


def _sock_resolve(host, port):
    """_wasisocket.sock_resolve, its name errors raised as our gaierror
    (they already are when _wasisocket took gaierror from this module)."""
    try:
        return _resolve_raw(host, port)
    except gaierror:
        raise
    except OSError as exc:
        if type(exc).__name__ == "gaierror":
            raise gaierror(*exc.args) from None
        raise


# ---- Numeric addresses ---------------------------------------------------------

_DIGITS = frozenset("0123456789")
_HEX = frozenset("0123456789abcdefABCDEF")


def _pton4(text):
    """4 bytes for a dotted quad "a.b.c.d" (inet_pton's strict form), or None."""
    parts = text.split(".")
    if len(parts) != 4:
        return None
    out = bytearray(4)
    for i, p in enumerate(parts):
        if not p or len(p) > 3 or not _DIGITS.issuperset(p) or (p[0] == "0" and len(p) > 1):
            return None
        v = int(p)
        if v > 255:
            return None
        out[i] = v
    return bytes(out)


def _aton(text):
    """4 bytes for inet_aton's forms ("127.1", "0x7f.1", "017.0.0.1",
    "2130706433"), or None.  Unlike glibc's inet_aton, trailing text is an
    error (as in getaddrinfo)."""
    parts = text.split(".")
    if not 1 <= len(parts) <= 4:
        return None
    vals = []
    for p in parts:
        try:
            if p[:2] in ("0x", "0X"):
                if len(p) == 2 or not _HEX.issuperset(p[2:]):
                    return None
                v = int(p[2:], 16)
            elif p[:1] == "0" and len(p) > 1:
                v = int(p[1:], 8)
            elif p and _DIGITS.issuperset(p):
                v = int(p)
            else:
                return None
        except ValueError:
            return None
        vals.append(v)
    last = vals.pop()
    if any(v > 255 for v in vals) or last >= 1 << (8 * (4 - len(vals))):
        return None
    n = last
    for i, v in enumerate(vals):
        n |= v << (24 - 8 * i)
    return n.to_bytes(4, "big")


def _pton6(text):
    """16 bytes for an IPv6 address in any RFC 4291 text form, or None."""
    if not text or len(text) > 45:
        return None
    tail = b""
    if "." in text:  # a trailing dotted quad: "::ffff:1.2.3.4"
        head, sep, quad = text.rpartition(":")
        if not sep:
            return None
        tail = _pton4(quad)
        if tail is None:
            return None
        text = head + ":" if head.endswith(":") else head
        if not text:
            return None
        if text.endswith(":") and not text.endswith("::"):
            text = text[:-1]
    groups_max = 8 - len(tail) // 2
    if text.count("::") > 1:
        return None
    if "::" in text:
        left, right = text.split("::")
        lg = left.split(":") if left else []
        rg = right.split(":") if right else []
        if len(lg) + len(rg) >= groups_max:
            return None
        groups = lg + ["0"] * (groups_max - len(lg) - len(rg)) + rg
    else:
        groups = text.split(":")
        if len(groups) != groups_max:
            return None
    out = bytearray()
    for g in groups:
        if not 1 <= len(g) <= 4 or not _HEX.issuperset(g):
            return None
        out += int(g, 16).to_bytes(2, "big")
    return bytes(out) + tail


def _ntop6(raw):
    """RFC 5952 text of 16 bytes, as glibc's inet_ntop writes it."""
    words = [raw[i] << 8 | raw[i + 1] for i in range(0, 16, 2)]
    if words[:5] == [0] * 5 and words[5] in (0, 0xFFFF) and (words[5] or words[6]):
        # IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d) forms.
        prefix = "::ffff:" if words[5] else "::"
        return prefix + "%d.%d.%d.%d" % tuple(raw[12:])
    best, best_len, i = -1, 1, 0
    while i < 8:  # the longest run of two or more zero words, first wins
        if words[i] == 0:
            j = i
            while j < 8 and words[j] == 0:
                j += 1
            if j - i > best_len:
                best, best_len = i, j - i
            i = j
        else:
            i += 1
    if best < 0:
        return ":".join("%x" % w for w in words)
    left = ":".join("%x" % w for w in words[:best])
    right = ":".join("%x" % w for w in words[best + best_len:])
    return left + "::" + right


# Text of addresses seen (host records -> str), and records of numeric hosts
# ((family, text) -> bytes): recvfrom, accept and connect on the same few
# addresses then cost a dict lookup.  Bounded: cleared when full.
_text_cache = {}
_bytes_cache = {}
_CACHE_MAX = 512


def _addr_text(raw):
    try:
        return _text_cache[raw]
    except KeyError:
        pass
    if len(raw) == 4:
        text = "%d.%d.%d.%d" % tuple(raw)
    else:
        text = _ntop6(raw)
    if len(_text_cache) >= _CACHE_MAX:
        _text_cache.clear()
    _text_cache[raw] = text
    return text


def _sockaddr(rec):
    """A Python address from a (family, port, addr_bytes) record: (host,
    port) for AF_INET, (host, port, 0, 0) for AF_INET6, None for none."""
    if rec is None:
        return None
    family, port, raw = rec
    if family == AF_INET:
        return (_addr_text(raw), port)
    if family == AF_INET6:
        return (_addr_text(raw), port, 0, 0)
    return None


def _numeric(family, host):
    """addr_bytes of a numeric host (str) for family, or None."""
    key = (family, host)
    try:
        return _bytes_cache[key]
    except KeyError:
        pass
    raw = _pton4(host) if family == AF_INET else _pton6(host)
    if raw is not None:
        if len(_bytes_cache) >= _CACHE_MAX:
            _bytes_cache.clear()
        _bytes_cache[key] = raw
    return raw


def _host_text(host, what):
    if isinstance(host, str):
        return host
    if isinstance(host, (bytes, bytearray)):
        return bytes(host).decode("latin-1")
    raise TypeError(f"{what}str, bytes or bytearray expected, not {type(host).__name__}")


def _host_bytes(family, host):
    """addr_bytes for the host part of an address (CPython's setipaddr):
    '' is the any-address, '<broadcast>' 255.255.255.255, a numeric address
    is parsed, a name resolved (its first address of family)."""
    text = _host_text(host, "")
    raw = _numeric(family, text)
    if raw is not None:
        return raw
    if not text:
        return bytes(4 if family == AF_INET else 16)
    if text == "<broadcast>":
        if family != AF_INET:
            raise _oserror(_errno.EAFNOSUPPORT, "address family mismatched")
        return b"\xff\xff\xff\xff"
    if family == AF_INET:
        raw = _aton(text)  # "127.1" and the other inet_aton forms
        if raw is not None:
            return raw
        if _pton6(text.partition("%")[0]):
            raise _gai(EAI_ADDRFAMILY)  # a numeric address of the other family
    else:
        if _pton6(text.partition("%")[0]) is None and (_pton4(text) or _aton(text)):
            raise _gai(EAI_ADDRFAMILY)
    for fam, _port, raw in _sock_resolve(host, 0):
        if fam == family:
            return raw
    raise _gai(EAI_NONAME)


def _address(family, address, what):
    """(port, addr_bytes) from a connect/bind/sendto address."""
    if family == AF_INET:
        if not isinstance(address, tuple):
            raise TypeError(f"{what}(): AF_INET address must be tuple, not {type(address).__name__}")
        if len(address) != 2:
            raise TypeError("AF_INET address must be a pair (host, port)")
        host, port = address
    else:
        if not isinstance(address, tuple) or not 2 <= len(address) <= 4:
            raise TypeError("AF_INET6 address must be a tuple (host, port[, flowinfo[, scopeid]])")
        host, port = address[0], address[1]
        if len(address) > 2:
            flowinfo = _index(address[2])
            if not 0 <= flowinfo <= 0xFFFFF:
                raise OverflowError(f"{what}(): flowinfo must be 0-1048575.")
            # scope_id (and the flow label) cannot be carried by the wasisock
            # address record; they are ignored, as a loopback peer does.
    port = _index(port)
    if not 0 <= port <= 65535:
        raise OverflowError(f"{what}(): port must be 0-65535.")
    return port, _host_bytes(family, host)


# ---- Timeouts --------------------------------------------------------------------

_default_timeout = None


def _timeout_value(value):
    """None, or a float >= 0, from a timeout argument (CPython's checks)."""
    if value is None:
        return None
    if isinstance(value, float):
        if _isnan(value):
            raise ValueError("Invalid value NaN (not a number)")
    else:
        value = _index(value)
    if value < 0:
        raise ValueError("Timeout value out of range")
    return float(value)


def getdefaulttimeout():
    """getdefaulttimeout() -> timeout

    Returns the default timeout in seconds (float) for new socket objects.
    A value of None indicates that new socket objects have no timeout.
    When the socket module is first imported, the default is None."""
    return _default_timeout


def setdefaulttimeout(timeout):
    """setdefaulttimeout(timeout)

    Set the default timeout in seconds (float) for new socket objects.
    A value of None indicates that new socket objects have no timeout.
    When the socket module is first imported, the default is None."""
    global _default_timeout
    _default_timeout = _timeout_value(timeout)


def _timed_out():
    return TimeoutError("timed out")


# ---- The socket type ---------------------------------------------------------------


class socket:
    """socket(family=AF_INET, type=SOCK_STREAM, proto=0) -> socket object
    socket(family=-1, type=-1, proto=-1, fileno=None) -> socket object

    Open a socket of the given type.  The family argument specifies the
    address family; it defaults to AF_INET.  The type argument specifies
    whether this is a stream (SOCK_STREAM, this is the default)
    or datagram (SOCK_DGRAM) socket.  The protocol argument defaults to 0,
    specifying the default protocol.  Keyword arguments are accepted.
    The socket is created as non-inheritable.

    When a fileno is passed in, family, type and proto are auto-detected,
    unless they are explicitly set.

    A socket object represents one endpoint of a network connection, a
    socket of the wasisock host: fileno() is the host's handle, not a WASI
    file descriptor."""

    # No __dict__ and no __weakref__: socket.py's subclass adds __weakref__
    # in its own __slots__, as with CPython's C type.
    __slots__ = ("_fd", "_family", "_type", "_proto", "_timeout")

    def __init__(self, family=-1, type=-1, proto=-1, fileno=None):
        self._fd = -1
        if fileno is None:
            family = AF_INET if family == -1 else _index(family)
            type = SOCK_STREAM if type == -1 else _index(type)
            proto = 0 if proto == -1 else _index(proto)
            if family not in (AF_INET, AF_INET6):
                raise _oserror(_errno.EAFNOSUPPORT)
            if type not in (SOCK_STREAM, SOCK_DGRAM):
                raise _oserror(_errno.EPROTOTYPE if type > 0 else _errno.EINVAL)
            if proto not in (0, IPPROTO_TCP if type == SOCK_STREAM else IPPROTO_UDP):
                raise _oserror(_errno.EPROTONOSUPPORT)
            fd = _open(family, type)
        else:
            fd = _index(fileno)
            family, type, proto = _index(family), _index(type), _index(proto)
            if fd < 0:
                raise ValueError("negative file descriptor")
            if fd >= _FD_BASE:
                # A socket descriptor of the POSIX layer's numbering, as the
                # runners hand sockets over (LISTEN_FDS_START): its handle.
                fd -= _FD_BASE
            if family == -1:
                family = _local_addr(fd)[0]
            if type == -1:
                type = _getsockopt(fd, SOL_SOCKET, SO_TYPE)
            if proto == -1:
                proto = 0
        self._fd = fd
        self._family = family
        self._type = type
        self._proto = proto
        self._timeout = _default_timeout
        if _default_timeout is not None:
            _set_timeout(fd, _default_timeout)

    # -- attributes ----------------------------------------------------------

    @property
    def family(self):
        """the socket family"""
        return self._family

    @property
    def type(self):
        """the socket type"""
        return self._type

    @property
    def proto(self):
        """the socket protocol"""
        return self._proto

    @property
    def timeout(self):
        """the socket timeout"""
        return self._timeout

    def fileno(self):
        """fileno() -> integer

        Return the host's handle of the socket (-1 once closed)."""
        return self._fd

    def __repr__(self):
        return (
            f"<socket object, fd={self._fd}, family={self._family}, "
            f"type={self._type}, proto={self._proto}>"
        )

    def __getstate__(self):
        raise TypeError(f"cannot pickle {type(self).__name__!r} object")

    # -- timeouts ------------------------------------------------------------

    def settimeout(self, timeout):
        """settimeout(timeout)

        Set a timeout on socket operations.  'timeout' can be a float,
        giving in seconds, or None.  Setting a timeout of None disables
        the timeout feature and is equivalent to setblocking(1).
        Setting a timeout of zero is the same as setblocking(0)."""
        value = _timeout_value(timeout)
        _set_timeout(self._fd, value)
        self._timeout = value

    def gettimeout(self):
        """gettimeout() -> timeout

        Returns the timeout in seconds (float) associated with socket
        operations. A timeout of None indicates that timeouts on socket
        operations are disabled."""
        return self._timeout

    def setblocking(self, flag):
        """setblocking(flag)

        Set the socket to blocking (flag is true) or non-blocking (false).
        setblocking(True) is equivalent to settimeout(None);
        setblocking(False) is equivalent to settimeout(0.0)."""
        value = None if flag else 0.0
        _set_timeout(self._fd, value)
        self._timeout = value

    def getblocking(self):
        """getblocking()

        Returns True if socket is in blocking mode, or False if it
        is in non-blocking mode."""
        return self._timeout != 0.0

    # -- connections -----------------------------------------------------------

    def bind(self, address):
        """bind(address)

        Bind the socket to a local address, a pair (host, port) for
        AF_INET, (host, port[, flowinfo[, scope_id]]) for AF_INET6; host ''
        is the any-address."""
        port, raw = _address(self._family, address, "bind")
        _bind(self._fd, self._family, port, raw)

    def listen(self, backlog=min(SOMAXCONN, 128)):
        """listen([backlog])

        Enable a server to accept connections.  If backlog is specified, it
        must be at least 0 (if it is lower, it is set to 0); it specifies
        the number of unaccepted connections that the system will allow
        before refusing new connections. If not specified, a default
        reasonable value is chosen."""
        backlog = _index(backlog)
        _listen(self._fd, backlog if backlog > 0 else 0)

    def _accept(self):
        """_accept() -> (integer, address info)

        Wait for an incoming connection.  Return a new socket handle
        representing the connection, and the address of the client."""
        try:
            fd, rec = _accept(self._fd)
        except TimeoutError:
            if self._timeout:
                raise _timed_out() from None
            raise
        return fd, _sockaddr(rec)

    def connect(self, address):
        """connect(address)

        Connect the socket to a remote address.  For IP sockets, the address
        is a pair (host, port)."""
        port, raw = _address(self._family, address, "connect")
        try:
            _connect(self._fd, self._family, port, raw)
        except TimeoutError:
            if self._timeout:
                raise _timed_out() from None
            raise

    def connect_ex(self, address):
        """connect_ex(address) -> errno

        This is like connect(address), but returns an error code (the errno
        value) instead of raising an exception when an error occurs."""
        port, raw = _address(self._family, address, "connect_ex")
        try:
            _connect(self._fd, self._family, port, raw)
        except TimeoutError as exc:
            # CPython reports its own timeout as EWOULDBLOCK.
            return _errno.EWOULDBLOCK if self._timeout else exc.errno
        except OSError as exc:
            if exc.errno is None:
                raise
            return exc.errno
        return 0

    def getpeername(self):
        """getpeername() -> address info

        Return the address of the remote endpoint.  For IP sockets, the
        address info is a pair (hostaddr, port)."""
        return _sockaddr(_peer_addr(self._fd))

    def getsockname(self):
        """getsockname() -> address info

        Return the address of the local endpoint.  The format depends on the
        address family: (host, port) for AF_INET, (host, port, flowinfo,
        scope_id) for AF_INET6."""
        return _sockaddr(_local_addr(self._fd))

    def shutdown(self, how):
        """shutdown(flag)

        Shut down the reading side of the socket (flag == SHUT_RD), the
        writing side of the socket (flag == SHUT_WR), or both ends
        (flag == SHUT_RDWR)."""
        _shutdown(self._fd, _index(how))

    def close(self):
        """close()

        Close the socket.  It cannot be used after this call."""
        fd = self._fd
        if fd != -1:
            self._fd = -1
            try:
                _close(fd)
            except ConnectionResetError:
                pass  # as CPython: the peer's reset is not the closer's error

    def detach(self):
        """detach()

        Close the socket object without closing the underlying handle.
        The object cannot be used after this call, but the handle
        can be reused for other purposes.  The handle is returned."""
        fd = self._fd
        self._fd = -1
        return fd

    def __del__(self):
        try:
            fd = self._fd
        except AttributeError:  # __init__ failed before setting it
            return
        if fd != -1:
            try:
                _warn(f"unclosed {self!r}", ResourceWarning, stacklevel=2, source=self)
            except Exception:  # interpreter shutdown; the socket still closes
                pass
            self._fd = -1
            try:
                _close(fd)
            except OSError:
                pass

    # -- options ------------------------------------------------------------------

    def getsockopt(self, level, optname, buflen=None):
        """getsockopt(level, option[, buffersize]) -> value

        Get a socket option.  See the Unix manual for level and option.
        If a nonzero buffersize argument is given, the return value is a
        bytes object of that length (the option as a 32-bit integer in the
        host's byte order); otherwise it is an integer."""
        value = _getsockopt(self._fd, _index(level), _index(optname))
        if buflen is None:
            return value
        buflen = _index(buflen)
        if not 4 <= buflen <= 1024:
            raise _oserror(_errno.EINVAL, "getsockopt buflen out of range")
        return (value & 0xFFFFFFFF).to_bytes(4, "little")

    def setsockopt(self, level, optname, value, optlen=None):
        """setsockopt(level, option, value: int)
        setsockopt(level, option, value: buffer)

        Set a socket option.  See the Unix manual for level and option.
        The value argument can either be an integer or a 4-byte buffer (the
        option as a 32-bit integer in the host's byte order)."""
        if optlen is not None or value is None:
            raise _oserror(_errno.EINVAL, "setsockopt with a NULL value is not supported")
        if isinstance(value, int):
            v = value
        else:
            with memoryview(value) as view:
                if view.nbytes != 4:
                    raise _oserror(_errno.EINVAL)
                v = int.from_bytes(view.cast("B"), "little", signed=True)
        _setsockopt(self._fd, _index(level), _index(optname), v)

    # -- data --------------------------------------------------------------------

    def recv(self, bufsize, flags=0):
        """recv(buffersize[, flags]) -> data

        Receive up to buffersize bytes from the socket.  For the optional
        flags argument, see the Unix manual.  When no data is available,
        block until at least one byte is available or until the remote end
        is closed.  When the remote end is closed and all data is read,
        return the empty string."""
        try:
            if flags:
                return _recv(self._fd, bufsize, flags)
            return _recv(self._fd, bufsize)
        except TimeoutError:
            if self._timeout:
                raise _timed_out() from None
            raise

    def recv_into(self, buffer, nbytes=0, flags=0):
        """recv_into(buffer, [nbytes[, flags]]) -> nbytes_read

        A version of recv() that stores its data into a buffer rather than
        creating a new string.  Receive up to buffersize bytes from the
        socket.  If buffersize is not specified (or 0), receive up to the
        size available in the given buffer."""
        try:
            if flags:
                return _recv_into(self._fd, buffer, nbytes, flags)
            return _recv_into(self._fd, buffer, nbytes)
        except TimeoutError:
            if self._timeout:
                raise _timed_out() from None
            raise

    def recvfrom(self, bufsize, flags=0):
        """recvfrom(buffersize[, flags]) -> (data, address info)

        Like recv(buffersize, flags) but also return the sender's address
        info."""
        try:
            data, rec = _recv_from(self._fd, bufsize, flags)
        except TimeoutError:
            if self._timeout:
                raise _timed_out() from None
            raise
        return data, _sockaddr(rec)

    def recvfrom_into(self, buffer, nbytes=0, flags=0):
        """recvfrom_into(buffer[, nbytes[, flags]]) -> (nbytes, address info)

        Like recv_into(buffer[, nbytes[, flags]]) but also return the
        sender's address info."""
        try:
            n, rec = _recv_from_into(self._fd, buffer, nbytes, flags)
        except TimeoutError:
            if self._timeout:
                raise _timed_out() from None
            raise
        return n, _sockaddr(rec)

    def send(self, data, flags=0):
        """send(data[, flags]) -> count

        Send a data string to the socket.  For the optional flags
        argument, see the Unix manual.  Return the number of bytes
        sent; this may be less than len(data) if the network is busy."""
        if flags:
            raise _oserror(_errno.EOPNOTSUPP, "send flags are not supported")
        try:
            return _send(self._fd, data)
        except TimeoutError:
            if self._timeout:
                raise _timed_out() from None
            raise

    def sendall(self, data, flags=0):
        """sendall(data[, flags])

        Send a data string to the socket.  For the optional flags
        argument, see the Unix manual.  This calls send() repeatedly
        until all data is sent.  If an error occurs, it's impossible
        to tell how much data has been sent.  A timeout applies to the
        whole call, as in CPython."""
        if flags:
            raise _oserror(_errno.EOPNOTSUPP, "send flags are not supported")
        fd = self._fd
        try:
            n = _send(fd, data)
        except TimeoutError:
            if self._timeout:
                raise _timed_out() from None
            raise
        if type(data) is bytes:
            if n == len(data):
                return None
        elif n == memoryview(data).nbytes:
            return None
        self._send_rest(fd, data, n)
        return None

    def _send_rest(self, fd, data, sent):
        """sendall after a partial first send: loop over the rest; with a
        timeout, each send waits at most what is left of it."""
        timeout = self._timeout
        deadline = None
        if timeout:
            from time import monotonic

            deadline = monotonic() + timeout
        with memoryview(data) as view, view.cast("B") as buf:
            total = len(buf)
            try:
                while sent < total:
                    if deadline is not None:
                        left = deadline - monotonic()
                        if left <= 0:
                            raise _timed_out()
                        _set_timeout(fd, left)
                    try:
                        n = _send(fd, buf[sent:])
                    except TimeoutError:
                        if timeout:
                            raise _timed_out() from None
                        raise
                    if n <= 0:  # the host contract rules this out; never spin
                        raise _oserror(_errno.EIO, "send made no progress")
                    sent += n
            finally:
                if deadline is not None and self._fd == fd:
                    _set_timeout(fd, timeout)

    def sendto(self, data, flags_or_address, address=None):
        """sendto(data[, flags], address) -> count

        Like send(data, flags) but allows specifying the destination
        address.  For IP sockets, the address is a pair (hostaddr, port)."""
        if address is None:
            flags, address = 0, flags_or_address
        else:
            flags = _index(flags_or_address)
        port, raw = _address(self._family, address, "sendto")
        try:
            return _send_to(self._fd, data, self._family, port, raw, flags)
        except TimeoutError:
            if self._timeout:
                raise _timed_out() from None
            raise


SocketType = socket


def close(fd):
    """close(integer) -> None

    Close an integer socket handle.  This is like os.close(), but for
    sockets."""
    try:
        _close(_index(fd))
    except ConnectionResetError:
        pass


def dup(fd):
    """dup(integer) -> integer

    Not available: the wasisock ABI has no call that duplicates a socket
    handle.  Raises OSError(ENOTSUP)."""
    raise _oserror(_errno.ENOTSUP, "wasisock socket handles cannot be duplicated")


# ---- Byte order ------------------------------------------------------------------------


def htons(x):
    """htons(integer) -> integer

    Convert a 16-bit unsigned integer from host to network byte order."""
    x = _index(x)
    if x < 0:
        raise OverflowError("htons: can't convert negative Python int to C 16-bit unsigned integer")
    if x > 0xFFFF:
        raise OverflowError("htons: Python int too large to convert to C 16-bit unsigned integer")
    return (x >> 8) | ((x & 0xFF) << 8)


def htonl(x):
    """htonl(integer) -> integer

    Convert a 32-bit integer from host to network byte order."""
    if not isinstance(x, int):
        raise TypeError(f"expected int, {type(x).__name__} found")
    if x < 0:
        raise OverflowError("can't convert negative value to unsigned int")
    if x > 0xFFFFFFFF:
        raise OverflowError("int larger than 32 bits")
    return int.from_bytes(x.to_bytes(4, "little"), "big")


def ntohs(x):
    """ntohs(integer) -> integer

    Convert a 16-bit unsigned integer from network to host byte order."""
    x = _index(x)
    if x < 0:
        raise OverflowError("ntohs: can't convert negative Python int to C 16-bit unsigned integer")
    if x > 0xFFFF:
        raise OverflowError("ntohs: Python int too large to convert to C 16-bit unsigned integer")
    return (x >> 8) | ((x & 0xFF) << 8)


def ntohl(x):
    """ntohl(integer) -> integer

    Convert a 32-bit integer from network to host byte order."""
    return htonl(x)


# ---- Address text --------------------------------------------------------------------------


def inet_aton(string):
    """inet_aton(string) -> bytes giving packed 32-bit IP representation

    Convert an IP address in string format (123.45.67.89) to the 32-bit
    packed binary format used in low-level network functions."""
    if not isinstance(string, str):
        raise TypeError(f"inet_aton() argument 1 must be str, not {type(string).__name__}")
    # glibc's inet_aton stops at the first whitespace and ignores the rest.
    head = string.split(None, 1)[0] if string and not string[0].isspace() else string
    raw = _aton(head) if head else None
    if raw is None:
        raise OSError("illegal IP address string passed to inet_aton")
    return raw


def inet_ntoa(packed_ip):
    """inet_ntoa(packed_ip) -> ip_address_string

    Convert an IP address from 32-bit packed binary format to string
    format."""
    with memoryview(packed_ip) as view:
        if view.nbytes != 4:
            raise OSError("packed IP wrong length for inet_ntoa")
        return "%d.%d.%d.%d" % tuple(view.cast("B"))


def inet_pton(address_family, ip_string):
    """inet_pton(af, ip) -> packed IP address string

    Convert an IP address from string format to a packed string suitable
    for use with low-level network functions."""
    af = _index(address_family)
    if not isinstance(ip_string, str):
        raise TypeError(f"inet_pton() argument 2 must be str, not {type(ip_string).__name__}")
    if af == AF_INET:
        raw = _pton4(ip_string)
    elif af == AF_INET6:
        raw = _pton6(ip_string)
    else:
        raise _oserror(_errno.EAFNOSUPPORT)
    if raw is None:
        raise OSError("illegal IP address string passed to inet_pton")
    return raw


def inet_ntop(address_family, packed_ip):
    """inet_ntop(af, packed_ip) -> string formatted IP address

    Convert a packed IP address of the given family to string format."""
    af = _index(address_family)
    with memoryview(packed_ip) as view:
        raw = bytes(view.cast("B"))
    if af == AF_INET:
        if len(raw) != 4:
            raise ValueError("invalid length of packed IP address string")
        return "%d.%d.%d.%d" % tuple(raw)
    if af == AF_INET6:
        if len(raw) != 16:
            raise ValueError("invalid length of packed IP address string")
        return _ntop6(raw)
    raise ValueError(f"unknown address family {af}")


# ---- Services and protocols ------------------------------------------------------------------
# The guest cannot read the host's /etc/services, so common entries are
# built in (Debian's netbase): "name port protocols aliases...".

_SERVICES_TEXT = """\
echo 7 tu
discard 9 tu sink null
daytime 13 tu
ftp-data 20 t
ftp 21 t
ssh 22 t
telnet 23 t
smtp 25 t mail
time 37 tu timserver
domain 53 tu
bootps 67 u
bootpc 68 u
tftp 69 u
gopher 70 t
finger 79 t
http 80 t www
kerberos 88 tu kerberos5 krb5 kerberos-sec
pop3 110 t pop-3
sunrpc 111 tu portmapper
auth 113 t authentication tap ident
nntp 119 t readnews untp
ntp 123 u
netbios-ns 137 u
netbios-ssn 139 t
imap2 143 t imap
snmp 161 tu
ldap 389 tu
https 443 tu
microsoft-ds 445 t
submissions 465 t ssmtp smtps urd
syslog 514 u
submission 587 t
ipp 631 t
ldaps 636 tu
rsync 873 t
imaps 993 t
pop3s 995 t
socks 1080 t
openvpn 1194 tu
mysql 3306 t
sip 5060 tu
mdns 5353 u
postgresql 5432 t postgres
amqp 5672 t
x11 6000 t x11-0
redis 6379 t
http-alt 8080 t webcache
"""

_services = None  # {(name, "tcp"/"udp"): port} and {(port, proto): name}


def _service_tables():
    global _services
    if _services is None:
        by_name, by_port = {}, {}
        for line in _SERVICES_TEXT.splitlines():
            name, port, protos, *aliases = line.split()
            for p in protos:
                proto = "tcp" if p == "t" else "udp"
                by_port.setdefault((int(port), proto), name)
                for n in (name, *aliases):
                    by_name[(n, proto)] = int(port)
        _services = (by_name, by_port)
    return _services


def getservbyname(servicename, protocolname=None):
    """getservbyname(servicename[, protocolname]) -> integer

    Return a port number from a service name and protocol name.
    The optional protocol name, if given, should be 'tcp' or 'udp',
    otherwise any protocol will match."""
    by_name = _service_tables()[0]
    for proto in (protocolname,) if protocolname else ("tcp", "udp"):
        port = by_name.get((servicename, proto))
        if port is not None:
            return port
    raise OSError("service/proto not found")


def getservbyport(port, protocolname=None):
    """getservbyport(port[, protocolname]) -> string

    Return the service name from a port number and protocol name.
    The optional protocol name, if given, should be 'tcp' or 'udp',
    otherwise any protocol will match."""
    port = _index(port)
    if not 0 <= port <= 65535:
        raise OverflowError("getservbyport: port must be 0-65535.")
    by_port = _service_tables()[1]
    for proto in (protocolname,) if protocolname else ("tcp", "udp"):
        name = by_port.get((port, proto))
        if name is not None:
            return name
    raise OSError("port/proto not found")


_PROTOCOLS = {"ip": 0, "icmp": 1, "tcp": 6, "udp": 17, "ipv6": 41, "ipv6-icmp": 58, "raw": 255}


def getprotobyname(name):
    """getprotobyname(name) -> integer

    Return the protocol number for the named protocol.  (Rarely used.)"""
    try:
        return _PROTOCOLS[name.lower()]
    except KeyError:
        raise OSError("protocol not found") from None


# ---- Name resolution ----------------------------------------------------------------------------

_SOCKTYPES = ((SOCK_STREAM, IPPROTO_TCP, "tcp"), (SOCK_DGRAM, IPPROTO_UDP, "udp"))


def _port_of(port, flags, want):
    """[(socktype, proto, port)] the service allows among want."""
    if port is None:
        return [(t, p, 0) for t, p, _ in want]
    if isinstance(port, int):
        text = str(port)
    elif isinstance(port, (str, bytes)):
        text = port.decode("latin-1") if isinstance(port, bytes) else port
    else:
        raise OSError("Int or String expected")
    if text.isascii() and text and (text.isdigit() or (text[0] == "-" and text[1:].isdigit())):
        n = int(text)
        if n < 0:
            raise _gai(EAI_SERVICE)
        return [(t, p, n & 0xFFFF) for t, p, _ in want]  # glibc wraps, too
    if flags & AI_NUMERICSERV:
        raise _gai(EAI_NONAME)
    by_name = _service_tables()[0]
    found = [(t, p, by_name[(text, name)]) for t, p, name in want if (text, name) in by_name]
    if not found:
        raise _gai(EAI_SERVICE)
    return found


def _host_records(host, family, flags):
    """[(family, addr_bytes)] for getaddrinfo's host argument."""
    if host is None:
        if flags & AI_PASSIVE:
            recs = [(AF_INET, bytes(4)), (AF_INET6, bytes(16))]
        else:  # glibc's order for the loopback: IPv6 first
            recs = [(AF_INET6, bytes(15) + b"\x01"), (AF_INET, b"\x7f\x00\x00\x01")]
        return [r for r in recs if family in (AF_UNSPEC, r[0])]
    if isinstance(host, str):
        text = host
    elif isinstance(host, (bytes, bytearray)):
        text = bytes(host).decode("latin-1")
    else:
        raise TypeError(f"getaddrinfo() argument 1 must be string or None, not {type(host).__name__}")
    raw4 = _pton4(text) or _aton(text) if text else None
    raw6 = None if raw4 or not text else _pton6(text.partition("%")[0])
    if raw4 or raw6:
        fam = AF_INET if raw4 else AF_INET6
        if family not in (AF_UNSPEC, fam):
            raise _gai(EAI_ADDRFAMILY)
        return [(fam, raw4 or raw6)]
    if flags & AI_NUMERICHOST or not text:
        raise _gai(EAI_NONAME)
    recs = [(fam, raw) for fam, _port, raw in _sock_resolve(host, 0) if family in (AF_UNSPEC, fam)]
    if not recs:
        raise _gai(EAI_NONAME)
    return recs


def getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
    """getaddrinfo(host, port [, family, type, proto, flags])
        -> list of (family, type, proto, canonname, sockaddr)

    Resolve host and port into addrinfo struct.  Names are resolved by the
    wasisock host (IPv4 and IPv6, in its resolver's order); numeric
    addresses and None (the any-address with AI_PASSIVE, else the loopback)
    are answered here."""
    family, type, proto, flags = _index(family), _index(type), _index(proto), _index(flags)
    if host is None and port is None:
        raise _gai(EAI_NONAME)
    if family not in (AF_UNSPEC, AF_INET, AF_INET6):
        raise _gai(EAI_FAMILY)
    if type == 0:
        want = [s for s in _SOCKTYPES if proto in (0, s[1])]
        if not want:
            raise _gai(EAI_SERVICE)
    else:
        want = [s for s in _SOCKTYPES if s[0] == type]
        if not want:
            raise _gai(EAI_SOCKTYPE)
        if proto not in (0, want[0][1]):
            raise _gai(EAI_SOCKTYPE)
    services = _port_of(port, flags, want)
    records = _host_records(host, family, flags)
    canon = ""
    if flags & AI_CANONNAME:
        canon = host if isinstance(host, str) else bytes(host).decode("latin-1")
    out = []
    for fam, raw in records:
        text = _addr_text(raw)
        for socktype, prot, portnum in services:
            sa = (text, portnum) if fam == AF_INET else (text, portnum, 0, 0)
            out.append((fam, socktype, prot, canon, sa))
            canon = ""
    return out


def gethostbyname(hostname):
    """gethostbyname(host) -> address

    Return the IP address (a string of the form '255.255.255.255') for a
    host."""
    return _addr_text(_host_bytes(AF_INET, hostname))


def gethostbyname_ex(hostname):
    """gethostbyname_ex(host) -> (name, aliaslist, addresslist)

    Return the true host name, a list of aliases, and a list of IP
    addresses, for a host.  The host argument is a string giving a host
    name or IP number.  There are no aliases: the wasisock resolver gives
    addresses only."""
    text = _host_text(hostname, "")
    raw = _numeric(AF_INET, text)
    if raw is not None:
        return (text, [], [text])
    if not text:
        raise herror(3, "Unknown server error")
    addrs = []
    for fam, _port, raw in _sock_resolve(hostname, 0):
        if fam == AF_INET and _addr_text(raw) not in addrs:
            addrs.append(_addr_text(raw))
    if not addrs:
        if _pton6(text.partition("%")[0]):
            raise _gai(EAI_ADDRFAMILY)
        raise _gai(EAI_NONAME)
    return (text, [], addrs)


_LOOPBACKS = {b"\x7f\x00\x00\x01", bytes(15) + b"\x01"}


def gethostbyaddr(ip_address):
    """gethostbyaddr(host) -> (name, aliaslist, addresslist)

    Return the true host name, a list of aliases, and a list of IP
    addresses, for a host.  The wasisock ABI has no reverse lookup: the
    loopback addresses are "localhost", a name is returned as it is, any
    other address raises herror."""
    text = _host_text(ip_address, "")
    raw = _numeric(AF_INET, text) or _numeric(AF_INET6, text)
    if raw is None:
        if not text:
            raise OSError("wildcard resolved to multiple address")
        recs = _sock_resolve(ip_address, 0)
        addrs = [_addr_text(r[2]) for r in recs if r[0] == AF_INET] or [_addr_text(r[2]) for r in recs]
        return (text, [], addrs[:1])
    if raw in _LOOPBACKS:
        return ("localhost", [], [_addr_text(raw)])
    raise herror(1, "Unknown host")


def getnameinfo(sockaddr, flags):
    """getnameinfo(sockaddr, flags) --> (host, port)

    Get host and port for a sockaddr.  Hosts are numeric (the wasisock ABI
    has no reverse lookup) except the loopback, "localhost"; ports are named
    from the built-in services table unless NI_NUMERICSERV."""
    flags = _index(flags)
    if not isinstance(sockaddr, tuple):
        raise TypeError("getnameinfo() argument 1 must be a tuple")
    if not 2 <= len(sockaddr) <= 4:
        raise TypeError("getnameinfo(): illegal sockaddr argument")
    host, port = sockaddr[0], _index(sockaddr[1])
    if not isinstance(host, str):
        raise TypeError(f"getnameinfo(): illegal sockaddr argument")
    if not 0 <= port <= 65535:
        raise OverflowError("getnameinfo(): port must be 0-65535.")
    raw4, raw6 = _pton4(host) or _aton(host), _pton6(host.partition("%")[0])
    raw = raw4 or raw6
    if raw is None:
        raise _gai(EAI_NONAME)
    if len(sockaddr) > 2 and raw4:
        raise OSError("IPv4 sockaddr must be 2 tuple")
    if flags & NI_NUMERICHOST:
        name = _addr_text(raw)
    elif raw in _LOOPBACKS:
        name = "localhost"
    elif flags & NI_NAMEREQD:
        raise _gai(EAI_NONAME)
    else:
        name = _addr_text(raw)
    serv = str(port)
    if not flags & NI_NUMERICSERV:
        serv = _service_tables()[1].get((port, "udp" if flags & NI_DGRAM else "tcp"), serv)
    return (name, serv)


def gethostname():
    """gethostname() -> string

    Return the current host's name: always "localhost" (WASI has no host
    name, and the wasisock ABI does not tell it)."""
    return "localhost"


__all__ = sorted(
    name
    for name, value in list(globals().items())
    if not name.startswith("_") and name not in ("annotations",)
)
