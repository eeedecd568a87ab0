"""ABI revision 2 in python.wasm: servers, datagrams with addresses, options.

Servers run inside the guest; native clients come from the harness's peer
service (op "clients"), the guest's own sockets, or the harness servers.
"""

import base64
import errno
import json
import time
import unittest

import wasisocket
from wasisocket.selectors import EVENT_READ, WasisockSelector

import support

FAMILY = {"v4": wasisocket.AF_INET, "v6": wasisocket.AF_INET6}


def ask_peer(request):
    """Send one request to the harness's native peer and return the socket
    the reply will come on (the guest serves in the meantime)."""
    s = wasisocket.create_connection(("127.0.0.1", support.CONFIG["peer"]), timeout=60)
    s.sendall(json.dumps(request).encode() + b"\n")
    return s


def peer_reply(sock):
    with sock:
        line = support.recv_line(sock.recv)
    reply = json.loads(line)
    if not reply.pop("ok"):
        raise AssertionError("native peer: " + reply["error"])
    return reply


class ServerTest(support.BothFamilies, unittest.TestCase):
    def server(self, backlog=None):
        srv = wasisocket.create_server((self.host, 0), family=FAMILY[self.FAMILY],
                                       backlog=backlog)
        self.addCleanup(srv.close)
        return srv

    def test_getsockname_after_bind_port_0(self):
        s = wasisocket.Socket(FAMILY[self.FAMILY])
        self.addCleanup(s.close)
        any_host = "0.0.0.0" if self.FAMILY == "v4" else "::"
        self.assertEqual(s.getsockname()[:2], (any_host, 0))
        s.bind((self.host, 0))
        name = s.getsockname()
        self.assertEqual(name[0], self.host)
        self.assertGreater(name[1], 0)
        if self.FAMILY == "v6":
            self.assertEqual(name[2:], (0, 0))
        else:
            self.assertEqual(len(name), 2)
        with self.assertRaises(OSError) as cm:
            s.bind((self.host, 0))  # bound already
        self.assertEqual(cm.exception.errno, errno.EINVAL)

    def test_bind_in_use(self):
        srv = self.server()
        s = wasisocket.Socket(FAMILY[self.FAMILY])
        self.addCleanup(s.close)
        with self.assertRaises(OSError) as cm:
            s.bind(srv.getsockname())
        self.assertEqual(cm.exception.errno, errno.EADDRINUSE)
        with self.assertRaises(OSError) as cm:
            wasisocket.create_server(srv.getsockname()[:2], family=FAMILY[self.FAMILY])
        self.assertEqual(cm.exception.errno, errno.EADDRINUSE)
        self.assertIn("while attempting to bind", str(cm.exception))

    def test_accept_peer_address(self):
        srv = self.server()
        c = wasisocket.create_connection(srv.getsockname()[:2])
        self.addCleanup(c.close)
        conn, peer = srv.accept()
        self.addCleanup(conn.close)
        self.assertIsInstance(conn, wasisocket.Socket)
        self.assertEqual(peer, c.getsockname())
        self.assertEqual(conn.getpeername(), c.getsockname())
        self.assertEqual(conn.getsockname(), c.getpeername())
        self.assertEqual(conn.family, FAMILY[self.FAMILY])
        self.assertIsNone(conn.gettimeout())
        self.assertIn("raddr=", repr(conn))
        c.sendall(b"ping")
        self.assertEqual(conn.recv(4), b"ping")

    def test_accepted_socket_blocks_whatever_the_listener(self):
        srv = self.server()
        srv.settimeout(5)
        c = wasisocket.create_connection(srv.getsockname()[:2])
        self.addCleanup(c.close)
        conn, _ = srv.accept()
        self.addCleanup(conn.close)
        self.assertIsNone(conn.gettimeout())
        self.assertTrue(conn.getblocking())

    def test_shutdown_wr_peer_sees_eof(self):
        srv = self.server()
        c = wasisocket.create_connection(srv.getsockname()[:2])
        self.addCleanup(c.close)
        conn, _ = srv.accept()
        self.addCleanup(conn.close)
        c.sendall(b"last words")
        c.shutdown(wasisocket.SHUT_WR)
        self.assertEqual(support.recv_all(conn.recv), b"last words")
        # The other direction still works.
        conn.sendall(b"reply")
        conn.shutdown(wasisocket.SHUT_RDWR)
        self.assertEqual(support.recv_all(c.recv), b"reply")
        with self.assertRaises(OSError) as cm:
            c.shutdown(99)
        self.assertEqual(cm.exception.errno, errno.EINVAL)

    def test_shutdown_against_native_echo(self):
        # A native server sees EOF too: the echo server closes after it.
        with wasisocket.create_connection((self.host, self.srv["echo"])) as s:
            s.sendall(b"x" * 1000)
            s.shutdown(wasisocket.SHUT_WR)
            self.assertEqual(support.recv_all(s.recv), b"x" * 1000)

    def test_shutdown_unconnected(self):
        with wasisocket.Socket(FAMILY[self.FAMILY]) as s:
            with self.assertRaises(OSError) as cm:
                s.shutdown(wasisocket.SHUT_RDWR)
            self.assertEqual(cm.exception.errno, errno.ENOTCONN)

    def test_recvfrom_on_stream_has_no_address(self):
        srv = self.server()
        c = wasisocket.create_connection(srv.getsockname()[:2])
        self.addCleanup(c.close)
        conn, _ = srv.accept()
        self.addCleanup(conn.close)
        c.sendall(b"abc")
        self.assertEqual(conn.recvfrom(3, wasisocket.MSG_WAITALL), (b"abc", None))
        c.sendall(b"defg")
        buf = bytearray(8)
        self.assertEqual(conn.recvfrom_into(buf, 4, wasisocket.MSG_WAITALL), (4, None))
        self.assertEqual(buf[:4], b"defg")

    def test_msg_peek(self):
        srv = self.server()
        c = wasisocket.create_connection(srv.getsockname()[:2])
        self.addCleanup(c.close)
        conn, _ = srv.accept()
        self.addCleanup(conn.close)
        c.sendall(b"peekaboo")
        self.assertEqual(conn.recv(8, wasisocket.MSG_WAITALL), b"peekaboo")
        c.sendall(b"again")
        peeked = b""
        while len(peeked) < 5:  # MSG_PEEK returns what is there, up to n
            peeked = conn.recv(5, wasisocket.MSG_PEEK)
        self.assertEqual(peeked, b"again")
        self.assertEqual(conn.recv(5), b"again")  # still queued after the peek

    def test_listen_on_datagram_socket(self):
        with wasisocket.Socket(FAMILY[self.FAMILY], wasisocket.SOCK_DGRAM) as u:
            with self.assertRaises(OSError) as cm:
                u.listen()
            self.assertEqual(cm.exception.errno, errno.ENOTSUP)

    def test_accept_not_listening(self):
        with wasisocket.Socket(FAMILY[self.FAMILY]) as s:
            s.bind((self.host, 0))
            with self.assertRaises(OSError) as cm:
                s.accept()
            self.assertEqual(cm.exception.errno, errno.EINVAL)


class ServerTestV6(ServerTest):
    FAMILY = "v6"


class NativeClientsTest(unittest.TestCase):
    """A server inside python.wasm; 100 native clients at once."""

    CLIENTS = 100

    def test_100_native_clients_echo(self):
        srv = wasisocket.create_server(("127.0.0.1", 0), backlog=self.CLIENTS)
        self.addCleanup(srv.close)
        port = srv.getsockname()[1]
        size = 3000  # more than one segment's worth for some clients
        reply = ask_peer({"op": "clients", "host": "127.0.0.1", "port": port,
                          "count": self.CLIENTS, "size": size, "timeout": 60})
        self.addCleanup(reply.close)

        sel = WasisockSelector()
        self.addCleanup(sel.close)
        sel.register(srv, EVENT_READ, None)
        peers, finished, conns = [], 0, []
        deadline = time.monotonic() + 60
        while finished < self.CLIENTS:
            self.assertLess(time.monotonic(), deadline, f"{finished} clients done")
            for key, _ in sel.select(5):
                if key.data is None:
                    conn, peer = srv.accept()
                    conns.append(conn)
                    peers.append(peer)
                    sel.register(conn, EVENT_READ, conn)
                    continue
                conn = key.data
                data = conn.recv(65536)  # readable: does not block
                if data:
                    conn.sendall(data)
                else:
                    sel.unregister(conn)
                    conn.close()
                    finished += 1
        result = peer_reply(reply)
        self.assertEqual(result["errors"], [])
        self.assertEqual(result["echoed"], self.CLIENTS)
        self.assertEqual(len(peers), self.CLIENTS)
        # accept() named every client by its address.
        self.assertEqual({p[0] for p in peers}, {"127.0.0.1"})
        self.assertEqual(sorted(p[1] for p in peers), sorted(result["ports"]))
        self.assertTrue(all(c.closed for c in conns))

    def test_native_client_tcp_op(self):
        # The peer's one-shot "tcp" op against a guest server, blocking.
        srv = wasisocket.create_server(("127.0.0.1", 0))
        self.addCleanup(srv.close)
        payload = b"native to wasm" * 100
        reply = ask_peer({"op": "tcp", "host": "127.0.0.1", "port": srv.getsockname()[1],
                          "send": base64.b64encode(payload).decode()})
        self.addCleanup(reply.close)
        conn, _ = srv.accept()
        with conn:
            data = support.recv_all(conn.recv)
            conn.sendall(data[::-1])
        self.assertEqual(data, payload)
        self.assertEqual(base64.b64decode(peer_reply(reply)["received"]), payload[::-1])


class GuestClientsTest(unittest.TestCase):
    """Guest server, guest clients: 100 non-blocking connects in flight."""

    def test_100_guest_clients(self):
        srv = wasisocket.create_server(("127.0.0.1", 0), backlog=128)
        self.addCleanup(srv.close)
        addr = srv.getsockname()
        clients = []
        for _ in range(100):
            c = wasisocket.Socket()
            self.addCleanup(c.close)
            c.setblocking(False)
            self.assertIn(c.connect_ex(addr), (0, errno.EINPROGRESS))
            clients.append(c)
        accepted = []
        for _ in range(100):
            conn, peer = srv.accept()
            self.addCleanup(conn.close)
            accepted.append((conn, peer))
        for c in clients:
            ready = wasisocket.poll([(c.fileno(), wasisocket.POLLOUT)], 5)
            self.assertEqual(ready, [(c.fileno(), wasisocket.POLLOUT)])
            self.assertEqual(c.getsockopt(wasisocket.SOL_SOCKET, wasisocket.SO_ERROR), 0)
            c.setblocking(True)
        by_port = {c.getsockname()[1]: c for c in clients}
        for conn, peer in accepted:
            c = by_port.pop(peer[1])
            c.sendall(b"%d" % peer[1])
            self.assertEqual(conn.recv(16), b"%d" % peer[1])
        self.assertEqual(by_port, {})


class DatagramTest(support.BothFamilies, unittest.TestCase):
    def udp(self):
        u = wasisocket.Socket(FAMILY[self.FAMILY], wasisocket.SOCK_DGRAM)
        self.addCleanup(u.close)
        u.settimeout(10)
        return u

    def test_round_trip_with_native_echo(self):
        u = self.udp()
        target = (self.host, self.srv["udp_echo"])
        self.assertEqual(u.sendto(b"datagram one", target), 12)
        data, sender = u.recvfrom(100)
        self.assertEqual(data, b"datagram one")
        self.assertEqual(sender[:2], target)
        # sendto bound the socket to an ephemeral port.
        self.assertNotEqual(u.getsockname()[1], 0)
        self.assertEqual(u.sendto(b"two", 0, target), 3)
        buf = bytearray(10)
        n, sender = u.recvfrom_into(buf)
        self.assertEqual((n, bytes(buf[:n]), sender[:2]), (3, b"two", target))

    def test_between_guest_sockets(self):
        a, b = self.udp(), self.udp()
        a.bind((self.host, 0))
        b.bind((self.host, 0))
        b.sendto(b"hello a", a.getsockname()[:2])
        data, sender = a.recvfrom(1024)
        self.assertEqual((data, sender), (b"hello a", b.getsockname()))
        a.sendto(b"hello b", sender[:2])
        self.assertEqual(b.recvfrom(1024), (b"hello b", a.getsockname()))
        # Truncation: the rest of a datagram is dropped.
        b.sendto(b"0123456789", a.getsockname()[:2])
        self.assertEqual(a.recvfrom(4)[0], b"0123")
        b.sendto(b"next", a.getsockname()[:2])
        self.assertEqual(a.recvfrom(100)[0], b"next")

    def test_peek_leaves_datagram(self):
        a, b = self.udp(), self.udp()
        a.bind((self.host, 0))
        b.sendto(b"peek me", a.getsockname()[:2])
        self.assertEqual(a.recvfrom(100, wasisocket.MSG_PEEK)[0], b"peek me")
        self.assertEqual(a.recvfrom(100)[0], b"peek me")

    def test_sendto_flags_and_family(self):
        u = self.udp()
        with self.assertRaises(OSError) as cm:  # a flag send does not take
            u.sendto(b"x", wasisocket.MSG_PEEK, (self.host, self.srv["udp_echo"]))
        self.assertEqual(cm.exception.errno, errno.EOPNOTSUPP)
        other = "::1" if self.FAMILY == "v4" else "127.0.0.1"
        with self.assertRaises(wasisocket.gaierror):
            u.sendto(b"x", (other, 9))


class DatagramTestV6(DatagramTest):
    FAMILY = "v6"


class OptionsTest(support.BothFamilies, unittest.TestCase):
    def sock(self, type=wasisocket.SOCK_STREAM):
        s = wasisocket.Socket(FAMILY[self.FAMILY], type)
        self.addCleanup(s.close)
        return s

    def test_boolean_round_trips(self):
        s = self.sock()
        for level, name in ((wasisocket.SOL_SOCKET, wasisocket.SO_REUSEADDR),
                            (wasisocket.SOL_SOCKET, wasisocket.SO_KEEPALIVE),
                            (wasisocket.IPPROTO_TCP, wasisocket.TCP_NODELAY)):
            with self.subTest(name=name):
                self.assertEqual(s.getsockopt(level, name), 0)
                s.setsockopt(level, name, 1)
                self.assertEqual(s.getsockopt(level, name), 1)
                s.setsockopt(level, name, False)
                self.assertEqual(s.getsockopt(level, name), 0)
                s.setsockopt(level, name, True)
                self.assertEqual(s.getsockopt(level, name, 4), (1).to_bytes(4, "little"))

    def test_nodelay_on_connected_socket(self):
        with wasisocket.create_connection((self.host, self.srv["echo"])) as s:
            s.setsockopt(wasisocket.IPPROTO_TCP, wasisocket.TCP_NODELAY, 1)
            self.assertEqual(s.getsockopt(wasisocket.IPPROTO_TCP, wasisocket.TCP_NODELAY), 1)
            s.sendall(b"n")
            self.assertEqual(s.recv(1), b"n")

    def test_read_only_options(self):
        s = self.sock()
        self.assertEqual(s.getsockopt(wasisocket.SOL_SOCKET, wasisocket.SO_TYPE),
                         wasisocket.SOCK_STREAM)
        self.assertEqual(self.sock(wasisocket.SOCK_DGRAM).getsockopt(
            wasisocket.SOL_SOCKET, wasisocket.SO_TYPE), wasisocket.SOCK_DGRAM)
        self.assertEqual(s.getsockopt(wasisocket.SOL_SOCKET, wasisocket.SO_ACCEPTCONN), 0)
        s.listen()
        self.assertEqual(s.getsockopt(wasisocket.SOL_SOCKET, wasisocket.SO_ACCEPTCONN), 1)
        for name in (wasisocket.SO_TYPE, wasisocket.SO_ERROR, wasisocket.SO_ACCEPTCONN):
            with self.subTest(name=name), self.assertRaises(OSError) as cm:
                s.setsockopt(wasisocket.SOL_SOCKET, name, 1)
            self.assertEqual(cm.exception.errno, errno.ENOPROTOOPT)

    def test_buffer_sizes(self):
        s = self.sock()
        s.setsockopt(wasisocket.SOL_SOCKET, wasisocket.SO_RCVBUF, 65536)
        # Linux reports twice the size set.
        self.assertEqual(s.getsockopt(wasisocket.SOL_SOCKET, wasisocket.SO_RCVBUF), 131072)

    def test_unknown_option(self):
        s = self.sock()
        with self.assertRaises(OSError) as cm:
            s.getsockopt(wasisocket.SOL_SOCKET, 12345)
        self.assertEqual(cm.exception.errno, errno.ENOPROTOOPT)
        with self.assertRaises(TypeError):
            s.setsockopt(wasisocket.SOL_SOCKET, wasisocket.SO_REUSEADDR, "1")
        with self.assertRaises(OSError) as cm:  # a buffer of the wrong size
            s.setsockopt(wasisocket.SOL_SOCKET, wasisocket.SO_REUSEADDR, b"\x01")
        self.assertEqual(cm.exception.errno, errno.EINVAL)

    def test_v6only(self):
        if self.FAMILY == "v4":
            with self.assertRaises(OSError):
                self.sock().getsockopt(wasisocket.IPPROTO_IPV6, wasisocket.IPV6_V6ONLY)
            return
        srv = wasisocket.create_server(("::", 0), family=wasisocket.AF_INET6,
                                       dualstack_ipv6=True)
        self.addCleanup(srv.close)
        self.assertEqual(srv.getsockopt(wasisocket.IPPROTO_IPV6, wasisocket.IPV6_V6ONLY), 0)
        port = srv.getsockname()[1]
        with wasisocket.create_connection(("127.0.0.1", port)) as c:
            conn, peer = srv.accept()
            with conn:
                self.assertEqual(peer, ("::ffff:127.0.0.1", c.getsockname()[1], 0, 0))
        only = wasisocket.create_server(("::1", 0), family=wasisocket.AF_INET6)
        self.addCleanup(only.close)
        self.assertEqual(only.getsockopt(wasisocket.IPPROTO_IPV6, wasisocket.IPV6_V6ONLY), 1)

    def test_reopen_after_failed_connect_keeps_options_and_timeout(self):
        s = self.sock()
        s.setsockopt(wasisocket.IPPROTO_TCP, wasisocket.TCP_NODELAY, 1)
        s.settimeout(7)
        records = [(FAMILY[self.FAMILY], self.srv["refused"], support_addr(self.host)),
                   (FAMILY[self.FAMILY], self.srv["echo"], support_addr(self.host))]
        from unittest import mock

        with mock.patch.object(wasisocket, "getaddrinfo", return_value=records):
            s.connect(("two.example", 1))
        self.assertEqual(s.getsockopt(wasisocket.IPPROTO_TCP, wasisocket.TCP_NODELAY), 1)
        self.assertEqual(s.gettimeout(), 7)
        self.assertEqual(s.getpeername()[1], self.srv["echo"])

    def test_create_server_arguments(self):
        with self.assertRaises(ValueError):
            wasisocket.create_server(("", 0), reuse_port=True)
        with self.assertRaises(ValueError):
            wasisocket.create_server(("", 0), dualstack_ipv6=True)
        with wasisocket.create_server(("", 0), family=FAMILY[self.FAMILY]) as srv:
            self.assertEqual(srv.getsockopt(wasisocket.SOL_SOCKET, wasisocket.SO_REUSEADDR), 1)
            self.assertEqual(srv.getsockname()[0], "0.0.0.0" if self.FAMILY == "v4" else "::")


class OptionsTestV6(OptionsTest):
    FAMILY = "v6"


def support_addr(host):
    return bytes([127, 0, 0, 1]) if host == "127.0.0.1" else bytes(15) + b"\x01"


if __name__ == "__main__":
    unittest.main()
