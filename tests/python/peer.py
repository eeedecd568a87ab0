"""A native client, on request, for servers that run inside the guest.

The test peer's control port (tests/peer/peer.py, which harness.py starts)
connects to a port of the guest and reports what it saw.  The guest cannot wait for that report and serve
the connection at once (it has one thread), so a request is two steps:

    req = peer.http(f"http://127.0.0.1:{port}/hello")   # the peer starts
    server.handle_request()                              # serve it
    reply = req.result()                                 # what it got

or, inside asyncio, ``reply = await peer.ahttp(...)`` while the loop serves.
"""

import asyncio
import base64
import json
import socket

import support

#: Seconds the peer waits for the guest at each step, and the guest for it.
TIMEOUT = 30


def _line(op, fields):
    fields.setdefault("timeout", TIMEOUT)
    return json.dumps({"op": op, **fields}).encode() + b"\n"


def _decode(line):
    if not line.endswith(b"\n"):
        raise AssertionError(f"native peer: truncated reply {line!r}")
    reply = json.loads(line)
    if not reply.pop("ok"):
        raise AssertionError("native peer: " + reply["error"])
    for key in ("body", "received"):
        if key in reply:
            reply[key] = base64.b64decode(reply[key])
    return reply


class Request:
    """One request in flight: the peer acts on it while the guest serves."""

    def __init__(self, op, fields):
        self._sock = socket.create_connection(("127.0.0.1", support.CONFIG["peer"]), timeout=TIMEOUT * 2)
        self._sock.sendall(_line(op, fields))

    def result(self):
        """The peer's report (dict); AssertionError if it failed."""
        with self._sock, self._sock.makefile("rb") as f:
            return _decode(f.readline())


def _http_fields(url, method, body, headers):
    return {
        "url": url,
        "method": method,
        "body": None if body is None else body.decode("latin-1"),
        "headers": headers or {},
    }


def http(url, method="GET", body=None, headers=None):
    """A native urllib request of url; result(): status, headers, body."""
    return Request("http", _http_fields(url, method, body, headers))


def tcp(port, data, host="127.0.0.1"):
    """A native client that sends data, shuts down writing and reads to the
    end; result()["received"] is what it read."""
    return Request("tcp", {"host": host, "port": port, "send": base64.b64encode(data).decode()})


async def _arequest(op, fields):
    reader, writer = await asyncio.open_connection("127.0.0.1", support.CONFIG["peer"], limit=1 << 24)
    try:
        writer.write(_line(op, fields))
        await writer.drain()
        return _decode(await reader.readline())
    finally:
        writer.close()
        await writer.wait_closed()


async def ahttp(url, method="GET", body=None, headers=None):
    """http(), for a guest that serves from an asyncio loop."""
    return await _arequest("http", _http_fields(url, method, body, headers))


async def atcp(port, data, host="127.0.0.1"):
    """tcp(), for a guest that serves from an asyncio loop."""
    return await _arequest("tcp", {"host": host, "port": port, "send": base64.b64encode(data).decode()})
