"""TLS over wasisock sockets: ``ssl.SSLSocket`` driven through MemoryBIOs.

CPython's ``_ssl`` normally hands OpenSSL the socket's file descriptor and
lets OpenSSL read and write it.  In python.wasm a socket is a handle of the
wasisock host, not a WASI file descriptor, so OpenSSL cannot touch it.  This
module's :class:`SSLSocket` keeps everything of ``ssl.SSLSocket`` (it is a
subclass: ``isinstance(s, ssl.SSLSocket)`` holds, ``makefile``, ``sendall``,
``recv_into``, ``unwrap``, ``getpeercert``, ``cipher``, ``version``,
``selected_alpn_protocol``, ``pending`` ... behave as documented for the
ssl module) and only replaces the object that does the I/O: an
``SSLObject``-style engine on two ``ssl.MemoryBIO`` buffers, whose encrypted
bytes this module moves through the socket's own ``send``/``recv`` (the
wasisock host calls).  Blocking sockets, sockets with a timeout (one
deadline per TLS operation, as in CPython: ``TimeoutError("The read
operation timed out")``) and non-blocking sockets (``SSLWantReadError`` /
``SSLWantWriteError``) work, on the client and the server side.

In python.wasm this class is installed as ``ssl.SSLContext.sslsocket_class``
the moment a program imports ``ssl`` (python.wasm's ``sitecustomize``; see
docs/TLS.md), so ``SSLContext.wrap_socket``, ``http.client.HTTPSConnection``,
``urllib.request.urlopen("https://...")``, ``ftplib``, ``smtplib`` ... work
unmodified.  ``asyncio`` needs nothing from here: its TLS runs on MemoryBIOs
already.  :func:`install` does the same by hand (e.g. under ``python -S``).

    import wasisocket
    with wasisocket.tls_connect("example.org", 443) as s:
        s.sendall(b"GET / HTTP/1.0\\r\\nHost: example.org\\r\\n\\r\\n")
        print(s.version(), s.recv(4096))

Differences from CPython's own SSLSocket: encrypted bytes that already
arrived from the network wait in the incoming BIO, not in the kernel, so a
non-blocking program should call ``recv`` until ``SSLWantReadError`` before
it waits in ``select``/``selectors`` (as it must for ``pending()`` bytes
anyway); after ``unwrap()``, clear-text bytes the peer sent right behind its
close_notify are not returned by the plain socket.
"""

import _socket as _csocket
import socket as _socket
import ssl as _ssl
import weakref as _weakref
from _thread import allocate_lock as _allocate_lock
from errno import ENOTCONN as _ENOTCONN, EINVAL as _EINVAL
from time import monotonic as _monotonic

__all__ = ["SSLSocket", "install", "installed", "needed", "tls_connect"]

#: Encrypted bytes asked from the host per receive: big enough for several
#: 16 KiB TLS records, so a bulk transfer costs few host calls.
RECV_SIZE = 256 * 1024
#: Plain bytes encrypted per ``SSLObject.write`` while sending a large
#: buffer: bounds the memory one call holds (plain + encrypted copies).
WRITE_CHUNK = 256 * 1024

# The plain socket's I/O, which SSLSocket overrides with its TLS versions.
_raw_recv = _csocket.socket.recv
_raw_send = _csocket.socket.send
_raw_sendall = _csocket.socket.sendall
_raw_settimeout = _csocket.socket.settimeout

_SSLWantReadError = _ssl.SSLWantReadError
_SSLWantWriteError = _ssl.SSLWantWriteError


def _want_write():
    return _SSLWantWriteError(
        _ssl.SSL_ERROR_WANT_WRITE, "The operation did not complete (write)"
    )


class _Deadline:
    """The time budget of one TLS operation on a socket with a timeout.

    A blocking socket (timeout None) or a non-blocking one (0.0) has no
    deadline.  With a timeout, every host call of the operation waits at
    most what is left of it, and the socket's own timeout is put back when
    the operation ends."""

    __slots__ = ("sock", "timeout", "end", "changed", "what")

    def __init__(self, sock, what):
        self.sock = sock
        self.timeout = sock.gettimeout()
        self.what = what
        self.changed = False
        self.end = _monotonic() + self.timeout if self.timeout else None

    def arm(self):
        """Before a host call: give it what is left of the budget."""
        if self.end is None:
            return
        left = self.end - _monotonic()
        if left <= 0:
            raise self.timed_out()
        _raw_settimeout(self.sock, left)
        self.changed = True

    def timed_out(self):
        return TimeoutError(f"The {self.what} operation timed out")

    def restore(self):
        if self.changed and self.sock.fileno() >= 0:
            _raw_settimeout(self.sock, self.timeout)


class _Channel:
    """The ``_sslobj`` of an :class:`SSLSocket`: an ``_ssl`` TLS object on
    two MemoryBIOs plus the loop that moves their bytes over the socket.

    It offers what ``ssl.SSLSocket`` calls on ``_sslobj`` (``read``,
    ``write``, ``do_handshake``, ``shutdown``, ``pending``, ``cipher`` ...);
    everything but the four I/O methods goes straight to the TLS object."""

    __slots__ = ("_obj", "_in", "_out", "_sock", "_unsent", "_lock", "_send_lock",
                 "__weakref__")

    def __init__(self, sock, server_side, server_hostname, session):
        self._in = _ssl.MemoryBIO()
        self._out = _ssl.MemoryBIO()
        # The owner is what callbacks (sni_callback, msg_callback) see, as
        # with CPython's own SSLSocket; _ssl keeps it as a weak reference.
        self._obj = sock._context._wrap_bio(
            self._in, self._out, server_side, server_hostname,
            owner=sock, session=session,
        )
        self._sock = _weakref.ref(sock)  # sock._sslobj is us: no cycle
        self._unsent = b""  # encrypted bytes a non-blocking send left over
        self._lock = _allocate_lock()
        self._send_lock = _allocate_lock()

    # -- what the TLS object answers itself --------------------------------

    def __getattr__(self, name):
        if name == "_obj":  # not set yet (or copy/pickle probing)
            raise AttributeError(name)
        return getattr(self._obj, name)

    @property
    def context(self):
        return self._obj.context

    @context.setter
    def context(self, ctx):
        self._obj.context = ctx

    @property
    def session(self):
        return self._obj.session

    @session.setter
    def session(self, session):
        self._obj.session = session

    def pending(self):
        return self._obj.pending()

    # -- moving bytes --------------------------------------------------------
    # Threads: python.wasm has none, but natively one thread may read while
    # another writes, as with CPython's own SSLSocket.  The TLS object and
    # its BIOs are used under _lock only (OpenSSL runs without the GIL);
    # whoever takes encrypted bytes out of the outgoing BIO takes _send_lock
    # before letting go of _lock, so bytes reach the wire in the order the
    # TLS object produced them.  Neither lock is held while waiting to
    # receive.

    def _send(self, sock, deadline):
        """With _lock held: send what the TLS object wrote, then release
        _lock.  True when all of it went out; False when a non-blocking
        socket took only part (the rest waits in _unsent)."""
        try:
            data = self._out.read() if self._out.pending else b""
            if not data and not self._unsent:
                return True
            self._send_lock.acquire()
        finally:
            self._lock.release()
        try:
            if self._unsent:
                data = self._unsent + data
                self._unsent = b""
            if deadline.timeout == 0.0:
                sent, total = 0, len(data)
                with memoryview(data) as view:
                    try:
                        while sent < total:
                            sent += _raw_send(sock, view[sent:])
                    except BlockingIOError:
                        self._unsent = bytes(view[sent:])
                        return False
                return True
            deadline.arm()
            try:
                _raw_sendall(sock, data)
            except TimeoutError:
                raise deadline.timed_out() from None
            return True
        finally:
            self._send_lock.release()

    def _receive(self, sock, deadline):
        """Receive encrypted bytes into the incoming BIO (end of stream:
        its EOF).  False when a non-blocking socket has nothing."""
        deadline.arm()
        try:
            data = _raw_recv(sock, RECV_SIZE)
        except BlockingIOError:
            return False
        except TimeoutError:
            raise deadline.timed_out() from None
        with self._lock:
            if data:
                self._in.write(data)
            else:
                self._in.write_eof()
        return True

    def _run(self, deadline, op, *args):
        """op(*args) on the TLS object, feeding it from the socket while it
        wants to read and sending what it writes."""
        sock = deadline.sock
        while True:
            self._lock.acquire()
            try:
                result = op(*args)
            except _SSLWantReadError:
                sent_all = self._send(sock, deadline)
                if self._in.eof:
                    raise  # cannot happen: OpenSSL reports EOF, not a want
                if not self._receive(sock, deadline):
                    if not sent_all:
                        raise _want_write() from None
                    raise
                continue
            except _ssl.SSLError:
                # An alert for the peer (bad certificate, ...): try to
                # deliver it, then report the error itself.
                try:
                    self._send(sock, deadline)
                except OSError:
                    pass
                raise
            except BaseException:
                self._lock.release()
                raise
            self._send(sock, deadline)
            return result

    def _operation(self, what, op, *args):
        sock = self._sock()
        if sock is None:
            raise ValueError("the SSL socket is gone")
        deadline = _Deadline(sock, what)
        try:
            return self._run(deadline, op, *args)
        finally:
            deadline.restore()

    # -- the I/O methods ssl.SSLSocket calls -----------------------------------

    def do_handshake(self):
        return self._operation("handshake", self._obj.do_handshake)

    def read(self, len=1024, buffer=None):
        if buffer is None:
            return self._operation("read", self._obj.read, len)
        return self._operation("read", self._obj.read, len, buffer)

    def write(self, data):
        sock = self._sock()
        if sock is None:
            raise ValueError("the SSL socket is gone")
        deadline = _Deadline(sock, "write")
        try:
            # Bytes of an earlier non-blocking write still waiting: nothing
            # new is taken until they are out.
            if self._unsent:
                self._lock.acquire()
                if not self._send(sock, deadline):
                    raise _want_write()
            with memoryview(data) as view, view.cast("B") as buf:
                total = len(buf)
                if total <= WRITE_CHUNK:
                    return self._run(deadline, self._obj.write, buf)
                done = 0
                while done < total:
                    done += self._run(deadline, self._obj.write, buf[done:done + WRITE_CHUNK])
                    if self._unsent:
                        break  # non-blocking and the socket is full
                return done
        finally:
            deadline.restore()

    def shutdown(self):
        """Send close_notify and wait for the peer's; return the socket."""
        self._operation("shutdown", self._obj.shutdown)
        return self._sock()


class SSLSocket(_ssl.SSLSocket):
    """``ssl.SSLSocket`` whose TLS runs on MemoryBIOs over the socket's
    own send/recv, for sockets that OpenSSL cannot read itself (python.wasm:
    wasisock handles).  Made by ``SSLContext.wrap_socket`` once
    :func:`install` ran (python.wasm does that when ``ssl`` is imported),
    or by :func:`tls_connect`."""

    @classmethod
    def _create(cls, sock, server_side=False, do_handshake_on_connect=True,
                suppress_ragged_eofs=True, server_hostname=None,
                context=None, session=None):
        # As ssl.SSLSocket._create of CPython 3.13, but the TLS object is a
        # _Channel on MemoryBIOs instead of context._wrap_socket(self).
        if sock.type != _socket.SOCK_STREAM:
            raise NotImplementedError("only stream sockets are supported")
        if server_side:
            if server_hostname:
                raise ValueError("server_hostname can only be specified in client mode")
            if session is not None:
                raise ValueError("session can only be specified in client mode")
        if context.check_hostname and not server_hostname:
            raise ValueError("check_hostname requires server_hostname")

        sock_timeout = sock.gettimeout()
        kwargs = dict(family=sock.family, type=sock.type, proto=sock.proto,
                      fileno=sock.fileno())
        self = cls.__new__(cls, **kwargs)
        super(_ssl.SSLSocket, self).__init__(**kwargs)
        sock.detach()
        # Now this SSLSocket is responsible for closing the handle.
        try:
            self._context = context
            self._session = session
            self._closed = False
            self._sslobj = None
            self.server_side = server_side
            self.server_hostname = context._encode_hostname(server_hostname)
            self.do_handshake_on_connect = do_handshake_on_connect
            self.suppress_ragged_eofs = suppress_ragged_eofs
            try:
                self.getpeername()
            except OSError as e:
                if e.errno != _ENOTCONN:
                    raise
                connected = False
                self._refuse_early_data()
            else:
                connected = True
            self.settimeout(sock_timeout)  # after _refuse_early_data's setblocking
            self._connected = connected
            if connected:
                self._sslobj = _Channel(self, server_side, self.server_hostname,
                                        self._session)
                if do_handshake_on_connect:
                    if self.gettimeout() == 0.0:
                        raise ValueError("do_handshake_on_connect should not be "
                                         "specified for non-blocking sockets")
                    self.do_handshake()
        except:  # noqa: E722 -- as CPython: close on any failure, re-raise
            try:
                self.close()
            except OSError:
                pass
            raise
        return self

    def _refuse_early_data(self):
        """An unconnected socket must not hold data that would pass for
        TLS-protected later (CPython gh-108310)."""
        blocking = self.getblocking()
        self.setblocking(False)
        try:
            data = _raw_recv(self, 1)
        except OSError as e:
            if e.errno not in (_ENOTCONN, _EINVAL) and not isinstance(e, BlockingIOError):
                raise
            data = b""
        finally:
            self.setblocking(blocking)
        if data:
            reason = "Closed before TLS handshake with data in recv buffer."
            err = _ssl.SSLError(_ENOTCONN, reason)
            err.reason = reason
            err.library = None
            raise err

    def _real_connect(self, addr, connect_ex):
        if self.server_side:
            raise ValueError("can't connect in server-side mode")
        if self._connected or self._sslobj is not None:
            raise ValueError("attempt to connect already-connected SSLSocket!")
        self._sslobj = _Channel(self, False, self.server_hostname, self._session)
        try:
            if connect_ex:
                rc = super(_ssl.SSLSocket, self).connect_ex(addr)
            else:
                rc = None
                super(_ssl.SSLSocket, self).connect(addr)
            if not rc:
                self._connected = True
                if self.do_handshake_on_connect:
                    self.do_handshake()
            return rc
        except (OSError, ValueError):
            self._sslobj = None
            raise

    def accept(self):
        """Accept a connection; return it wrapped as a server-side SSL
        socket of this class, and the client's address."""
        newsock, addr = super(_ssl.SSLSocket, self).accept()
        newsock = type(self)._create(
            newsock, server_side=True, context=self.context,
            do_handshake_on_connect=self.do_handshake_on_connect,
            suppress_ragged_eofs=self.suppress_ragged_eofs,
        )
        return newsock, addr


def needed():
    """True when ``_ssl`` cannot drive a socket itself: the ``_socket``
    module has no C API (python.wasm's pure-Python ``_socket``)."""
    return not hasattr(_csocket, "CAPI")


def installed():
    """True when ``SSLContext.wrap_socket`` makes this module's SSLSocket."""
    return issubclass(_ssl.SSLContext.sslsocket_class, SSLSocket)


def install():
    """Make ``ssl.SSLContext.wrap_socket`` (and so http.client, urllib,
    smtplib, ...) create this module's :class:`SSLSocket`.  python.wasm does
    this by itself when ``ssl`` is imported; calling it again is harmless."""
    _ssl.SSLContext.sslsocket_class = SSLSocket


def tls_connect(host, port, *, context=None, timeout=None, server_hostname=None):
    """Connect to ``(host, port)`` over TCP, do the TLS handshake and
    return the :class:`SSLSocket`.

    *context* defaults to ``ssl.create_default_context()`` (certificate and
    host name checked against the CA bundle the host provides, see
    docs/TLS.md); *server_hostname* (SNI and the name checked) defaults to
    *host*; *timeout* (seconds, None = block) applies to the connection and
    to every later operation.  Raises ``ssl.SSLCertVerificationError`` when
    the server's certificate does not check out, ``OSError`` subclasses for
    network errors.
    """
    if context is None:
        context = _ssl.create_default_context()
    if timeout is None:
        sock = _socket.create_connection((host, port))
    else:
        sock = _socket.create_connection((host, port), timeout)
    try:
        return SSLSocket._create(
            sock, context=context,
            server_hostname=host if server_hostname is None else server_hostname,
        )
    except BaseException:
        sock.close()
        raise
