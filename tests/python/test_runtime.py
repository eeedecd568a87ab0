"""The runner under python.wasm: clocks and sleeping (no sockets).

CPython 3.13's time.sleep() is clock_nanosleep(CLOCK_MONOTONIC,
TIMER_ABSTIME, ...), which wasi-libc turns into a poll_oneoff clock
subscription with SUBSCRIPTION_CLOCK_ABSTIME.  Node 20's node:wasi subtracts
the wall clock from that monotonic deadline and waited forever; the runner's
poll_oneoff (runtimes/node/lib/poll-oneoff.js) makes it a relative timeout.
No threads: everything here runs on the guest's one thread.
"""

import sys
import time
import unittest

# Generous upper bounds: the test machine may be busy, but a sleep that
# waits forever (or for the host's uptime) is what this is about.
SLACK = 0.5


class SleepTest(unittest.TestCase):
    def timed(self, seconds):
        t0 = time.monotonic()
        time.sleep(seconds)
        return time.monotonic() - t0

    def test_sleep_returns(self):
        elapsed = self.timed(0.01)
        self.assertGreaterEqual(elapsed, 0.01)
        self.assertLess(elapsed, 0.01 + SLACK)

    def test_sleep_duration(self):
        elapsed = self.timed(0.2)
        # Never early (a deadline is a deadline), and not much late.
        self.assertGreaterEqual(elapsed, 0.2)
        self.assertLess(elapsed, 0.2 + SLACK)

    def test_sleep_wall_clock_agrees(self):
        t0 = time.time()
        self.timed(0.1)
        self.assertGreaterEqual(time.time() - t0, 0.095)

    def test_short_sleeps_in_a_row(self):
        t0 = time.monotonic()
        for _ in range(20):
            time.sleep(0.005)
        elapsed = time.monotonic() - t0
        self.assertGreaterEqual(elapsed, 0.1)
        self.assertLess(elapsed, 0.1 + SLACK)

    def test_sleep_zero_and_tiny(self):
        self.assertLess(self.timed(0), SLACK)
        self.assertLess(self.timed(1e-6), SLACK)

    def test_sleep_rejects_negative(self):
        with self.assertRaises(ValueError):
            time.sleep(-1)

    def test_clocks_advance(self):
        m0, p0 = time.monotonic_ns(), time.perf_counter_ns()
        time.sleep(0.02)
        self.assertGreaterEqual(time.monotonic_ns() - m0, 20_000_000)
        self.assertGreaterEqual(time.perf_counter_ns() - p0, 20_000_000)

    @unittest.skipUnless(sys.platform == "wasi", "python.wasm only")
    def test_clock_info(self):
        info = time.get_clock_info("monotonic")
        self.assertTrue(info.monotonic)


if __name__ == "__main__":
    unittest.main()
