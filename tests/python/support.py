"""Shared by the test modules: where the harness's servers listen.

harness.py passes the ports in the environment variable WASISOCK_TEST_CONFIG
(JSON); the tests never reach beyond loopback.
"""

import contextlib
import hashlib
import json
import os
import unittest

try:
    CONFIG = json.loads(os.environ["WASISOCK_TEST_CONFIG"])
except KeyError:
    raise RuntimeError(
        "WASISOCK_TEST_CONFIG is not set: run these tests through "
        "tests/python/harness.py, which starts the servers they talk to"
    ) from None

V4 = CONFIG["v4"]
V6 = CONFIG["v6"]
BANNER = CONFIG["banner"].encode()
HELLO_BODY = CONFIG["hello_body"].encode()
#: Ports served on both 127.0.0.1 and ::1, for names such as "localhost".
DUAL = CONFIG["dual"]

#: Size of the bulk transfers in each direction.
BULK_SIZE = 16 * 1024 * 1024 + 12345  # not a multiple of any buffer size


def servers(test, family):
    """The server table of one family ("v4" or "v6"); skips the test when
    the host has no ::1."""
    cfg = CONFIG[family]
    if cfg is None:
        test.skipTest(f"no IPv6 loopback: {CONFIG['v6_skip_reason']}")
    return cfg


class BothFamilies:
    """Mixin: subclasses run once per address family (FAMILY "v4"/"v6")."""

    FAMILY = "v4"

    def setUp(self):
        super().setUp()
        self.srv = servers(self, self.FAMILY)
        self.host = self.srv["host"]


def recv_exactly(recv, n):
    """Call recv(bufsize) until n bytes arrived; fail on early EOF."""
    chunks, got = [], 0
    while got < n:
        chunk = recv(min(65536, n - got))
        if not chunk:
            raise AssertionError(f"EOF after {got} of {n} bytes")
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def recv_line(recv):
    """Read up to and including b"\\n" one byte at a time (no over-read)."""
    out = bytearray()
    while not out.endswith(b"\n"):
        b = recv(1)
        if not b:
            raise AssertionError(f"EOF inside a line: {bytes(out)!r}")
        out += b
    return bytes(out)


def recv_all(recv, bufsize=65536):
    """Everything until EOF."""
    chunks = []
    while True:
        chunk = recv(bufsize)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def sha256(data):
    return hashlib.sha256(data).hexdigest()


@contextlib.contextmanager
def closing_fd(low, fd):
    """Close a low-level handle on exit unless the test closed it."""
    try:
        yield fd
    finally:
        with contextlib.suppress(OSError):
            low.sock_close(fd)
