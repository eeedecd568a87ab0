"""create_connection's Happy Eyeballs (RFC 8305) in python.wasm.

Attempts that hang are made with a guest listener whose accept queue is
full: Linux then drops the SYN, so a connect to it neither succeeds nor
fails for a second or more.  Refusals come from the harness's bound,
never-listening "refused" ports.
"""

import errno
import time
import unittest
from unittest import mock

import wasisocket
from wasisocket import AF_INET, AF_INET6

import support

LOOP4 = bytes([127, 0, 0, 1])
LOOP6 = bytes(15) + b"\x01"


def v4(port):
    return (AF_INET, port, LOOP4)


def v6(port):
    return (AF_INET6, port, LOOP6)


def events(trace):
    """[(event, host), ...] without the times."""
    return [(event, addr[0]) for event, addr, _ in trace]


def when(trace, event, host):
    return next(t for e, addr, t in trace if e == event and addr[0] == host)


class InterleaveTest(unittest.TestCase):
    def test_alternates_starting_with_first_family(self):
        a6, b6, c6 = v6(1), v6(2), v6(3)
        a4, b4 = v4(1), v4(2)
        il = wasisocket._interleave
        self.assertEqual(il([a6, b6, c6, a4, b4]), [a6, a4, b6, b4, c6])
        self.assertEqual(il([a4, a6, b6, b4]), [a4, a6, b4, b6])
        self.assertEqual(il([a6, b6]), [a6, b6])
        self.assertEqual(il([]), [])
        self.assertEqual(il([a6, b6, a4, b4], first_family_count=2), [a6, b6, a4, b4])

    def test_pick_error_prefers_answers_over_routes(self):
        unreach = OSError(errno.ENETUNREACH, "Network unreachable")
        refused = ConnectionRefusedError(errno.ECONNREFUSED, "Connection refused")
        timed = TimeoutError(errno.ETIMEDOUT, "timed out")
        self.assertIs(wasisocket._pick_error([unreach, refused, timed]), refused)
        self.assertIs(wasisocket._pick_error([timed, refused]), timed)
        self.assertIs(wasisocket._pick_error([unreach]), unreach)


class HappyEyeballsTest(unittest.TestCase):
    def setUp(self):
        self.v4 = support.V4
        self.v6 = support.servers(self, "v6")

    def full_listener(self, host, family):
        """A listener nobody accepts from, with its queue full."""
        srv = wasisocket.create_server((host, 0), family=family, backlog=1)
        self.addCleanup(srv.close)
        fillers = []
        for _ in range(8):
            c = wasisocket.Socket(family)
            self.addCleanup(c.close)
            c.setblocking(False)
            c.connect_ex(srv.getsockname()[:2])
            fillers.append(c)
        wasisocket.poll([(c.fileno(), wasisocket.POLLOUT) for c in fillers], 0.2)
        return srv.getsockname()[1]

    def race(self, addrs, **kw):
        trace = []
        sock = wasisocket._connect_happy_eyeballs(addrs, trace=trace, **kw)
        self.addCleanup(sock.close)
        return sock, trace

    def test_first_refused_next_starts_at_once(self):
        # ::1 refuses; 127.0.0.1 is tried as soon as that is known, not
        # after the delay.
        sock, trace = self.race([v6(self.v6["refused"]), v4(self.v4["echo"])], delay=2.0)
        self.assertEqual(events(trace), [("start", "::1"), ("failed", "::1"),
                                         ("start", "127.0.0.1"), ("connected", "127.0.0.1")])
        self.assertLess(when(trace, "connected", "127.0.0.1"), 1.0)
        self.assertEqual(sock.family, AF_INET)
        self.assertEqual(sock.getpeername(), ("127.0.0.1", self.v4["echo"]))
        sock.sendall(b"he")
        self.assertEqual(support.recv_exactly(sock.recv, 2), b"he")

    def test_delay_starts_next_while_first_hangs(self):
        hang6 = self.full_listener("::1", AF_INET6)
        start = time.monotonic()
        sock, trace = self.race([v6(hang6), v4(self.v4["echo"])], delay=0.25)
        elapsed = time.monotonic() - start
        self.assertEqual(events(trace), [("start", "::1"), ("start", "127.0.0.1"),
                                         ("connected", "127.0.0.1")])
        started = when(trace, "start", "127.0.0.1")
        self.assertGreaterEqual(started, 0.24)
        self.assertLess(started, 0.6)
        self.assertLess(elapsed, 0.9)  # not the SYN retry of ::1 (1 s and more)
        self.assertEqual(sock.family, AF_INET)
        self.assertIsNone(sock.gettimeout())
        sock.sendall(b"ok")
        self.assertEqual(support.recv_exactly(sock.recv, 2), b"ok")

    def test_delay_is_configurable(self):
        hang6 = self.full_listener("::1", AF_INET6)
        sock, trace = self.race([v6(hang6), v4(self.v4["echo"])], delay=0.05)
        self.assertLess(when(trace, "start", "127.0.0.1"), 0.2)
        self.assertEqual(sock.family, AF_INET)

    def test_interleaving_over_four_addresses(self):
        # v6 hangs, v4 hangs, v6 refused, v4 works: attempts alternate and
        # overlap.
        hang6 = self.full_listener("::1", AF_INET6)
        hang4 = self.full_listener("127.0.0.1", AF_INET)
        addrs = [v6(hang6), v6(self.v6["refused"]), v4(hang4), v4(self.v4["echo"])]
        sock, trace = self.race(addrs, delay=0.1)
        starts = [(addr[0], addr[1]) for e, addr, _ in trace if e == "start"]
        self.assertEqual(starts, [("::1", hang6), ("127.0.0.1", hang4),
                                  ("::1", self.v6["refused"]), ("127.0.0.1", self.v4["echo"])])
        self.assertEqual(sock.getpeername(), ("127.0.0.1", self.v4["echo"]))
        self.assertEqual([e for e, _, _ in trace].count("connected"), 1)

    def test_sequential_without_delay(self):
        hang6 = self.full_listener("::1", AF_INET6)
        trace = []
        with self.assertRaises(TimeoutError):
            wasisocket._connect_happy_eyeballs([v6(hang6), v4(self.v4["echo"])], timeout=0.3,
                                               delay=None, trace=trace)
        self.assertEqual(events(trace), [("start", "::1")])

    def test_overall_timeout(self):
        hang6 = self.full_listener("::1", AF_INET6)
        hang4 = self.full_listener("127.0.0.1", AF_INET)
        records = [v6(hang6), v4(hang4)]
        start = time.monotonic()
        with mock.patch.object(wasisocket, "getaddrinfo", return_value=records), \
                self.assertRaises(TimeoutError) as cm:
            wasisocket.create_connection(("hanging.example", 1), timeout=0.4,
                                         happy_eyeballs_delay=0.1)
        elapsed = time.monotonic() - start
        self.assertEqual(cm.exception.errno, errno.ETIMEDOUT)
        self.assertGreaterEqual(elapsed, 0.38)
        self.assertLess(elapsed, 1.0)

    def test_all_refused(self):
        records = [v6(self.v6["refused"]), v4(self.v4["refused"])]
        trace = []
        with self.assertRaises(ConnectionRefusedError):
            wasisocket._connect_happy_eyeballs(records, trace=trace)
        self.assertEqual(events(trace), [("start", "::1"), ("failed", "::1"),
                                         ("start", "127.0.0.1"), ("failed", "127.0.0.1")])
        with mock.patch.object(wasisocket, "getaddrinfo", return_value=records), \
                self.assertRaises(ExceptionGroup) as cm:
            wasisocket.create_connection(("refused.example", 1), all_errors=True)
        self.assertEqual(len(cm.exception.exceptions), 2)
        self.assertTrue(all(isinstance(e, ConnectionRefusedError)
                            for e in cm.exception.exceptions))

    def test_losers_are_closed(self):
        # delay 0: both attempts at once, both can connect; one wins.
        probe = wasisocket.Socket()
        first_free = probe.fileno()
        probe.close()
        records = [v6(self.v6["echo"]), v4(self.v4["echo"])]
        sock, trace = self.race(records, delay=0)
        self.assertEqual([e for e, _, _ in trace].count("start"), 2)
        self.assertEqual([e for e, _, _ in trace].count("connected"), 1)
        sock.close()
        probes = [wasisocket.Socket() for _ in range(4)]
        try:
            # Handles are the lowest free numbers: none is held by a loser.
            self.assertEqual([p.fileno() for p in probes],
                             list(range(first_free, first_free + 4)))
        finally:
            for p in probes:
                p.close()

    def test_create_connection_by_records(self):
        records = [v6(self.v6["refused"]), v4(self.v4["echo"])]
        with mock.patch.object(wasisocket, "getaddrinfo", return_value=records):
            with wasisocket.create_connection(("both.example", 1), timeout=5) as s:
                self.assertEqual(s.family, AF_INET)
                self.assertEqual(s.gettimeout(), 5)
                s.sendall(b"x")
                self.assertEqual(s.recv(1), b"x")

    def test_create_connection_localhost(self):
        with wasisocket.create_connection(("localhost", support.DUAL["echo"])) as s:
            s.sendall(b"local")
            self.assertEqual(support.recv_exactly(s.recv, 5), b"local")

    def test_source_address(self):
        records = [v6(self.v6["echo"]), v4(self.v4["echo"])]

        def fake_getaddrinfo(host, port, family=0):
            if host == "127.0.0.1":  # the source address: no IPv6 address
                return [v4(port)] if family in (0, AF_INET) else []
            return [r for r in records if not family or r[0] == family]

        with mock.patch.object(wasisocket, "getaddrinfo", side_effect=fake_getaddrinfo):
            s = wasisocket.create_connection(("src.example", 1), source_address=("127.0.0.1", 0))
        with s:
            # The ::1 attempt cannot take an IPv4 source: IPv4 wins.
            self.assertEqual(s.family, AF_INET)
            self.assertEqual(s.getsockname()[0], "127.0.0.1")
        port_user = wasisocket.create_connection(("127.0.0.1", self.v4["echo"]),
                                                 source_address=("", 0))
        with port_user:
            self.assertEqual(port_user.getsockname()[0], "127.0.0.1")

    def test_nonblocking_timeout_zero(self):
        hang4 = self.full_listener("127.0.0.1", AF_INET)
        with self.assertRaises(BlockingIOError):
            wasisocket._connect_happy_eyeballs([v4(hang4)], timeout=0)


if __name__ == "__main__":
    unittest.main()
