"""The wasisocket package: Socket, create_connection, getaddrinfo, errors."""

import array
import errno
import gc
import os
import pickle
import unittest
import warnings
from unittest import mock

import _wasisocket

import support
import wasisocket

LOOP4 = bytes([127, 0, 0, 1])
LOOP6 = bytes(15) + b"\x01"
FAMILY = {"v4": wasisocket.AF_INET, "v6": wasisocket.AF_INET6}


class PackageTest(unittest.TestCase):
    def test_reexports(self):
        for name in ("AF_INET", "AF_INET6", "SOCK_STREAM", "SOCK_DGRAM", "gaierror"):
            self.assertIs(getattr(wasisocket, name), getattr(_wasisocket, name))
        for name in wasisocket.__all__:
            self.assertTrue(hasattr(wasisocket, name), name)

    def test_error_classes(self):
        self.assertIs(wasisocket.SocketError, OSError)
        self.assertIs(wasisocket.error, OSError)
        self.assertIs(wasisocket.timeout, TimeoutError)
        self.assertTrue(issubclass(wasisocket.gaierror, wasisocket.SocketError))
        self.assertTrue(issubclass(ConnectionRefusedError, wasisocket.SocketError))

    def test_docstrings(self):
        self.assertIn("create_connection", wasisocket.__doc__)
        # (close and the rest are socket.socket's, documented there.)
        for obj in (wasisocket.Socket, wasisocket.create_connection, wasisocket.getaddrinfo,
                    wasisocket.Socket.connect, wasisocket.Socket.sendall,
                    wasisocket.Socket.recv, wasisocket.Socket.recv_into,
                    wasisocket.Socket.accept):
            self.assertTrue(obj.__doc__ and obj.__doc__.strip(), obj)

    def test_abi_version(self):
        self.assertGreaterEqual(wasisocket.abi_version(), 1)
        self.assertTrue(wasisocket.has_ipv6)

    def test_default_timeout(self):
        self.assertIsNone(wasisocket.getdefaulttimeout())
        wasisocket.setdefaulttimeout(None)
        wasisocket.setdefaulttimeout(5)
        try:
            self.assertEqual(wasisocket.getdefaulttimeout(), 5)
            with wasisocket.Socket() as s:
                self.assertEqual(s.gettimeout(), 5)
        finally:
            wasisocket.setdefaulttimeout(None)
        with self.assertRaises(ValueError):
            wasisocket.setdefaulttimeout(-1)
        with self.assertRaises(TypeError):
            wasisocket.setdefaulttimeout("5")


class GetaddrinfoTest(unittest.TestCase):
    def test_numeric(self):
        self.assertEqual(wasisocket.getaddrinfo("127.0.0.1", 80), [(wasisocket.AF_INET, 80, LOOP4)])
        self.assertEqual(wasisocket.getaddrinfo("::1", 80), [(wasisocket.AF_INET6, 80, LOOP6)])

    def test_family_filter(self):
        self.assertEqual(wasisocket.getaddrinfo("127.0.0.1", 80, wasisocket.AF_INET6), [])
        self.assertEqual(len(wasisocket.getaddrinfo("::1", 80, family=wasisocket.AF_INET6)), 1)
        every = wasisocket.getaddrinfo("localhost", 1)
        v4 = wasisocket.getaddrinfo("localhost", 1, wasisocket.AF_INET)
        self.assertEqual(v4, [a for a in every if a[0] == wasisocket.AF_INET])
        with self.assertRaises(ValueError):
            wasisocket.getaddrinfo("localhost", 1, 99)

    def test_errors(self):
        with self.assertRaises(wasisocket.gaierror):
            wasisocket.getaddrinfo("nonexistent.invalid", 80)
        with self.assertRaises(ValueError):
            wasisocket.getaddrinfo("localhost", 70000)
        with self.assertRaises(TypeError):
            wasisocket.getaddrinfo(None, 80)


class SocketTestV4(support.BothFamilies, unittest.TestCase):
    FAMILY = "v4"

    def socket(self, type_=wasisocket.SOCK_STREAM):
        s = wasisocket.Socket(FAMILY[self.FAMILY], type_)
        self.addCleanup(s.close)
        return s

    def connected(self, server, type_=wasisocket.SOCK_STREAM):
        s = self.socket(type_)
        s.connect((self.host, self.srv[server]))
        return s

    def test_attributes_and_repr(self):
        s = self.socket()
        self.assertEqual(s.family, FAMILY[self.FAMILY])
        self.assertEqual(s.type, wasisocket.SOCK_STREAM)
        self.assertEqual(s.socktype, wasisocket.SOCK_STREAM)
        self.assertGreater(s.fileno(), 0)
        self.assertFalse(s.closed)
        r = repr(s)
        self.assertIn(f"fd={s.fileno()}", r)
        self.assertIn("SOCK_STREAM", r)
        self.assertIn("AF_INET6" if self.FAMILY == "v6" else "AF_INET,", r)
        s.connect((self.host, self.srv["echo"]))
        self.assertIn(f"raddr={s.getpeername()!r}", repr(s))
        want = (self.host, self.srv["echo"]) + ((0, 0) if self.FAMILY == "v6" else ())
        self.assertEqual(s.getpeername(), want)
        s.close()
        self.assertIn("[closed]", repr(s))
        self.assertTrue(s.closed)

    def test_echo(self):
        s = self.connected("echo")
        self.assertEqual(s.send(b"hello"), 5)
        s.sendall(b" world")
        self.assertEqual(support.recv_exactly(s.recv, 11), b"hello world")

    def test_sendall_bytes_likes(self):
        s = self.connected("echo")
        ints = array.array("I", range(1000))
        for data in (b"", b"b", bytearray(b"ba" * 1000), memoryview(b"mv" * 5000)[1:],
                     ints, memoryview(ints)):
            with self.subTest(type=type(data).__name__):
                want = memoryview(data).tobytes()
                self.assertIsNone(s.sendall(data))
                self.assertEqual(support.recv_exactly(s.recv, len(want)), want)

    def test_sendall_rejects_str(self):
        s = self.connected("echo")
        with self.assertRaises(TypeError):
            s.sendall("text")
        with self.assertRaises(TypeError):
            s.send("text")

    def test_recv_default_and_bad_sizes(self):
        s = self.connected("echo")
        s.sendall(b"x" * 5000)
        first = s.recv()
        self.assertLessEqual(len(first), 4096)
        support.recv_exactly(s.recv, 5000 - len(first))
        with self.assertRaises(ValueError):
            s.recv(-1)
        with self.assertRaises(OSError) as cm:
            s.recv(10, 0x100)  # not a flag the POSIX layer knows
        self.assertEqual(cm.exception.errno, errno.EOPNOTSUPP)

    def test_recv_into(self):
        s = self.connected("echo")
        s.sendall(b"abcdefgh")
        buf = bytearray(16)
        got = 0
        while got < 8:
            got += s.recv_into(memoryview(buf)[got:], 8 - got)
        self.assertEqual(buf[:8], b"abcdefgh")
        with self.assertRaises(ValueError):
            s.recv_into(bytearray(2), 3)
        with self.assertRaises(TypeError):
            s.recv_into(b"ro")

    def test_banner_then_eof(self):
        s = self.connected("banner")
        self.assertEqual(support.recv_all(s.recv), support.BANNER)
        self.assertEqual(s.recv(10), b"")
        self.assertEqual(s.recv_into(bytearray(10)), 0)

    def test_connect_by_name(self):
        # "localhost" resolves to this family on most hosts; the dual-stack
        # server listens on the same port on both loopback addresses.
        if not wasisocket.getaddrinfo("localhost", 1, FAMILY[self.FAMILY]):
            self.skipTest(f"localhost has no {self.FAMILY} address here")
        s = self.socket()
        s.connect(("localhost", support.DUAL["echo"]))
        s.sendall(b"by name")
        self.assertEqual(support.recv_exactly(s.recv, 7), b"by name")

    def test_connect_accepts_bytes_host(self):
        s = self.socket()
        s.connect((self.host.encode(), self.srv["echo"]))
        s.sendall(b"b")
        self.assertEqual(s.recv(1), b"b")

    def test_connection_refused(self):
        s = self.socket()
        with self.assertRaises(ConnectionRefusedError) as cm:
            s.connect((self.host, self.srv["refused"]))
        self.assertEqual(cm.exception.errno, errno.ECONNREFUSED)
        # The same error, caught by the package's base class.
        s2 = self.socket()
        with self.assertRaises(wasisocket.SocketError):
            s2.connect((self.host, self.srv["refused"]))

    def test_connect_tries_every_address(self):
        # The first address refuses, the second listens: connect moves on,
        # on a fresh handle.
        af, addr = FAMILY[self.FAMILY], support_addr(self.FAMILY)
        records = [(af, self.srv["refused"], addr), (af, self.srv["echo"], addr)]
        s = self.socket()
        with mock.patch.object(wasisocket, "getaddrinfo", return_value=records) as gai:
            s.connect(("several.example", 1))
        gai.assert_called_once_with("several.example", 1, af)
        self.assertGreater(s.fileno(), 0)
        s.sendall(b"second")
        self.assertEqual(support.recv_exactly(s.recv, 6), b"second")
        self.assertEqual(s.getpeername()[1], self.srv["echo"])

    def test_connect_raises_last_error(self):
        af, addr = FAMILY[self.FAMILY], support_addr(self.FAMILY)
        records = [(af, self.srv["refused"], addr)] * 3
        s = self.socket()
        with mock.patch.object(wasisocket, "getaddrinfo", return_value=records):
            with self.assertRaises(ConnectionRefusedError):
                s.connect(("several.example", 1))
        self.assertFalse(s.closed)
        # The same socket connects afterwards (on a fresh handle).
        s.connect((self.host, self.srv["echo"]))
        s.sendall(b"again")
        self.assertEqual(support.recv_exactly(s.recv, 5), b"again")

    def test_connect_without_address_of_family(self):
        s = self.socket()
        other = "::1" if self.FAMILY == "v4" else "127.0.0.1"
        with self.assertRaises(wasisocket.gaierror):
            s.connect((other, 80))

    def test_connect_invalid_name(self):
        s = self.socket()
        with self.assertRaises(wasisocket.gaierror) as cm:
            s.connect(("nonexistent.invalid", 80))
        self.assertIsInstance(cm.exception, OSError)

    def test_connect_bad_arguments(self):
        s = self.socket()
        for address in ("localhost:80", ["localhost", 80], ("localhost",),
                        ("localhost", 80, 0), (None, 80), (80, "localhost"),
                        ("localhost", "80"), ("localhost", 80.0)):
            with self.subTest(address=address), self.assertRaises(TypeError):
                s.connect(address)
        for port in (-1, 65536):
            with self.subTest(port=port), self.assertRaises(ValueError):
                s.connect((self.host, port))
        with self.assertRaises(ValueError):
            s.connect(("", 80))
        # A numeric address tried once is remembered (connect's fast path);
        # a bool port is still refused, though (host, True) == (host, 1).
        with self.socket() as a, self.assertRaises(OSError):
            a.connect((self.host, 1))  # nothing listens on port 1
        with self.assertRaises(TypeError):
            s.connect((self.host, True))

    # -- connect's fast path (_wasisocket.FastConnect): a numeric address of
    # the socket's family with an int port goes straight to
    # _socket.socket.connect; everything else runs the Python method, which
    # always resolves through getaddrinfo.  So getaddrinfo raising says
    # which path a call took.

    def no_slow_path(self):
        return mock.patch.object(wasisocket, "getaddrinfo",
                                 side_effect=AssertionError("slow path taken"))

    def test_connect_fast_path_taken(self):
        # Each time, the first (a cache miss) included; and for a
        # subclass, whose instances are marked as Socket's are.
        class Sub(wasisocket.Socket):
            pass

        for cls in (wasisocket.Socket, Sub):
            for _ in range(2):
                s = cls(FAMILY[self.FAMILY])
                self.addCleanup(s.close)
                with self.subTest(cls=cls.__name__), self.no_slow_path():
                    s.connect((self.host, self.srv["echo"]))
                s.sendall(b"f")
                self.assertEqual(s.recv(1), b"f")
            s = cls(FAMILY[self.FAMILY])
            self.addCleanup(s.close)
            with self.no_slow_path(), self.assertRaises(ConnectionRefusedError):
                s.connect((self.host, self.srv["refused"]))
            self.assertIs(s._connect_failed, True)

    def test_connect_fast_path_is_the_method(self):
        # Socket.connect keeps its name, docstring and signature, binds as a
        # method, and a subclass's super().connect() reaches it.
        import inspect
        c = wasisocket.Socket.connect
        self.assertEqual((c.__name__, c.__qualname__, c.__module__),
                         ("connect", "Socket.connect", "wasisocket"))
        self.assertTrue(c.__doc__.startswith("Connect to ``address``"))
        self.assertEqual(list(inspect.signature(c).parameters), ["self", "address"])
        s = self.socket()
        self.assertEqual(list(inspect.signature(s.connect).parameters), ["address"])
        self.assertIs(s.connect.__self__, s)
        with self.assertRaisesRegex(TypeError, r"connect\(\) missing 1 required"):
            s.connect()
        with self.assertRaises(TypeError):
            s.connect((self.host, 1), 2)
        wasisocket.Socket.connect(s, address=(self.host, self.srv["echo"]))
        s.sendall(b"k")
        self.assertEqual(s.recv(1), b"k")

        calls = []

        class Sub(wasisocket.Socket):
            def connect(self, address):
                calls.append(address)
                return super().connect(address)

        t = Sub(FAMILY[self.FAMILY])
        self.addCleanup(t.close)
        with self.no_slow_path():
            t.connect((self.host, self.srv["echo"]))
        self.assertEqual(calls, [(self.host, self.srv["echo"])])

    def test_connect_fast_path_refuses_bool_port(self):
        # (host, True) == (host, 1) finds (host, 1)'s cache entry: the port's
        # type is checked after the lookup, so the slow path says TypeError.
        with self.socket() as a, self.no_slow_path(), self.assertRaises(OSError):
            a.connect((self.host, 1))  # nothing listens on port 1
        s = self.socket()
        with self.assertRaisesRegex(TypeError, "port must be an int, not bool"):
            s.connect((self.host, True))
        self.assertFalse(s._connect_failed)

    def test_connect_fast_path_family_mismatch(self):
        # A numeric address of the other family is remembered as such and
        # goes to the slow path every time: gaierror, socket not marked.
        s = self.socket()
        other = "::1" if self.FAMILY == "v4" else "127.0.0.1"
        for _ in range(2):
            with self.assertRaises(wasisocket.gaierror):
                s.connect((other, self.srv["echo"]))
        self.assertFalse(s._connect_failed)
        s.connect((self.host, self.srv["echo"]))

    def test_connect_fast_path_unhashable_and_odd_members(self):
        s = self.socket()
        # Unhashable: the lookup's TypeError is not the answer, the slow
        # path's checks are.
        with self.assertRaisesRegex(TypeError, "port must be an int, not list"):
            s.connect((self.host, [80]))
        with self.assertRaisesRegex(TypeError, "host must be str or bytes, not list"):
            s.connect(([self.host], 80))

        class BadHash(int):
            def __hash__(self):
                raise ValueError("no hash")

        # Other errors from the lookup propagate, as dict.get's do.
        with self.assertRaisesRegex(ValueError, "no hash"):
            s.connect((self.host, BadHash(80)))
        # Not a tuple, or a tuple subclass: the slow path.
        with self.assertRaises(TypeError):
            s.connect([self.host, self.srv["echo"]])

        class Pair(tuple):
            pass

        with mock.patch.object(wasisocket, "getaddrinfo",
                               wraps=wasisocket.getaddrinfo) as gai:
            s.connect(Pair((self.host, self.srv["echo"])))
        gai.assert_called_once()
        self.assertFalse(s._connect_failed)

    def test_connect_fast_path_failure_then_slow_path(self):
        # A failed attempt marks the socket; the next connect goes through
        # the slow path, which reopens it first and clears the mark.
        s = self.socket()
        s.setsockopt(wasisocket.SOL_SOCKET, wasisocket.SO_KEEPALIVE, 1)
        with self.assertRaises(ConnectionRefusedError) as cm:
            s.connect((self.host, self.srv["refused"]))
        self.assertEqual(cm.exception.errno, errno.ECONNREFUSED)
        self.assertIs(s._connect_failed, True)
        with mock.patch.object(wasisocket.Socket, "_reopen", autospec=True,
                               side_effect=wasisocket.Socket._reopen) as reopen, \
             mock.patch.object(wasisocket, "getaddrinfo",
                               wraps=wasisocket.getaddrinfo) as gai:
            s.connect((self.host, self.srv["echo"]))
        reopen.assert_called_once_with(s)
        gai.assert_called_once()
        self.assertFalse(s._connect_failed)
        self.assertEqual(s.getsockopt(wasisocket.SOL_SOCKET, wasisocket.SO_KEEPALIVE), 1)
        s.sendall(b"r")
        self.assertEqual(s.recv(1), b"r")
        # Connected (blocking): the fast path again, and EISCONN (the
        # socket's state, not the address's fault) does not mark it.
        with self.no_slow_path(), self.assertRaises(OSError) as cm:
            s.connect((self.host, self.srv["echo"]))
        self.assertEqual(cm.exception.errno, errno.EISCONN)
        self.assertFalse(s._connect_failed)

    def test_connect_fast_path_nonblocking_not_marked(self):
        # EINPROGRESS, then (once connected, Linux answers the first
        # connect after with 0) EALREADY or EISCONN: the socket's state,
        # not the address's fault, so none of them marks it.
        s = self.socket()
        s.setblocking(False)
        errors = []
        with self.no_slow_path():
            for _ in range(3):
                try:
                    s.connect((self.host, self.srv["echo"]))
                except OSError as exc:
                    errors.append(exc.errno)
                wasisocket.poll([(s.fileno(), wasisocket.POLLOUT)], 5)
        self.assertTrue(errors)
        self.assertLessEqual(set(errors), {errno.EINPROGRESS, errno.EALREADY, errno.EISCONN})
        self.assertFalse(s._connect_failed)

    def test_new_socket_has_socket_socket_slots(self):
        # Socket.__init__ does socket.socket.__init__'s work without calling
        # it: a new Socket holds what a new socket.socket holds.
        import socket
        a, b = self.socket(), socket.socket(FAMILY[self.FAMILY])
        with a, b:
            for name in socket.socket.__slots__:
                if name != "__weakref__":
                    self.assertEqual(getattr(a, name), getattr(b, name), name)

    def test_close_waits_for_makefile_and_keeps_subclass_real_close(self):
        # Socket.close does socket.socket.close's work in one frame: a file
        # from makefile() still holds the socket open, and a subclass's own
        # _real_close (as ssl.SSLSocket has one) still runs.
        s = self.connected("echo")
        f = s.makefile("rwb", buffering=0)
        s.close()
        self.assertNotEqual(s.fileno(), -1)  # the file holds it open
        f.write(b"m")
        self.assertEqual(f.read(1), b"m")
        f.close()
        self.assertEqual(s.fileno(), -1)

        real_closes = []

        class Counted(wasisocket.Socket):
            def _real_close(self):
                real_closes.append(self.fileno())
                super()._real_close()

        c = Counted(FAMILY[self.FAMILY])
        fd = c.fileno()
        c.close()
        self.assertEqual((real_closes, c.fileno()), ([fd], -1))

    def test_connect_four_tuple(self):
        # socket.getaddrinfo's IPv6 form (host, port, flowinfo, scope_id).
        s = self.socket()
        if self.FAMILY == "v4":
            with self.assertRaises(TypeError):
                s.connect((self.host, self.srv["echo"], 0, 0))
            return
        with self.assertRaises(ValueError):
            s.connect((self.host, self.srv["echo"], 0, 3))
        s.connect((self.host, self.srv["echo"], 0, 0))
        s.sendall(b"4")
        self.assertEqual(s.recv(1), b"4")

    def test_close_is_idempotent_and_final(self):
        s = self.connected("echo")
        s.close()
        s.close()
        self.assertEqual(s.fileno(), -1)
        calls = {
            "send": lambda: s.send(b"x"),
            "sendall": lambda: s.sendall(b"x"),
            "recv": lambda: s.recv(1),
            "recv_into": lambda: s.recv_into(bytearray(1)),
            "connect": lambda: s.connect((self.host, self.srv["echo"])),
            "getpeername": s.getpeername,
        }
        for name, call in calls.items():
            with self.subTest(name), self.assertRaises(OSError) as cm:
                call()
            self.assertEqual(cm.exception.errno, errno.EBADF)

    def test_context_manager(self):
        with wasisocket.Socket(FAMILY[self.FAMILY]) as s:
            self.assertFalse(s.closed)
            s.connect((self.host, self.srv["echo"]))
        self.assertTrue(s.closed)
        with self.assertRaises(ZeroDivisionError):
            with wasisocket.Socket(FAMILY[self.FAMILY]) as s2:
                1 / 0
        self.assertTrue(s2.closed)

    def test_unclosed_socket_warns_and_closes(self):
        s = wasisocket.Socket(FAMILY[self.FAMILY])
        fd = s.fileno()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            del s
            gc.collect()
        self.assertTrue(any(issubclass(w.category, ResourceWarning) for w in caught))
        with self.assertRaises(OSError) as cm:  # its host handle was closed
            _wasisocket.sock_close(fd - _wasisocket.FD_BASE)
        self.assertEqual(cm.exception.errno, errno.EBADF)

    def test_getpeername_unconnected(self):
        with self.assertRaises(OSError) as cm:
            self.socket().getpeername()
        self.assertEqual(cm.exception.errno, errno.ENOTCONN)

    def test_not_picklable(self):
        with self.assertRaises(TypeError):
            pickle.dumps(self.socket())

    def test_udp(self):
        s = self.connected("udp_echo", wasisocket.SOCK_DGRAM)
        self.assertEqual(s.type, wasisocket.SOCK_DGRAM)
        for payload in (b"one", b"two" * 100):
            self.assertEqual(s.send(payload), len(payload))
            self.assertEqual(s.recv(65535), payload)

    def test_http(self):
        s = self.connected("http")
        s.sendall(f"GET /bytes/100000 HTTP/1.0\r\nHost: {self.host}\r\n\r\n".encode())
        response = support.recv_all(s.recv)
        head, _, body = response.partition(b"\r\n\r\n")
        self.assertTrue(head.startswith(b"HTTP/1.0 200"), head[:40])
        self.assertIn(b"Content-Length: 100000", head)
        self.assertEqual(body, b"x" * 100000)

    def test_bulk_upload_sendall_16mib(self):
        data = os.urandom(support.BULK_SIZE)
        s = self.connected("bulk")
        s.sendall(f"UP {len(data)}\n".encode())
        s.sendall(data)
        count, digest = support.recv_line(s.recv).split()
        self.assertEqual(int(count), len(data))
        self.assertEqual(digest.decode(), support.sha256(data))

    def test_bulk_download_recv_into_16mib(self):
        s = self.connected("bulk")
        s.sendall(f"DOWN {support.BULK_SIZE} 11\n".encode())
        want = support.recv_line(s.recv).strip().decode()
        buf = bytearray(support.BULK_SIZE + 1)  # room for one stray byte
        view, got = memoryview(buf), 0
        while True:
            n = s.recv_into(view[got:], min(1 << 20, len(view) - got))
            if n == 0:
                break
            got += n
        self.assertEqual(got, support.BULK_SIZE)
        self.assertEqual(support.sha256(view[:got]), want)


class SocketTestV6(SocketTestV4):
    FAMILY = "v6"


def support_addr(family):
    return LOOP4 if family == "v4" else LOOP6


class CreateConnectionTest(unittest.TestCase):
    def test_ipv4(self):
        with wasisocket.create_connection(("127.0.0.1", support.V4["echo"])) as s:
            self.assertEqual(s.family, wasisocket.AF_INET)
            self.assertEqual(s.type, wasisocket.SOCK_STREAM)
            s.sendall(b"v4")
            self.assertEqual(support.recv_exactly(s.recv, 2), b"v4")
        self.assertTrue(s.closed)

    def test_ipv6(self):
        srv = support.servers(self, "v6")
        with wasisocket.create_connection(("::1", srv["echo"])) as s:
            self.assertEqual(s.family, wasisocket.AF_INET6)
            s.sendall(b"v6")
            self.assertEqual(support.recv_exactly(s.recv, 2), b"v6")

    def test_localhost(self):
        with wasisocket.create_connection(("localhost", support.DUAL["echo"])) as s:
            s.sendall(b"localhost")
            self.assertEqual(support.recv_exactly(s.recv, 9), b"localhost")

    def test_falls_back_across_families(self):
        # An IPv6 address that refuses, then an IPv4 one that listens (and
        # the other way round): each attempt uses a socket of its family.
        v4 = (wasisocket.AF_INET, support.V4["echo"], LOOP4)
        v4_refused = (wasisocket.AF_INET, support.V4["refused"], LOOP4)
        orders = [[v4_refused, v4]]
        if support.V6 is not None:
            v6 = (wasisocket.AF_INET6, support.V6["echo"], LOOP6)
            v6_refused = (wasisocket.AF_INET6, support.V6["refused"], LOOP6)
            orders += [[v6_refused, v4], [v4_refused, v6]]
        for records in orders:
            with self.subTest(records=records), \
                    mock.patch.object(wasisocket, "getaddrinfo", return_value=records), \
                    wasisocket.create_connection(("dual.example", 1)) as s:
                self.assertEqual(s.family, records[-1][0])
                s.sendall(b"fallback")
                self.assertEqual(support.recv_exactly(s.recv, 8), b"fallback")

    def test_refused(self):
        with self.assertRaises(ConnectionRefusedError):
            wasisocket.create_connection(("127.0.0.1", support.V4["refused"]))

    def test_refused_everywhere_raises_last(self):
        records = [(wasisocket.AF_INET, support.V4["refused"], LOOP4)] * 2
        with mock.patch.object(wasisocket, "getaddrinfo", return_value=records), \
                self.assertRaises(ConnectionRefusedError):
            wasisocket.create_connection(("x.example", 1))
        with mock.patch.object(wasisocket, "getaddrinfo", return_value=[]), \
                self.assertRaises(wasisocket.gaierror):
            wasisocket.create_connection(("x.example", 1))

    def test_invalid_name(self):
        with self.assertRaises(wasisocket.gaierror):
            wasisocket.create_connection(("nonexistent.invalid", 80))

    def test_timeout_argument(self):
        with wasisocket.create_connection(("127.0.0.1", support.V4["echo"]), None) as s:
            s.sendall(b"t")
            self.assertEqual(s.recv(1), b"t")
        with wasisocket.create_connection(("127.0.0.1", support.V4["echo"]), timeout=10) as s:
            self.assertEqual(s.gettimeout(), 10)
        with self.assertRaises(ValueError):
            wasisocket.create_connection(("127.0.0.1", support.V4["echo"]), timeout=-1)
        with self.assertRaises(TypeError):
            wasisocket.create_connection(("127.0.0.1", support.V4["echo"]), timeout="1")

    def test_bad_address(self):
        for address in ("127.0.0.1", ("127.0.0.1",), (1, 2)):
            with self.subTest(address=address), self.assertRaises(TypeError):
                wasisocket.create_connection(address)
        with self.assertRaises(ValueError):
            wasisocket.create_connection(("127.0.0.1", 65536))


if __name__ == "__main__":
    unittest.main()
