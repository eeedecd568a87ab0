"""The unmodified standard library's socket, select and selectors modules.

python.wasm's _socket and select are CPython's own C modules, built on
wasisock's POSIX layer; socket.py, selectors.py and the rest are the
standard library's own files.
"""

import errno
import os
import select
import selectors
import socket
import sys
import time
import unittest
import warnings

import _socket
import _wasisocket

import peer
import support

FAMILY = {"v4": socket.AF_INET, "v6": socket.AF_INET6}


class WiringTest(unittest.TestCase):
    """What python.wasm sets up at start-up, with nothing done by the user."""

    def test_inside_wasm(self):
        self.assertEqual(sys.platform, "wasi")

    def test_modules_are_cpythons_own(self):
        lib = os.path.join(sys.prefix, "lib", f"python{sys.version_info[0]}.{sys.version_info[1]}")
        self.assertIn("_socket", sys.builtin_module_names)
        self.assertIn("select", sys.builtin_module_names)
        self.assertFalse(hasattr(_socket, "__file__"))
        self.assertTrue(hasattr(_socket, "CAPI"))  # what _ssl uses
        # socket.py itself is the standard library's, unmodified.
        self.assertEqual(socket.__file__, os.path.join(lib, "socket.py"))
        self.assertIs(socket.socket.__mro__[1], _socket.socket)

    def test_default_selector_is_poll(self):
        self.assertIs(selectors.DefaultSelector, selectors.PollSelector)

    def test_error_classes(self):
        self.assertIs(socket.error, OSError)
        self.assertIs(socket.timeout, TimeoutError)
        self.assertIs(_wasisocket.gaierror, socket.gaierror)
        self.assertTrue(issubclass(socket.gaierror, OSError))
        self.assertTrue(issubclass(socket.herror, OSError))
        self.assertEqual(_wasisocket.EAI_NONAME, socket.EAI_NONAME)

    def test_constants_are_the_abi(self):
        for name in ("AF_INET", "AF_INET6", "SOCK_STREAM", "SOCK_DGRAM", "SOL_SOCKET",
                     "SO_REUSEADDR", "SO_ERROR", "SO_TYPE", "TCP_NODELAY", "IPPROTO_TCP",
                     "IPPROTO_IPV6", "IPV6_V6ONLY", "SHUT_RD", "SHUT_WR", "SHUT_RDWR",
                     "MSG_PEEK", "MSG_WAITALL"):
            self.assertEqual(getattr(socket, name), getattr(_wasisocket, name), name)
        for name in ("POLLIN", "POLLOUT", "POLLERR", "POLLHUP", "POLLNVAL"):
            self.assertEqual(getattr(select, name), getattr(_wasisocket, name), name)
        self.assertEqual(socket.AddressFamily.AF_INET6, _wasisocket.AF_INET6)
        self.assertTrue(socket.has_ipv6)

    def test_socket_attributes(self):
        with socket.socket() as s:
            self.assertEqual(s.family, socket.AF_INET)
            self.assertIsInstance(s.family, socket.AddressFamily)
            self.assertEqual(s.type, socket.SOCK_STREAM)
            self.assertEqual(s.proto, 0)
            self.assertIsNone(s.gettimeout())
            self.assertTrue(s.getblocking())
            self.assertGreaterEqual(s.fileno(), 0)
            self.assertIn(f"family={int(socket.AF_INET)}, type={int(socket.SOCK_STREAM)}", repr(s))
            self.assertEqual(s.getsockname(), ("0.0.0.0", 0))
            with self.assertRaises(OSError) as cm:
                s.getpeername()
            self.assertEqual(cm.exception.errno, errno.ENOTCONN)
        self.assertEqual(s.fileno(), -1)
        self.assertIn("[closed]", repr(s))
        with self.assertRaises(OSError) as cm:
            s.recv(1)
        self.assertEqual(cm.exception.errno, errno.EBADF)
        with socket.socket() as s, self.assertRaises(TypeError):
            __import__("pickle").dumps(s)

    def test_bad_family_and_type(self):
        with self.assertRaises(OSError) as cm:
            socket.socket(99)
        self.assertEqual(cm.exception.errno, errno.EAFNOSUPPORT)
        with self.assertRaises(OSError):
            socket.socket(socket.AF_INET, 99)

    def test_unclosed_warns(self):
        s = socket.socket()
        fd = s.fileno()
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            del s
            __import__("gc").collect()
        self.assertTrue(any(issubclass(x.category, ResourceWarning) for x in w))
        with self.assertRaises(OSError):  # its host handle was closed
            _wasisocket.sock_close(fd - _wasisocket.FD_BASE)


class ResolverTest(unittest.TestCase):
    def test_getaddrinfo_numeric(self):
        self.assertEqual(
            socket.getaddrinfo("127.0.0.1", 80, type=socket.SOCK_STREAM),
            [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", ("127.0.0.1", 80))],
        )
        self.assertEqual(
            socket.getaddrinfo("::1", "8080", socket.AF_INET6, socket.SOCK_DGRAM),
            [(socket.AF_INET6, socket.SOCK_DGRAM, socket.IPPROTO_UDP, "", ("::1", 8080, 0, 0))],
        )
        both = socket.getaddrinfo("127.0.0.1", 7)
        self.assertEqual([r[1] for r in both], [socket.SOCK_STREAM, socket.SOCK_DGRAM])
        self.assertEqual(socket.getaddrinfo("127.1", None)[0][4], ("127.0.0.1", 0))
        self.assertEqual(socket.getaddrinfo(b"127.0.0.1", b"80")[0][4], ("127.0.0.1", 80))

    def test_getaddrinfo_localhost(self):
        infos = socket.getaddrinfo("localhost", 80, type=socket.SOCK_STREAM)
        self.assertTrue(infos)
        for fam, typ, proto, canon, sa in infos:
            self.assertIn(fam, (socket.AF_INET, socket.AF_INET6))
            self.assertEqual((typ, proto, canon), (socket.SOCK_STREAM, socket.IPPROTO_TCP, ""))
            self.assertIn(sa[0], ("127.0.0.1", "::1"))
            self.assertEqual(sa[1], 80)
        v4 = socket.getaddrinfo("localhost", 80, socket.AF_INET, socket.SOCK_STREAM)
        self.assertEqual(v4, [i for i in infos if i[0] == socket.AF_INET])
        canon = socket.getaddrinfo("localhost", 80, 0, socket.SOCK_STREAM, 0, socket.AI_CANONNAME)
        self.assertEqual(canon[0][3], "localhost")

    def test_getaddrinfo_none_host(self):
        passive = socket.getaddrinfo(None, 8000, 0, socket.SOCK_STREAM, 0, socket.AI_PASSIVE)
        self.assertEqual([i[4][0] for i in passive], ["0.0.0.0", "::"])
        loop = socket.getaddrinfo(None, 8000, socket.AF_INET, socket.SOCK_STREAM)
        self.assertEqual(loop[0][4], ("127.0.0.1", 8000))

    def test_getaddrinfo_services(self):
        self.assertEqual(socket.getaddrinfo("127.0.0.1", "http")[0][4][1], 80)
        self.assertEqual(socket.getaddrinfo("127.0.0.1", "https", type=socket.SOCK_STREAM)[0][4][1], 443)
        self.assertEqual(len(socket.getaddrinfo("127.0.0.1", "domain")), 2)
        self.assertEqual(socket.getservbyname("http", "tcp"), 80)
        self.assertEqual(socket.getservbyport(443), "https")
        self.assertEqual(socket.getprotobyname("tcp"), socket.IPPROTO_TCP)

    def test_getaddrinfo_errors(self):
        cases = [
            (("nonexistent.invalid", 80), socket.EAI_NONAME),
            (("", 80), socket.EAI_NONAME),
            ((None, None), socket.EAI_NONAME),
            (("localhost", 80, 0, 0, 0, socket.AI_NUMERICHOST), socket.EAI_NONAME),
            (("127.0.0.1", 80, socket.AF_INET6), socket.EAI_NONAME),  # POSIX; glibc: ADDRFAMILY
            (("127.0.0.1", 80, 99), socket.EAI_FAMILY),
            (("127.0.0.1", 80, 0, 99), socket.EAI_SOCKTYPE),
            (("127.0.0.1", "no-such-service"), socket.EAI_SERVICE),
            (("127.0.0.1", "http", 0, socket.SOCK_DGRAM), socket.EAI_SERVICE),
        ]
        for args, code in cases:
            with self.subTest(args=args):
                with self.assertRaises(socket.gaierror) as cm:
                    socket.getaddrinfo(*args)
                self.assertEqual(cm.exception.errno, code)
                self.assertTrue(cm.exception.strerror)
        with self.assertRaises(TypeError):
            socket.getaddrinfo(80, 80)

    def test_gethostbyname(self):
        self.assertEqual(socket.gethostbyname("localhost"), "127.0.0.1")
        self.assertEqual(socket.gethostbyname("127.0.0.1"), "127.0.0.1")
        self.assertEqual(socket.gethostbyname(""), "0.0.0.0")
        self.assertEqual(socket.gethostbyname_ex("localhost")[2][0], "127.0.0.1")
        self.assertEqual(socket.gethostbyname_ex("10.1.2.3"), ("10.1.2.3", [], ["10.1.2.3"]))
        with self.assertRaises(socket.gaierror) as cm:
            socket.gethostbyname("nonexistent.invalid")
        self.assertEqual(cm.exception.errno, socket.EAI_NONAME)

    def test_reverse(self):
        self.assertEqual(socket.gethostbyaddr("127.0.0.1")[0], "localhost")
        with self.assertRaises(socket.herror):
            socket.gethostbyaddr("192.0.2.1")
        self.assertEqual(socket.getfqdn("127.0.0.1"), "localhost")
        # The guest's /etc/hostname (the runner's copy of the host's), else
        # "localhost".
        try:
            with open("/etc/hostname") as f:
                hostname = f.readline().strip() or "localhost"
        except OSError:
            hostname = "localhost"
        self.assertEqual(socket.gethostname(), hostname)
        self.assertEqual(socket.getnameinfo(("127.0.0.1", 80), 0), ("localhost", "http"))
        self.assertEqual(
            socket.getnameinfo(("::1", 8080, 0, 0), socket.NI_NUMERICHOST | socket.NI_NUMERICSERV),
            ("::1", "8080"),
        )
        with self.assertRaises(socket.gaierror):
            socket.getnameinfo(("192.0.2.1", 80), socket.NI_NAMEREQD)

    def test_inet_conversions(self):
        self.assertEqual(socket.inet_aton("127.1"), b"\x7f\x00\x00\x01")
        self.assertEqual(socket.inet_ntoa(b"\x0a\x00\x00\x01"), "10.0.0.1")
        self.assertEqual(socket.inet_pton(socket.AF_INET, "1.2.3.4"), b"\x01\x02\x03\x04")
        for bad in ("1.2.3", "01.2.3.4", "256.1.1.1", "1.2.3.4 "):
            with self.assertRaises(OSError):
                socket.inet_pton(socket.AF_INET, bad)
        cases = {
            "::": bytes(16),
            "::1": bytes(15) + b"\x01",
            "2001:db8::1:0:0:1": bytes.fromhex("20010db8000000000001000000000001"),
            "::ffff:1.2.3.4": bytes.fromhex("00000000000000000000ffff01020304"),
            "2001:db8:0:1:1:1:1:1": bytes.fromhex("20010db8000000010001000100010001"),
            "fe80::": bytes.fromhex("fe800000000000000000000000000000"),
        }
        for text, raw in cases.items():
            with self.subTest(text=text):
                self.assertEqual(socket.inet_pton(socket.AF_INET6, text), raw)
                self.assertEqual(socket.inet_ntop(socket.AF_INET6, raw), text)
        self.assertEqual(socket.inet_pton(socket.AF_INET6, "0:0:0:0:0:0:0:1"), bytes(15) + b"\x01")
        for bad in ("1::2::3", ":::", "1:2:3:4:5:6:7:8:9", "12345::", "::g"):
            with self.assertRaises(OSError):
                socket.inet_pton(socket.AF_INET6, bad)
        with self.assertRaises(ValueError):
            socket.inet_ntop(socket.AF_INET6, b"123")
        self.assertEqual(socket.htons(0x1234), 0x3412)
        self.assertEqual(socket.ntohl(0x12345678), 0x78563412)
        with self.assertRaises(OverflowError):
            socket.htons(65536)


class StreamTestV4(support.BothFamilies, unittest.TestCase):
    FAMILY = "v4"

    def connected(self, server, timeout=socket._GLOBAL_DEFAULT_TIMEOUT):
        s = socket.create_connection((self.host, self.srv[server]), timeout)
        self.addCleanup(s.close)
        return s

    def test_echo(self):
        s = socket.socket(FAMILY[self.FAMILY], socket.SOCK_STREAM)
        self.addCleanup(s.close)
        s.connect((self.host, self.srv["echo"]))
        self.assertEqual(s.getpeername()[:2], (self.host, self.srv["echo"]))
        self.assertEqual(len(s.getsockname()), 2 if self.FAMILY == "v4" else 4)
        s.sendall(b"hello ")
        self.assertEqual(s.send(b"world"), 5)
        self.assertEqual(support.recv_exactly(s.recv, 11), b"hello world")
        buf = bytearray(5)
        s.sendall(b"abcde")
        got = 0
        while got < 5:
            got += s.recv_into(memoryview(buf)[got:])
        self.assertEqual(buf, b"abcde")
        s.shutdown(socket.SHUT_WR)
        self.assertEqual(s.recv(10), b"")

    def test_create_connection_timeout(self):
        s = self.connected("echo", timeout=5)
        self.assertEqual(s.gettimeout(), 5.0)
        s.sendall(b"ping")
        self.assertEqual(support.recv_exactly(s.recv, 4), b"ping")

    def test_recv_timeout(self):
        s = self.connected("echo", timeout=0.2)
        start = time.monotonic()
        with self.assertRaises(socket.timeout) as cm:
            s.recv(10)
        elapsed = time.monotonic() - start
        self.assertIs(type(cm.exception), TimeoutError)
        self.assertEqual(str(cm.exception), "timed out")
        self.assertGreaterEqual(elapsed, 0.15)
        self.assertLess(elapsed, 5)

    def test_default_timeout(self):
        self.assertIsNone(socket.getdefaulttimeout())
        socket.setdefaulttimeout(0.2)
        try:
            s = self.connected("echo")
            self.assertEqual(s.gettimeout(), 0.2)
            with self.assertRaises(TimeoutError):
                s.recv(1)
        finally:
            socket.setdefaulttimeout(None)
        with self.assertRaises(ValueError):
            socket.setdefaulttimeout(-1)

    def test_non_blocking(self):
        s = self.connected("echo")
        s.setblocking(False)
        self.assertEqual(s.gettimeout(), 0.0)
        self.assertFalse(s.getblocking())
        with self.assertRaises(BlockingIOError):
            s.recv(10)
        s.send(b"x")
        sel = selectors.DefaultSelector()
        self.addCleanup(sel.close)
        sel.register(s, selectors.EVENT_READ)
        self.assertEqual(len(sel.select(5)), 1)
        self.assertEqual(s.recv(10), b"x")
        s.setblocking(True)
        self.assertIsNone(s.gettimeout())

    def test_non_blocking_connect(self):
        s = socket.socket(FAMILY[self.FAMILY])
        self.addCleanup(s.close)
        s.setblocking(False)
        try:
            s.connect((self.host, self.srv["echo"]))
        except BlockingIOError as exc:
            self.assertEqual(exc.errno, errno.EINPROGRESS)
        _, w, _ = select.select([], [s], [], 5)
        self.assertEqual(w, [s])
        self.assertEqual(s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR), 0)
        s.setblocking(True)
        s.sendall(b"nb")
        self.assertEqual(support.recv_exactly(s.recv, 2), b"nb")

    def test_connection_refused(self):
        with self.assertRaises(ConnectionRefusedError) as cm:
            socket.create_connection((self.host, self.srv["refused"]))
        self.assertEqual(cm.exception.errno, errno.ECONNREFUSED)
        s = socket.socket(FAMILY[self.FAMILY])
        self.addCleanup(s.close)
        self.assertEqual(s.connect_ex((self.host, self.srv["refused"])), errno.ECONNREFUSED)

    def test_gaierror(self):
        with self.assertRaises(socket.gaierror) as cm:
            socket.create_connection(("nonexistent.invalid", 80))
        self.assertEqual(cm.exception.errno, socket.EAI_NONAME)
        s = socket.socket(FAMILY[self.FAMILY])
        self.addCleanup(s.close)
        with self.assertRaises(socket.gaierror):
            s.connect(("nonexistent.invalid", 80))

    def test_makefile(self):
        s = self.connected("banner")
        with s.makefile("rb") as f:
            self.assertEqual(f.readline(), support.BANNER)
            self.assertEqual(f.read(), b"")

    def test_bulk_sendall_with_timeout(self):
        # A timeout makes sendall loop with deadlines; every byte still goes.
        data = os.urandom(4 * 1024 * 1024 + 7)
        s = self.connected("bulk", timeout=60)
        s.sendall(b"UP %d\n" % len(data))
        s.sendall(memoryview(data))
        with s.makefile("rb") as f:
            self.assertEqual(f.readline().split(), [str(len(data)).encode(), support.sha256(data).encode()])

    def test_option_constants_are_the_working_ones(self):
        # SOL_TCP & co. exist, and every option constant socket has works
        # (CPython adds one per C macro the POSIX layer's headers define).
        self.assertEqual((socket.SOL_TCP, socket.SOL_UDP, socket.SOL_IP),
                         (socket.IPPROTO_TCP, socket.IPPROTO_UDP, socket.IPPROTO_IP))
        levels = {"SO_": socket.SOL_SOCKET, "TCP_": socket.IPPROTO_TCP,
                  "IP_": socket.IPPROTO_IP, "IPV6_": socket.IPPROTO_IPV6}
        s = self.connected("echo")
        names = [n for n in dir(socket) if n.startswith(tuple(levels))]
        other_family = "IPV6_" if self.FAMILY == "v4" else "IP_"
        for name in names:
            if name.startswith(other_family):
                continue
            level = next(v for p, v in levels.items() if name.startswith(p))
            with self.subTest(name=name):
                s.getsockopt(level, getattr(socket, name), 16)
        for name in ("TCP_CORK", "TCP_INFO", "IP_MULTICAST_TTL", "IP_ADD_MEMBERSHIP",
                     "IPV6_JOIN_GROUP", "SO_PEERCRED", "SO_BINDTODEVICE"):
            self.assertFalse(hasattr(socket, name), name)

    def test_options(self):
        s = self.connected("echo")
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.assertEqual(s.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY), 1)
        self.assertEqual(s.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE), socket.SOCK_STREAM)
        self.assertEqual(s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR), 0)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, True)
        self.assertEqual(len(s.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 4)), 4)

    def test_server_in_guest(self):
        # bind/listen/accept, with the guest's own client (the connection
        # waits in the backlog until accept).
        srv = socket.create_server((self.host, 0), family=FAMILY[self.FAMILY])
        self.addCleanup(srv.close)
        port = srv.getsockname()[1]
        self.assertGreater(port, 0)
        c = socket.create_connection((self.host, port), timeout=10)
        self.addCleanup(c.close)
        conn, addr = srv.accept()
        self.addCleanup(conn.close)
        self.assertEqual(addr, c.getsockname())
        self.assertEqual(conn.getpeername(), c.getsockname())
        self.assertIsNone(conn.gettimeout())
        c.sendall(b"to server")
        self.assertEqual(support.recv_exactly(conn.recv, 9), b"to server")
        conn.sendall(b"to client")
        self.assertEqual(support.recv_exactly(c.recv, 9), b"to client")
        srv.settimeout(0.1)
        with self.assertRaises(TimeoutError):
            srv.accept()

    def test_server_native_client(self):
        # A native client (the harness's peer) talks to a server in the guest.
        srv = socket.create_server(("127.0.0.1", 0))
        self.addCleanup(srv.close)
        srv.settimeout(peer.TIMEOUT)
        payload = os.urandom(300_000)
        req = peer.tcp(srv.getsockname()[1], payload)
        conn, _ = srv.accept()
        with conn:
            conn.settimeout(peer.TIMEOUT)
            got = support.recv_all(conn.recv)
            conn.sendall(got[::-1])
        self.assertEqual(got, payload)
        self.assertEqual(req.result()["received"], payload[::-1])

    def test_sendall_timeout_whole_call(self):
        # Nobody reads: sendall fills the buffers, then gives up after the
        # timeout, counted over the whole call.
        srv = socket.create_server((self.host, 0), family=FAMILY[self.FAMILY])
        self.addCleanup(srv.close)
        c = socket.create_connection((self.host, srv.getsockname()[1]), timeout=0.5)
        self.addCleanup(c.close)
        conn, _ = srv.accept()
        self.addCleanup(conn.close)
        start = time.monotonic()
        with self.assertRaises(TimeoutError) as cm:
            c.sendall(bytes(64 * 1024 * 1024))
        elapsed = time.monotonic() - start
        self.assertEqual(str(cm.exception), "timed out")
        self.assertGreaterEqual(elapsed, 0.4)
        self.assertLess(elapsed, 5)
        self.assertEqual(c.gettimeout(), 0.5)

    def test_udp(self):
        u = socket.socket(FAMILY[self.FAMILY], socket.SOCK_DGRAM)
        self.addCleanup(u.close)
        u.settimeout(10)
        dest = (self.host, self.srv["udp_echo"])
        self.assertEqual(u.sendto(b"datagram", dest), 8)
        data, addr = u.recvfrom(100)
        self.assertEqual(data, b"datagram")
        self.assertEqual(addr[:2], dest)
        u.sendto(b"into", 0, dest)
        buf = bytearray(10)
        n, addr = u.recvfrom_into(buf)
        self.assertEqual((buf[:n], addr[:2]), (b"into", dest))
        u.connect(dest)
        u.send(b"connected")
        self.assertEqual(u.recv(100), b"connected")
        self.assertEqual(u.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE), socket.SOCK_DGRAM)


class StreamTestV6(StreamTestV4):
    FAMILY = "v6"


class LocalTest(unittest.TestCase):
    def test_create_connection_by_name(self):
        with socket.create_connection(("localhost", support.DUAL["echo"]), timeout=10) as s:
            s.sendall(b"by name")
            self.assertEqual(support.recv_exactly(s.recv, 7), b"by name")

    def test_socketpair(self):
        a, b = socket.socketpair()
        with a, b:
            a.sendall(b"pair")
            self.assertEqual(support.recv_exactly(b.recv, 4), b"pair")
            b.sendall(b"back")
            self.assertEqual(support.recv_exactly(a.recv, 4), b"back")

    def test_select_and_poll(self):
        a, b = socket.socketpair()
        with a, b:
            self.assertEqual(select.select([a], [], [], 0), ([], [], []))
            r, w, x = select.select([a, b], [a], [], 1)
            self.assertEqual((r, w, x), ([], [a], []))
            b.send(b"!")
            self.assertEqual(select.select([a, b], [], [], 5)[0], [a])
            p = select.poll()
            p.register(a, select.POLLIN)
            p.register(b.fileno(), select.POLLOUT)
            self.assertEqual(sorted(p.poll(1000)), sorted([(a.fileno(), select.POLLIN), (b.fileno(), select.POLLOUT)]))
            p.modify(b, select.POLLIN)
            self.assertEqual(p.poll(0), [(a.fileno(), select.POLLIN)])
            p.unregister(a)
            start = time.monotonic()
            self.assertEqual(p.poll(100), [])
            self.assertGreaterEqual(time.monotonic() - start, 0.08)
            with self.assertRaises(KeyError):
                p.unregister(a)
            with self.assertRaises(FileNotFoundError):
                p.modify(a, select.POLLIN)
            fd = a.fileno()
            a.close()
            p2 = select.poll()
            p2.register(fd, select.POLLIN)
            self.assertEqual(p2.poll(1000), [(fd, select.POLLNVAL)])

    def test_select_regular_fd_is_ready(self):
        # The harness's stdin is /dev/null and stdout a pipe or file: ready
        # at once, as poll() answers for them, alone and beside a socket.
        # Each is asked alone: wasmtime learns that stdin is readable from a
        # reader thread, so one select over both may return as soon as
        # stdout alone is ready (as POSIX allows for a device).
        self.assertEqual(select.select([0], [], [], 5)[:2], ([0], []))
        self.assertEqual(select.select([], [1], [], 5)[:2], ([], [1]))
        a, b = socket.socketpair()
        with a, b:
            self.assertEqual(select.select([a, 0], [], [], 5)[0], [0])

    def test_select_selector(self):
        # selectors.SelectSelector: select.select is a built-in function,
        # so the class attribute does not become a method.
        a, b = socket.socketpair()
        with a, b, selectors.SelectSelector() as sel:
            sel.register(a, selectors.EVENT_READ, "a")
            self.assertEqual(sel.select(0), [])
            b.send(b"s")
            self.assertEqual([(k.data, ev) for k, ev in sel.select(5)], [("a", selectors.EVENT_READ)])

    def test_selectors(self):
        a, b = socket.socketpair()
        sel = selectors.DefaultSelector()
        with a, b, sel:
            sel.register(a, selectors.EVENT_READ, "a")
            sel.register(b, selectors.EVENT_WRITE, "b")
            events = sel.select(5)
            self.assertEqual([(k.data, ev) for k, ev in events], [("b", selectors.EVENT_WRITE)])
            b.send(b"x")
            sel.modify(b, selectors.EVENT_READ, "b")
            events = sel.select(5)
            self.assertEqual([(k.data, ev) for k, ev in events], [("a", selectors.EVENT_READ)])
            self.assertEqual(a.recv(1), b"x")
            self.assertEqual(sel.select(0.05), [])


if __name__ == "__main__":
    unittest.main()
