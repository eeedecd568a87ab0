"""Timeouts, non-blocking mode, poll and selectors in python.wasm: wasisocket
(CPython's socket and select on the POSIX layer) and the raw sock_poll."""

import errno
import time
import unittest

import _wasisocket as low
import wasisocket
from wasisocket import selectors as wsel

import support

FAMILY = {"v4": wasisocket.AF_INET, "v6": wasisocket.AF_INET6}


def handle(sock):
    """The host's handle of a socket descriptor, for the raw _wasisocket
    calls: descriptor = FD_BASE + handle."""
    return sock.fileno() - low.FD_BASE


class Pair:
    """A connected TCP pair inside the guest: (client, server side)."""

    def __init__(self, test, family=wasisocket.AF_INET):
        host = "127.0.0.1" if family == wasisocket.AF_INET else "::1"
        srv = wasisocket.create_server((host, 0), family=family)
        test.addCleanup(srv.close)
        self.client = wasisocket.create_connection(srv.getsockname()[:2])
        test.addCleanup(self.client.close)
        self.server, _ = srv.accept()
        test.addCleanup(self.server.close)


class TimeoutTest(support.BothFamilies, unittest.TestCase):
    def test_recv_timeout_fires_within_tolerance(self):
        pair = Pair(self, FAMILY[self.FAMILY])
        pair.client.settimeout(0.2)
        self.assertEqual(pair.client.gettimeout(), 0.2)
        start = time.monotonic()
        with self.assertRaises(TimeoutError) as cm:
            pair.client.recv(10)
        elapsed = time.monotonic() - start
        self.assertEqual(str(cm.exception), "timed out")  # socket's, no errno
        self.assertIsInstance(cm.exception, wasisocket.timeout)
        self.assertGreaterEqual(elapsed, 0.18)
        self.assertLess(elapsed, 0.6)
        # The socket still works afterwards.
        pair.server.sendall(b"late")
        self.assertEqual(pair.client.recv(10), b"late")

    def test_accept_timeout(self):
        srv = wasisocket.create_server((self.host, 0), family=FAMILY[self.FAMILY])
        self.addCleanup(srv.close)
        srv.settimeout(0.1)
        start = time.monotonic()
        with self.assertRaises(TimeoutError):
            srv.accept()
        self.assertGreaterEqual(time.monotonic() - start, 0.09)

    def test_recvfrom_timeout_udp(self):
        u = wasisocket.Socket(FAMILY[self.FAMILY], wasisocket.SOCK_DGRAM)
        self.addCleanup(u.close)
        u.bind((self.host, 0))
        u.settimeout(0.05)
        with self.assertRaises(TimeoutError):
            u.recvfrom(10)

    def test_timeout_values(self):
        s = wasisocket.Socket(FAMILY[self.FAMILY])
        self.addCleanup(s.close)
        self.assertIsNone(s.gettimeout())
        self.assertTrue(s.getblocking())
        s.settimeout(2.5)
        self.assertEqual(s.gettimeout(), 2.5)
        self.assertTrue(s.getblocking())  # a timeout is still "blocking"
        s.setblocking(False)
        self.assertEqual(s.gettimeout(), 0.0)
        self.assertFalse(s.getblocking())
        s.setblocking(True)
        self.assertIsNone(s.gettimeout())
        s.settimeout(3)
        self.assertIsInstance(s.gettimeout(), float)
        for bad, exc in ((-1, ValueError), (float("nan"), ValueError), ("1", TypeError),
                         (b"1", TypeError)):
            with self.subTest(bad=bad), self.assertRaises(exc):
                s.settimeout(bad)
        with self.assertRaises(OverflowError):
            low.sock_set_timeout(handle(s), 1e10)
        with self.assertRaises(OverflowError):
            low.sock_set_timeout(handle(s), float("inf"))
        s.close()
        with self.assertRaises(OSError) as cm:
            s.settimeout(1)
        self.assertEqual(cm.exception.errno, errno.EBADF)

    def test_sendall_with_timeout_restores_it(self):
        pair = Pair(self, FAMILY[self.FAMILY])
        pair.client.settimeout(5)
        data = b"y" * (8 << 20)  # more than the socket buffers: several sends
        got = bytearray()
        # The guest is single-threaded: send in pieces, draining in between.
        for i in range(0, len(data), 1 << 20):
            pair.client.sendall(data[i:i + (1 << 20)])
            got += support.recv_exactly(pair.server.recv, 1 << 20)
        self.assertEqual(bytes(got), data)
        self.assertEqual(pair.client.gettimeout(), 5)

    def test_sendall_timeout_when_peer_does_not_read(self):
        pair = Pair(self, FAMILY[self.FAMILY])
        pair.client.settimeout(0.3)
        start = time.monotonic()
        with self.assertRaises(TimeoutError):
            pair.client.sendall(b"z" * (64 << 20))
        self.assertLess(time.monotonic() - start, 3)
        self.assertEqual(pair.client.gettimeout(), 0.3)

    def test_connect_timeout_to_full_backlog(self):
        srv, fillers = full_listener(self, self.host, FAMILY[self.FAMILY])
        s = wasisocket.Socket(FAMILY[self.FAMILY])
        self.addCleanup(s.close)
        s.settimeout(0.2)
        start = time.monotonic()
        with self.assertRaises(TimeoutError):
            s.connect(srv.getsockname()[:2])
        elapsed = time.monotonic() - start
        self.assertGreaterEqual(elapsed, 0.18)
        self.assertLess(elapsed, 0.9)

    def test_default_timeout_applies_to_new_sockets(self):
        wasisocket.setdefaulttimeout(0.1)
        try:
            s = wasisocket.Socket(FAMILY[self.FAMILY])
            self.addCleanup(s.close)
            self.assertEqual(s.gettimeout(), 0.1)
            s.bind((self.host, 0))
            s.listen()
            with self.assertRaises(TimeoutError):
                s.accept()  # the timeout is in force
        finally:
            wasisocket.setdefaulttimeout(None)
        s2 = wasisocket.Socket(FAMILY[self.FAMILY])
        self.addCleanup(s2.close)
        self.assertIsNone(s2.gettimeout())


class TimeoutTestV6(TimeoutTest):
    FAMILY = "v6"


def full_listener(test, host, family):
    """A listener whose accept queue is full, so a further connect hangs
    (Linux drops the SYN): returns (listener, the connections that fill it)."""
    srv = wasisocket.create_server((host, 0), family=family, backlog=1)
    test.addCleanup(srv.close)
    fillers = []
    for _ in range(8):
        c = wasisocket.Socket(family)
        test.addCleanup(c.close)
        c.setblocking(False)
        c.connect_ex(srv.getsockname()[:2])
        fillers.append(c)
    # Let the handshakes that can complete complete.
    wasisocket.poll([(c.fileno(), wasisocket.POLLOUT) for c in fillers], 0.2)
    return srv, fillers


class NonBlockingTest(support.BothFamilies, unittest.TestCase):
    def test_connect_in_progress_then_poll(self):
        srv = wasisocket.create_server((self.host, 0), family=FAMILY[self.FAMILY])
        self.addCleanup(srv.close)
        c = wasisocket.Socket(FAMILY[self.FAMILY])
        self.addCleanup(c.close)
        c.setblocking(False)
        try:
            c.connect(srv.getsockname()[:2])
        except BlockingIOError as exc:
            self.assertEqual(exc.errno, errno.EINPROGRESS)
        ready = wasisocket.poll([(c.fileno(), wasisocket.POLLOUT)], 5)
        self.assertEqual(ready, [(c.fileno(), wasisocket.POLLOUT)])
        self.assertEqual(c.getsockopt(wasisocket.SOL_SOCKET, wasisocket.SO_ERROR), 0)
        self.assertEqual(c.getpeername(), srv.getsockname())

    def test_connect_refused_shows_in_so_error(self):
        c = wasisocket.Socket(FAMILY[self.FAMILY])
        self.addCleanup(c.close)
        c.setblocking(False)
        rc = c.connect_ex((self.host, self.srv["refused"]))
        if rc == errno.ECONNREFUSED:
            return  # refused at once: also fine
        self.assertEqual(rc, errno.EINPROGRESS)
        ready = wasisocket.poll([(c.fileno(), wasisocket.POLLOUT)], 5)
        self.assertEqual(len(ready), 1)
        self.assertTrue(ready[0][1] & (wasisocket.POLLERR | wasisocket.POLLHUP | wasisocket.POLLOUT))
        self.assertEqual(c.getsockopt(wasisocket.SOL_SOCKET, wasisocket.SO_ERROR),
                         errno.ECONNREFUSED)
        # Reading SO_ERROR cleared it.
        self.assertEqual(c.getsockopt(wasisocket.SOL_SOCKET, wasisocket.SO_ERROR), 0)

    def test_blocking_io_errors(self):
        pair = Pair(self, FAMILY[self.FAMILY])
        pair.client.setblocking(False)
        for call in (lambda: pair.client.recv(10), lambda: pair.client.recv_into(bytearray(4)),
                     lambda: pair.client.recvfrom(10)):
            with self.assertRaises(BlockingIOError) as cm:
                call()
            self.assertEqual(cm.exception.errno, errno.EAGAIN)
        self.assertEqual(errno.EAGAIN, 6)  # WASI's number, as the host's
        srv = wasisocket.create_server((self.host, 0), family=FAMILY[self.FAMILY])
        self.addCleanup(srv.close)
        srv.setblocking(False)
        with self.assertRaises(BlockingIOError):
            srv.accept()
        # A full send buffer.
        sent = 0
        with self.assertRaises(BlockingIOError):
            while True:
                sent += pair.client.send(b"q" * 65536)
        self.assertGreater(sent, 0)

    def test_data_becomes_readable(self):
        pair = Pair(self, FAMILY[self.FAMILY])
        pair.client.setblocking(False)
        fd = pair.client.fileno()
        self.assertEqual(wasisocket.poll([(fd, wasisocket.POLLIN)], 0), [])
        pair.server.sendall(b"now")
        self.assertEqual(wasisocket.poll([(fd, wasisocket.POLLIN)], 5), [(fd, wasisocket.POLLIN)])
        self.assertEqual(pair.client.recv(10), b"now")


class NonBlockingTestV6(NonBlockingTest):
    FAMILY = "v6"


class PollTest(unittest.TestCase):
    def test_200_sockets_one_readable(self):
        srv = wasisocket.create_server(("127.0.0.1", 0), backlog=128)
        self.addCleanup(srv.close)
        clients, servers = [], []
        for _ in range(100):
            c = wasisocket.create_connection(srv.getsockname())
            self.addCleanup(c.close)
            conn, _ = srv.accept()
            self.addCleanup(conn.close)
            clients.append(c)
            servers.append(conn)
        socks = clients + servers
        self.assertEqual(len(socks), 200)
        subs = [(s.fileno(), wasisocket.POLLIN) for s in socks]
        self.assertEqual(wasisocket.poll(subs, 0), [])
        start = time.monotonic()
        self.assertEqual(wasisocket.poll(subs, 0.05), [])
        self.assertGreaterEqual(time.monotonic() - start, 0.04)
        servers[57].sendall(b"!")
        self.assertEqual(wasisocket.poll(subs, 5), [(clients[57].fileno(), wasisocket.POLLIN)])
        self.assertEqual(clients[57].recv(1), b"!")
        # Writable: all of them at once.
        out = wasisocket.poll([(s.fileno(), wasisocket.POLLOUT) for s in socks], 0)
        self.assertEqual(len(out), 200)
        # The same call again, with a generator (the buffer is reused).
        out = wasisocket.poll(((s.fileno(), wasisocket.POLLIN | wasisocket.POLLOUT)
                               for s in socks), 0)
        self.assertEqual([fd for fd, _ in out], [s.fileno() for s in socks])

    def test_hangup_and_closed_handle(self):
        pair = Pair(self)
        fd = pair.client.fileno()
        pair.server.close()
        ready = wasisocket.poll([(fd, wasisocket.POLLIN)], 5)
        self.assertEqual(len(ready), 1)
        self.assertTrue(ready[0][1] & wasisocket.POLLIN)  # EOF reads as readable
        self.assertEqual(pair.client.recv(1), b"")
        pair.client.close()
        self.assertEqual(wasisocket.poll([(fd, wasisocket.POLLIN)], None),
                         [(fd, wasisocket.POLLNVAL)])

    def test_arguments(self):
        pair = Pair(self)
        fd = handle(pair.client)  # sock_poll takes the host's handles
        with self.assertRaises(ValueError):
            low.sock_poll([(fd, 0x100)])  # unknown event bit
        # Bits that are always reported are accepted and ignored.
        self.assertEqual(low.sock_poll([(fd, low.POLLIN | low.POLLERR | low.POLLHUP)], 0), [])
        with self.assertRaises(TypeError):
            low.sock_poll(5)
        with self.assertRaises(TypeError):
            low.sock_poll([fd])
        with self.assertRaises(ValueError):
            low.sock_poll([(fd,)])
        with self.assertRaises(TypeError):
            low.sock_poll([(fd, low.POLLIN)], "1")
        with self.assertRaises(ValueError):
            low.sock_poll([(fd, low.POLLIN)] * (low.POLL_MAX + 1), 0)
        with self.assertRaises(OSError) as cm:
            low.sock_poll([(-1, low.POLLIN)], 0)
        self.assertEqual(cm.exception.errno, errno.EBADF)
        with self.assertRaises(OSError) as cm:
            low.sock_poll([], None)  # nothing to wait for, for ever
        self.assertEqual(cm.exception.errno, errno.EINVAL)
        start = time.monotonic()
        self.assertEqual(low.sock_poll([], 0.05), [])  # just sleeps
        self.assertGreaterEqual(time.monotonic() - start, 0.04)
        # A negative timeout waits without limit, as poll(2).
        pair.server.sendall(b"x")
        self.assertEqual(low.sock_poll([(fd, low.POLLIN)], -1), [(fd, low.POLLIN)])
        # POLL_MAX is accepted.
        self.assertEqual(len(low.sock_poll([(fd, low.POLLIN)] * low.POLL_MAX, 0)), low.POLL_MAX)


class SelectorTest(unittest.TestCase):
    def selector(self):
        sel = wsel.WasisockSelector()
        self.addCleanup(sel.close)
        return sel

    def test_is_a_base_selector(self):
        import selectors

        self.assertTrue(issubclass(wsel.WasisockSelector, selectors.BaseSelector))
        self.assertIs(wsel.DefaultSelector, wsel.WasisockSelector)
        self.assertIs(wsel.EVENT_READ, selectors.EVENT_READ)
        self.assertIs(wsel.SelectorKey, selectors.SelectorKey)

    def test_register_select_modify_unregister(self):
        sel = self.selector()
        pair = Pair(self)
        a, b = pair.client, pair.server
        key = sel.register(a, wsel.EVENT_READ, "a")
        self.assertEqual(key, wsel.SelectorKey(a, a.fileno(), wsel.EVENT_READ, "a"))
        self.assertIs(sel.get_key(a), key)
        self.assertEqual(sel.get_key(a.fileno()), key)  # by descriptor too
        self.assertEqual(list(sel.get_map()), [a.fileno()])
        self.assertIn(a, sel.get_map())  # a Mapping keyed by fd or object
        self.assertEqual(sel.select(0), [])
        b.sendall(b"r")
        self.assertEqual(sel.select(5), [(key, wsel.EVENT_READ)])
        # modify: events, then data only.
        key2 = sel.modify(a, wsel.EVENT_READ | wsel.EVENT_WRITE, "rw")
        self.assertEqual(key2.events, wsel.EVENT_READ | wsel.EVENT_WRITE)
        self.assertEqual(sel.select(5), [(key2, wsel.EVENT_READ | wsel.EVENT_WRITE)])
        self.assertEqual(a.recv(1), b"r")
        self.assertEqual(sel.select(5), [(key2, wsel.EVENT_WRITE)])
        key3 = sel.modify(a, wsel.EVENT_READ | wsel.EVENT_WRITE, "data")
        self.assertEqual(key3.data, "data")
        self.assertIs(sel.get_key(a), key3)
        sel.modify(a, wsel.EVENT_READ)
        self.assertEqual(sel.select(0), [])
        # a second object, registered by raw handle
        kb = sel.register(b.fileno(), wsel.EVENT_WRITE)
        self.assertEqual(sel.select(1), [(kb, wsel.EVENT_WRITE)])
        ka = sel.unregister(a)
        self.assertEqual((ka.fileobj, ka.fd, ka.events), (a, a.fileno(), wsel.EVENT_READ))
        self.assertEqual(list(sel.get_map()), [b.fileno()])
        with self.assertRaises(KeyError):
            sel.unregister(a)
        with self.assertRaises(KeyError):
            sel.modify(a, wsel.EVENT_READ)
        with self.assertRaises(KeyError):
            sel.register(b.fileno(), wsel.EVENT_READ)  # twice
        with self.assertRaises(ValueError):
            sel.register(a, 0)
        with self.assertRaises(ValueError):
            sel.register(-1, wsel.EVENT_READ)

    def test_timeout_and_empty(self):
        sel = self.selector()
        start = time.monotonic()
        self.assertEqual(sel.select(0.05), [])
        self.assertGreaterEqual(time.monotonic() - start, 0.04)
        self.assertEqual(sel.select(0), [])
        self.assertEqual(sel.select(-1), [])
        pair = Pair(self)
        sel.register(pair.client, wsel.EVENT_READ)
        start = time.monotonic()
        self.assertEqual(sel.select(0.1), [])
        self.assertGreaterEqual(time.monotonic() - start, 0.09)

    def test_closed_socket_while_registered(self):
        sel = self.selector()
        pair = Pair(self)
        fd = pair.client.fileno()
        key = sel.register(pair.client, wsel.EVENT_READ)
        pair.client.close()
        # POLLNVAL reports it ready (the next call on it tells why).
        self.assertEqual(sel.select(0), [(key, wsel.EVENT_READ)])
        # Unregistering a closed socket works through the stored key.
        self.assertEqual(sel.unregister(pair.client).fd, fd)

    def test_hangup_is_readable(self):
        sel = self.selector()
        pair = Pair(self)
        key = sel.register(pair.client, wsel.EVENT_READ)
        pair.server.shutdown(wasisocket.SHUT_WR)
        self.assertEqual(sel.select(5), [(key, wsel.EVENT_READ)])
        self.assertEqual(pair.client.recv(1), b"")

    def test_close_and_context_manager(self):
        pair = Pair(self)
        with wsel.WasisockSelector() as sel:
            sel.register(pair.client, wsel.EVENT_WRITE)
        self.assertIsNone(sel.get_map())  # closed: no map

    def test_echo_server_loop(self):
        # A small event loop: one listener, 20 guest clients, echo by select.
        sel = self.selector()
        srv = wasisocket.create_server(("127.0.0.1", 0), backlog=32)
        self.addCleanup(srv.close)
        srv.setblocking(False)
        sel.register(srv, wsel.EVENT_READ, "listen")
        clients = []
        for i in range(20):
            c = wasisocket.create_connection(srv.getsockname(), timeout=5)
            self.addCleanup(c.close)
            c.sendall(b"msg %d" % i)
            clients.append(c)
        echoed = 0
        deadline = time.monotonic() + 10
        while echoed < 20 and time.monotonic() < deadline:
            for key, events in sel.select(1):
                if key.data == "listen":
                    conn, _ = srv.accept()
                    self.addCleanup(conn.close)
                    conn.setblocking(False)
                    sel.register(conn, wsel.EVENT_READ, "conn")
                else:
                    data = key.fileobj.recv(100)
                    key.fileobj.sendall(data)
                    sel.unregister(key.fileobj)
                    echoed += 1
        self.assertEqual(echoed, 20)
        for i, c in enumerate(clients):
            self.assertEqual(c.recv(100), b"msg %d" % i)


if __name__ == "__main__":
    unittest.main()
