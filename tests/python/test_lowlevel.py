"""The built-in _wasisocket module: every function, its errors and arguments."""

import array
import errno
import inspect
import os
import unittest

import _wasisocket as low

import support

LOOP4 = bytes([127, 0, 0, 1])
LOOP6 = bytes(15) + b"\x01"
FAMILY = {"v4": low.AF_INET, "v6": low.AF_INET6}
ADDR = {"v4": LOOP4, "v6": LOOP6}


class ModuleTest(unittest.TestCase):
    def test_running_inside_webassembly(self):
        if getattr(low, "__file__", None):
            self.skipTest(f"a stand-in _wasisocket ({low.__file__}), not python.wasm")
        import sys

        self.assertEqual(sys.platform, "wasi")
        self.assertIn("_wasisocket", sys.builtin_module_names)

    def test_constants_are_wasi_libc_values(self):
        self.assertEqual(
            (low.AF_INET, low.AF_INET6, low.SOCK_STREAM, low.SOCK_DGRAM), (1, 2, 6, 5)
        )
        try:
            import socket
        except ImportError:
            return
        # python.wasm's own socket module sees the same wasi-libc headers.
        self.assertEqual(socket.AF_INET, low.AF_INET)
        self.assertEqual(socket.AF_INET6, low.AF_INET6)
        self.assertEqual(socket.SOCK_STREAM, low.SOCK_STREAM)
        self.assertEqual(socket.SOCK_DGRAM, low.SOCK_DGRAM)

    def test_abi_version(self):
        self.assertIsInstance(low.abi_version(), int)
        self.assertGreaterEqual(low.abi_version(), low.ABI_REVISION)
        self.assertGreaterEqual(low.ABI_REVISION, 1)

    def test_signatures(self):
        expected = {
            "abi_version": "()",
            "sock_open": "(family, type, /)",
            "sock_resolve": "(host, port, /)",
            "sock_connect": "(handle, family, port, addr_bytes, /)",
            "sock_send": "(handle, data, /)",
            "sock_recv": "(handle, n, flags=0, /)",
            "sock_recv_into": "(handle, buffer, nbytes=0, flags=0, /)",
            "sock_close": "(handle, /)",
            # Revision 2.
            "sock_bind": "(handle, family, port, addr_bytes, /)",
            "sock_listen": "(handle, backlog, /)",
            "sock_accept": "(handle, /)",
            "sock_send_to": "(handle, data, family, port, addr_bytes, flags=0, /)",
            "sock_recv_from": "(handle, n, flags=0, /)",
            "sock_recv_from_into": "(handle, buffer, nbytes=0, flags=0, /)",
            "sock_shutdown": "(handle, how, /)",
            "sock_getsockopt": "(handle, level, name, /)",
            "sock_setsockopt": "(handle, level, name, value, /)",
            "sock_local_addr": "(handle, /)",
            "sock_peer_addr": "(handle, /)",
            "sock_set_timeout": "(handle, timeout, /)",
            "sock_get_timeout": "(handle, /)",
            "sock_poll": "(handles_events, timeout=None, /)",
        }
        for name, sig in expected.items():
            with self.subTest(name):
                func = getattr(low, name)
                self.assertEqual(str(inspect.signature(func)), sig)
                self.assertTrue(func.__doc__.strip())
        self.assertTrue(low.__doc__)

    def test_gaierror(self):
        self.assertTrue(issubclass(low.gaierror, OSError))
        try:
            import _socket
        except ImportError:
            self.assertEqual(low.gaierror.__module__, "_wasisocket")
        else:
            self.assertIs(low.gaierror, _socket.gaierror)
        for name in ("EAI_NONAME", "EAI_AGAIN", "EAI_FAIL", "EAI_MEMORY"):
            self.assertIsInstance(getattr(low, name), int)

    def test_module_is_reimportable(self):
        # Multi-phase init: a fresh module object gets fresh state.
        import importlib.util
        import sys

        spec = importlib.util.find_spec("_wasisocket")
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        self.assertIsNot(mod, sys.modules["_wasisocket"])
        self.assertTrue(issubclass(mod.gaierror, OSError))
        self.assertEqual(mod.sock_resolve("127.0.0.1", 7), [(low.AF_INET, 7, LOOP4)])


class ResolveTest(unittest.TestCase):
    def test_numeric_ipv4(self):
        self.assertEqual(low.sock_resolve("127.0.0.1", 80), [(low.AF_INET, 80, LOOP4)])
        self.assertEqual(low.sock_resolve("10.1.2.3", 1), [(low.AF_INET, 1, b"\n\x01\x02\x03")])

    def test_numeric_ipv6(self):
        self.assertEqual(low.sock_resolve("::1", 443), [(low.AF_INET6, 443, LOOP6)])
        want = bytes.fromhex("20010db8000000000000000000000042")
        self.assertEqual(low.sock_resolve("2001:db8::42", 8), [(low.AF_INET6, 8, want)])

    def test_localhost(self):
        addrs = low.sock_resolve("localhost", 8080)
        self.assertTrue(addrs)
        self.assertEqual(len(addrs), len(set(addrs)), "duplicates")
        for family, port, addr in addrs:
            self.assertIn(family, (low.AF_INET, low.AF_INET6))
            self.assertEqual(port, 8080)
            self.assertIsInstance(addr, bytes)
            self.assertEqual(len(addr), 4 if family == low.AF_INET else 16)
            self.assertIn(addr, (LOOP4, LOOP6))

    def test_port_edges_pass_through(self):
        for port in (0, 1, 80, 65535):
            self.assertEqual(low.sock_resolve("127.0.0.1", port)[0][1], port)

    def test_bytes_and_bytearray_host(self):
        self.assertEqual(low.sock_resolve(b"127.0.0.1", 5), [(low.AF_INET, 5, LOOP4)])
        self.assertEqual(low.sock_resolve(bytearray(b"::1"), 5), [(low.AF_INET6, 5, LOOP6)])

    def test_invalid_name_raises_gaierror(self):
        with self.assertRaises(low.gaierror) as cm:
            low.sock_resolve("nonexistent.invalid", 80)
        exc = cm.exception
        self.assertIsInstance(exc, OSError)
        self.assertIn(exc.errno, (low.EAI_NONAME, low.EAI_AGAIN, low.EAI_FAIL))
        self.assertTrue(exc.strerror)
        # socket.gaierror catches it too.
        try:
            import socket
        except ImportError:
            return
        with self.assertRaises(socket.gaierror):
            low.sock_resolve("another.name.invalid", 80)

    def test_bad_port(self):
        for port in (-1, 65536, 2**64):
            with self.subTest(port=port), self.assertRaises(ValueError):
                low.sock_resolve("127.0.0.1", port)
        for port in ("80", 80.0, None):
            with self.subTest(port=port), self.assertRaises(TypeError):
                low.sock_resolve("127.0.0.1", port)

    def test_bad_host(self):
        for host in ("", "a\0b", b"", "x" * 256):
            with self.subTest(host=host[:10]), self.assertRaises(ValueError):
                low.sock_resolve(host, 80)
        for host in (None, 127, ["localhost"]):
            with self.subTest(host=host), self.assertRaises(TypeError):
                low.sock_resolve(host, 80)

    def test_bad_argument_count(self):
        with self.assertRaises(TypeError):
            low.sock_resolve("localhost")
        with self.assertRaises(TypeError):
            low.sock_resolve("localhost", 1, 2)


class OpenCloseTest(unittest.TestCase):
    def test_open_every_kind(self):
        fds = []
        try:
            for af in (low.AF_INET, low.AF_INET6):
                for st in (low.SOCK_STREAM, low.SOCK_DGRAM):
                    fd = low.sock_open(af, st)
                    self.assertIsInstance(fd, int)
                    self.assertGreater(fd, 0)
                    fds.append(fd)
            self.assertEqual(len(set(fds)), len(fds))
        finally:
            for fd in fds:
                low.sock_close(fd)

    def test_close_twice_is_ebadf(self):
        fd = low.sock_open(low.AF_INET, low.SOCK_STREAM)
        low.sock_close(fd)
        with self.assertRaises(OSError) as cm:
            low.sock_close(fd)
        self.assertEqual(cm.exception.errno, errno.EBADF)

    def test_many_open_and_close(self):
        for _ in range(200):
            low.sock_close(low.sock_open(low.AF_INET, low.SOCK_STREAM))

    def test_bad_family_and_type(self):
        for af, st in ((0, low.SOCK_STREAM), (99, low.SOCK_STREAM), (-1, low.SOCK_STREAM),
                       (low.AF_INET, 0), (low.AF_INET, 1), (low.AF_INET, 99)):
            with self.subTest(af=af, type=st), self.assertRaises(ValueError):
                low.sock_open(af, st)
        with self.assertRaises(TypeError):
            low.sock_open("1", low.SOCK_STREAM)
        with self.assertRaises(TypeError):
            low.sock_open(low.AF_INET)

    def test_bad_handles(self):
        for fd in (-1, -(2**40), 2**32, 2**70):
            for call in (lambda: low.sock_close(fd), lambda: low.sock_recv(fd, 1),
                         lambda: low.sock_send(fd, b"x"),
                         lambda: low.sock_connect(fd, low.AF_INET, 1, LOOP4)):
                with self.subTest(fd=fd), self.assertRaises(OSError) as cm:
                    call()
                self.assertEqual(cm.exception.errno, errno.EBADF)
        for fd in ("3", 3.0, None, b"3"):
            with self.subTest(fd=fd), self.assertRaises(TypeError):
                low.sock_close(fd)
            with self.subTest(fd=fd), self.assertRaises(TypeError):
                low.sock_recv(fd, 1)


class StreamTestV4(support.BothFamilies, unittest.TestCase):
    FAMILY = "v4"

    def open(self, type_=low.SOCK_STREAM):
        fd = low.sock_open(FAMILY[self.FAMILY], type_)
        self.addCleanup(_close_quietly, fd)
        return fd

    def connected(self, server, type_=low.SOCK_STREAM):
        fd = self.open(type_)
        low.sock_connect(fd, FAMILY[self.FAMILY], self.srv[server], ADDR[self.FAMILY])
        return fd

    def test_echo(self):
        fd = self.connected("echo")
        self.assertEqual(low.sock_send(fd, b"hello, wasisock"), 15)
        self.assertEqual(support.recv_exactly(lambda n: low.sock_recv(fd, n), 15), b"hello, wasisock")

    def test_connect_through_resolved_record(self):
        fd = self.open()
        (record,) = low.sock_resolve(self.host, self.srv["echo"])
        low.sock_connect(fd, *record)
        low.sock_send(fd, b"ping")
        self.assertEqual(support.recv_exactly(lambda n: low.sock_recv(fd, n), 4), b"ping")

    def test_send_any_bytes_like(self):
        fd = self.connected("echo")
        ints = array.array("i", [1, 2, 3, -1])
        big = bytearray(b"0123456789")
        cases = [
            b"bytes",
            bytearray(b"bytearray"),
            memoryview(b"memoryview"),
            memoryview(big)[2:7],
            ints,
            memoryview(ints),
        ]
        for data in cases:
            with self.subTest(type=type(data).__name__):
                view = memoryview(data).cast("B")
                want, sent = view.tobytes(), 0
                while sent < len(view):
                    sent += low.sock_send(fd, view[sent:])
                got = support.recv_exactly(lambda n: low.sock_recv(fd, n), len(want))
                self.assertEqual(got, want)

    def test_send_rejects_str_and_non_buffers(self):
        fd = self.connected("echo")
        for data in ("text", 5, None, [1, 2]):
            with self.subTest(data=data), self.assertRaises(TypeError):
                low.sock_send(fd, data)

    def test_send_empty(self):
        fd = self.connected("echo")
        self.assertEqual(low.sock_send(fd, b""), 0)
        low.sock_send(fd, b"after")
        self.assertEqual(support.recv_exactly(lambda n: low.sock_recv(fd, n), 5), b"after")

    def test_recv_types_and_sizes(self):
        fd = self.connected("echo")
        low.sock_send(fd, b"abcdef")
        first = low.sock_recv(fd, 1)
        self.assertIs(type(first), bytes)
        self.assertEqual(first, b"a")
        rest = support.recv_exactly(lambda n: low.sock_recv(fd, n), 5)
        self.assertEqual(rest, b"bcdef")

    def test_recv_zero_bytes(self):
        fd = self.connected("echo")
        low.sock_send(fd, b"xyz")
        self.assertEqual(low.sock_recv(fd, 0), b"")
        self.assertEqual(support.recv_exactly(lambda n: low.sock_recv(fd, n), 3), b"xyz")

    def test_recv_bad_size(self):
        fd = self.connected("echo")
        with self.assertRaises(ValueError):
            low.sock_recv(fd, -1)
        with self.assertRaises(TypeError):
            low.sock_recv(fd, "1")
        with self.assertRaises(TypeError):
            low.sock_recv(fd, 1.0)

    def test_recv_into(self):
        fd = self.connected("echo")
        low.sock_send(fd, b"0123456789")
        buf = bytearray(4)
        self.assertEqual(low.sock_recv_into(fd, buf), 4)
        self.assertEqual(buf, b"0123")
        # nbytes smaller than the buffer; a memoryview slice lands at its offset.
        big = bytearray(b"." * 8)
        n = low.sock_recv_into(fd, memoryview(big)[2:], 3)
        self.assertEqual(n, 3)
        self.assertEqual(big, b"..456...")
        arr = array.array("b", [0] * 3)
        self.assertEqual(low.sock_recv_into(fd, arr, 3), 3)
        self.assertEqual(arr.tobytes(), b"789")

    def test_recv_into_bad_arguments(self):
        fd = self.connected("echo")
        with self.assertRaises(TypeError):
            low.sock_recv_into(fd, b"readonly")
        with self.assertRaises(TypeError):
            low.sock_recv_into(fd, memoryview(b"readonly"))
        with self.assertRaises(ValueError):
            low.sock_recv_into(fd, bytearray(4), 5)
        with self.assertRaises(ValueError):
            low.sock_recv_into(fd, bytearray(4), -1)

    def test_banner_then_eof(self):
        fd = self.connected("banner")
        got = support.recv_all(lambda n: low.sock_recv(fd, n))
        self.assertEqual(got, support.BANNER)
        self.assertEqual(low.sock_recv(fd, 100), b"")
        self.assertEqual(low.sock_recv_into(fd, bytearray(10)), 0)

    def test_connection_refused(self):
        fd = self.open()
        with self.assertRaises(ConnectionRefusedError) as cm:
            low.sock_connect(fd, FAMILY[self.FAMILY], self.srv["refused"], ADDR[self.FAMILY])
        self.assertEqual(cm.exception.errno, errno.ECONNREFUSED)
        self.assertEqual(cm.exception.strerror, os.strerror(errno.ECONNREFUSED))

    def test_connect_other_family_address(self):
        fd = self.open()
        other = "v6" if self.FAMILY == "v4" else "v4"
        with self.assertRaises(OSError) as cm:
            low.sock_connect(fd, FAMILY[other], 9, ADDR[other])
        self.assertEqual(cm.exception.errno, errno.EAFNOSUPPORT)

    def test_connect_bad_arguments(self):
        fd = self.open()
        af = FAMILY[self.FAMILY]
        for args in ((af, 80, b"\x7f\0\0"), (af, 80, bytes(17)), (af, 80, b""),
                     (low.AF_INET, 80, LOOP6), (low.AF_INET6, 80, LOOP4),
                     (0, 80, LOOP4), (99, 80, LOOP4), (257, 80, LOOP4),
                     (af, -1, ADDR[self.FAMILY]), (af, 65536, ADDR[self.FAMILY])):
            with self.subTest(args=args), self.assertRaises(ValueError):
                low.sock_connect(fd, *args)
        for args in ((af, "80", ADDR[self.FAMILY]), (af, 80, "127.0.0.1"),
                     (af, 80, None), ("1", 80, ADDR[self.FAMILY])):
            with self.subTest(args=args), self.assertRaises(TypeError):
                low.sock_connect(fd, *args)

    def test_use_after_close(self):
        fd = self.connected("echo")
        low.sock_close(fd)
        calls = {
            "send": lambda: low.sock_send(fd, b"x"),
            "recv": lambda: low.sock_recv(fd, 1),
            "recv_into": lambda: low.sock_recv_into(fd, bytearray(1)),
            "connect": lambda: low.sock_connect(fd, FAMILY[self.FAMILY], self.srv["echo"], ADDR[self.FAMILY]),
            "close": lambda: low.sock_close(fd),
        }
        for name, call in calls.items():
            with self.subTest(name), self.assertRaises(OSError) as cm:
                call()
            self.assertEqual(cm.exception.errno, errno.EBADF)
            self.assertEqual(type(cm.exception), OSError)

    def test_http_get(self):
        # The seed README's low-level example, against the local server.
        fd = self.open()
        family, port, addr_bytes = low.sock_resolve(self.host, self.srv["http"])[0]
        low.sock_connect(fd, family, port, addr_bytes)
        request = f"GET /hello HTTP/1.0\r\nHost: {self.host}\r\n\r\n".encode()
        self.assertEqual(low.sock_send(fd, request), len(request))
        response = support.recv_all(lambda n: low.sock_recv(fd, n), 4096)
        self.assertTrue(response.startswith(b"HTTP/1.0 200"), response[:40])
        self.assertTrue(response.endswith(b"\r\n\r\n" + support.HELLO_BODY))

    def test_udp_round_trip(self):
        fd = self.connected("udp_echo", low.SOCK_DGRAM)
        for payload in (b"datagram one", b"two", bytes(range(256)) * 4):
            self.assertEqual(low.sock_send(fd, payload), len(payload))
            self.assertEqual(low.sock_recv(fd, 65535), payload)
        # A datagram is truncated to the buffer.
        low.sock_send(fd, b"0123456789")
        self.assertEqual(low.sock_recv(fd, 4), b"0123")

    def test_bulk_upload_16mib(self):
        data = os.urandom(support.BULK_SIZE)
        fd = self.connected("bulk")
        low.sock_send(fd, f"UP {len(data)}\n".encode())
        view, sent = memoryview(data), 0
        while sent < len(view):
            sent += low.sock_send(fd, view[sent:])
        reply = support.recv_line(lambda n: low.sock_recv(fd, n)).split()
        self.assertEqual(int(reply[0]), len(data))
        self.assertEqual(reply[1].decode(), support.sha256(data))

    def test_bulk_download_16mib(self):
        fd = self.connected("bulk")
        low.sock_send(fd, f"DOWN {support.BULK_SIZE} 7\n".encode())
        want = support.recv_line(lambda n: low.sock_recv(fd, n)).strip().decode()
        data = support.recv_all(lambda n: low.sock_recv(fd, n), 1 << 20)
        self.assertEqual(len(data), support.BULK_SIZE)
        self.assertEqual(support.sha256(data), want)


class StreamTestV6(StreamTestV4):
    FAMILY = "v6"


class Revision2Test(unittest.TestCase):
    """The revision-2 functions: shapes of results, argument errors, EBADF."""

    def open(self, family=low.AF_INET, type_=low.SOCK_STREAM):
        fd = low.sock_open(family, type_)
        self.addCleanup(_close_quietly, fd)
        return fd

    def test_constants(self):
        self.assertGreaterEqual(low.ABI_REVISION, 2)  # a later header may say more
        self.assertGreaterEqual(low.abi_version(), 2)
        self.assertEqual((low.SOL_SOCKET, low.IPPROTO_TCP, low.IPPROTO_IPV6),
                         (0x7FFFFFFF, 6, 41))
        self.assertEqual((low.SHUT_RD, low.SHUT_WR, low.SHUT_RDWR), (1, 2, 3))
        self.assertEqual((low.MSG_PEEK, low.MSG_WAITALL), (1, 2))
        self.assertEqual((low.POLLIN, low.POLLOUT), (1, 2))
        self.assertEqual(low.TIMEOUT_NONE, 0xFFFFFFFF)
        self.assertEqual(low.AF_UNSPEC, 0)
        for name in ("SO_REUSEADDR", "SO_TYPE", "SO_ERROR", "SO_BROADCAST", "SO_SNDBUF",
                     "SO_RCVBUF", "SO_KEEPALIVE", "SO_ACCEPTCONN", "TCP_NODELAY",
                     "IPV6_V6ONLY", "POLLERR", "POLLHUP", "POLLNVAL", "POLL_MAX"):
            self.assertIsInstance(getattr(low, name), int, name)
        try:
            import select
        except ImportError:
            return
        # python.wasm's select module sees the same wasi-libc <poll.h>.
        for name in ("POLLIN", "POLLOUT", "POLLERR", "POLLHUP", "POLLNVAL"):
            if hasattr(select, name):
                self.assertEqual(getattr(select, name), getattr(low, name), name)

    def test_server_round_trip(self):
        srv = self.open()
        low.sock_setsockopt(srv, low.SOL_SOCKET, low.SO_REUSEADDR, 1)
        low.sock_bind(srv, low.AF_INET, 0, LOOP4)
        low.sock_listen(srv, 5)
        family, port, addr = low.sock_local_addr(srv)
        self.assertEqual((family, addr), (low.AF_INET, LOOP4))
        c = self.open()
        low.sock_connect(c, low.AF_INET, port, LOOP4)
        fd, peer = low.sock_accept(srv)
        self.addCleanup(_close_quietly, fd)
        self.assertIsInstance(fd, int)
        self.assertEqual(peer, low.sock_local_addr(c))
        self.assertEqual(low.sock_peer_addr(fd), peer)
        self.assertEqual(low.sock_peer_addr(c), (low.AF_INET, port, LOOP4))
        self.assertEqual(low.sock_send(c, b"abc"), 3)
        self.assertEqual(low.sock_recv(fd, 3, low.MSG_WAITALL), b"abc")
        low.sock_send(c, b"de")
        buf = bytearray(4)
        self.assertEqual(low.sock_recv_into(fd, buf, 2, low.MSG_WAITALL), 2)
        low.sock_send(c, b"fg")
        self.assertEqual(low.sock_recv_from(fd, 2, low.MSG_WAITALL), (b"fg", None))
        low.sock_shutdown(c, low.SHUT_WR)
        self.assertEqual(low.sock_recv_from_into(fd, buf), (0, None))

    def test_datagram_addresses(self):
        a, b = self.open(type_=low.SOCK_DGRAM), self.open(type_=low.SOCK_DGRAM)
        low.sock_bind(a, low.AF_INET, 0, LOOP4)
        dest = low.sock_local_addr(a)
        self.assertEqual(low.sock_send_to(b, memoryview(b"xyz"), *dest), 3)
        data, sender = low.sock_recv_from(a, 10)
        self.assertEqual(data, b"xyz")
        self.assertEqual(sender[0], low.AF_INET)
        self.assertEqual(sender[2], LOOP4)
        self.assertEqual(sender[1], low.sock_local_addr(b)[1])
        low.sock_send_to(b, b"12345", *dest, 0)
        buf = bytearray(3)
        self.assertEqual(low.sock_recv_from_into(a, buf), (3, sender))
        self.assertEqual(buf, b"123")  # truncated datagram

    def test_timeouts(self):
        fd = self.open()
        self.assertIsNone(low.sock_get_timeout(fd))
        for value, want in ((0, 0.0), (0.25, 0.25), (1, 1.0), (0.0004, 0.001), (None, None)):
            with self.subTest(value=value):
                low.sock_set_timeout(fd, value)
                self.assertEqual(low.sock_get_timeout(fd), want)
        for bad, exc in ((-0.5, ValueError), (float("nan"), ValueError), ("1", TypeError),
                         (5e9, OverflowError)):
            with self.subTest(bad=bad), self.assertRaises(exc):
                low.sock_set_timeout(fd, bad)

    def test_argument_errors(self):
        fd = self.open()
        cases = [
            (TypeError, lambda: low.sock_bind(fd, low.AF_INET, 0)),
            (ValueError, lambda: low.sock_bind(fd, low.AF_INET, 0, LOOP6)),
            (ValueError, lambda: low.sock_bind(fd, 9, 0, LOOP4)),
            (ValueError, lambda: low.sock_bind(fd, low.AF_INET, 70000, LOOP4)),
            (TypeError, lambda: low.sock_bind(fd, low.AF_INET, "0", LOOP4)),
            (TypeError, lambda: low.sock_listen(fd, "5")),
            (OverflowError, lambda: low.sock_listen(fd, 2**40)),
            (TypeError, lambda: low.sock_accept("3")),
            (TypeError, lambda: low.sock_send_to(fd, "str", low.AF_INET, 1, LOOP4)),
            (ValueError, lambda: low.sock_send_to(fd, b"x", low.AF_INET, 1, LOOP4, -1)),
            (TypeError, lambda: low.sock_recv_from(fd, 1, "0")),
            (ValueError, lambda: low.sock_recv_from(fd, -1)),
            (ValueError, lambda: low.sock_recv_from_into(fd, bytearray(2), 3)),
            (TypeError, lambda: low.sock_recv_from_into(fd, b"ro")),
            (TypeError, lambda: low.sock_shutdown(fd, None)),
            (TypeError, lambda: low.sock_getsockopt(fd, low.SOL_SOCKET)),
            (TypeError, lambda: low.sock_setsockopt(fd, low.SOL_SOCKET, low.SO_REUSEADDR, "1")),
            (TypeError, lambda: low.sock_local_addr(None)),
            (TypeError, lambda: low.sock_get_timeout(1.5)),
        ]
        for exc, call in cases:
            with self.subTest(call=call.__code__.co_positions), self.assertRaises(exc):
                call()
        # Bad flags reach the host, which refuses them.
        for call in (lambda: low.sock_send_to(fd, b"x", low.AF_INET, 1, LOOP4, 1),
                     lambda: low.sock_recv(fd, 1, 0x80),
                     lambda: low.sock_recv(fd, 1, low.MSG_PEEK | low.MSG_WAITALL)):
            with self.assertRaises(OSError) as cm:
                call()
            self.assertEqual(cm.exception.errno, errno.EINVAL)

    def test_ebadf_everywhere(self):
        fd = low.sock_open(low.AF_INET, low.SOCK_STREAM)
        low.sock_close(fd)
        calls = {
            "sock_bind": lambda: low.sock_bind(fd, low.AF_INET, 0, LOOP4),
            "sock_listen": lambda: low.sock_listen(fd, 1),
            "sock_accept": lambda: low.sock_accept(fd),
            "sock_send_to": lambda: low.sock_send_to(fd, b"x", low.AF_INET, 1, LOOP4),
            "sock_recv_from": lambda: low.sock_recv_from(fd, 1),
            "sock_recv_from_into": lambda: low.sock_recv_from_into(fd, bytearray(1)),
            "sock_shutdown": lambda: low.sock_shutdown(fd, low.SHUT_RDWR),
            "sock_getsockopt": lambda: low.sock_getsockopt(fd, low.SOL_SOCKET, low.SO_TYPE),
            "sock_setsockopt": lambda: low.sock_setsockopt(fd, low.SOL_SOCKET, low.SO_REUSEADDR, 1),
            "sock_local_addr": lambda: low.sock_local_addr(fd),
            "sock_peer_addr": lambda: low.sock_peer_addr(fd),
            "sock_set_timeout": lambda: low.sock_set_timeout(fd, 1),
            "sock_get_timeout": lambda: low.sock_get_timeout(fd),
        }
        for name, call in calls.items():
            with self.subTest(name), self.assertRaises(OSError) as cm:
                call()
            self.assertEqual(cm.exception.errno, errno.EBADF)
        for bad in (-1, 2**32):
            with self.assertRaises(OSError) as cm:
                low.sock_accept(bad)
            self.assertEqual(cm.exception.errno, errno.EBADF)

    def test_poll_reuses_its_buffer_across_sizes(self):
        fds = [self.open() for _ in range(70)]
        for n in (1, 70, 3, 0):
            subs = [(fd, low.POLLOUT) for fd in fds[:n]]
            ready = low.sock_poll(subs, 0)
            # An unconnected TCP socket reports POLLOUT or a hang-up.
            self.assertEqual([fd for fd, _ in ready], fds[:n])


def _close_quietly(fd):
    try:
        low.sock_close(fd)
    except OSError:
        pass


if __name__ == "__main__":
    unittest.main()
