"""bench/client.py - the Python client of the benchmarks.

The same code runs under native CPython and inside python.wasm under
wasisock-python; only the module differs, the calls are the ones a user
writes (``connect`` with a numeric host, ``sendall``, ``recv``, ``close``):

    client.py [--api wasisocket|socket] MODE ARGS...

    --api wasisocket   python.wasm only (its default): the wasisocket package
    --api socket       the standard library's socket module (native CPython's
                       default; in python.wasm CPython's own _socket on
                       wasisock's POSIX layer)

    echo PORT N        N 64-byte round trips on one connection
    bulk PORT MIB      MIB MiB as 1 MiB sendall()s, then a 1-byte ack
    connect PORT N [NADDR]
                       N socket() + connect() + close(), to 127.0.0.1 ...
                       127.0.0.NADDR in turn (bench-server says why)
    socketpath N       N socket() + connect() + close() of a UDP socket to
                       127.0.0.1:9 (connect sends nothing, no server): the
                       connect row's calls without TCP, to see the client's
                       own cost apart from the handshake's
    hostcall N         N _wasisocket.abi_version() calls (wasm only)

Prints one JSON object: the seconds of the measured loop only.
"""

import json
import sys
import time

WASM = sys.platform == "wasi"
API = "wasisocket" if WASM else "socket"
if len(sys.argv) > 2 and sys.argv[1] == "--api":
    API = sys.argv[2]
    del sys.argv[1:3]
if API == "wasisocket":
    import wasisocket as _net

    def _socket(type_=_net.SOCK_STREAM):
        return _net.Socket(_net.AF_INET, type_)

else:
    import socket as _net

    def _socket(type_=_net.SOCK_STREAM):
        return _net.socket(_net.AF_INET, type_)


HOST = "127.0.0.1"


def _connect(port):
    s = _socket()
    s.connect((HOST, port))
    return s


def echo(port, n):
    msg = b"x" * 64
    s = _connect(port)
    t0 = time.perf_counter()
    for _ in range(n):
        s.sendall(msg)
        got = s.recv(64)
        while len(got) < 64:
            more = s.recv(64 - len(got))
            if not more:
                raise ConnectionError("echo server closed the connection")
            got += more
    t = time.perf_counter() - t0
    s.close()
    return t


def bulk(port, mib):
    chunk = bytes(1 << 20)
    s = _connect(port)
    t0 = time.perf_counter()
    s.sendall((mib << 20).to_bytes(8, "little"))
    for _ in range(mib):
        s.sendall(chunk)
    if s.recv(1) != b"k":
        raise ConnectionError("bulk server did not acknowledge")
    t = time.perf_counter() - t0
    s.close()
    return t


def connect(port, n, naddr=1):
    addrs = [(f"127.0.0.{1 + k}", port) for k in range(naddr)]
    t0 = time.perf_counter()
    for i in range(n):
        s = _socket()
        s.connect(addrs[i % naddr])
        s.close()
    return time.perf_counter() - t0


def socketpath(n):
    addr = (HOST, 9)
    dgram = _net.SOCK_DGRAM
    t0 = time.perf_counter()
    for _ in range(n):
        s = _socket(dgram)
        s.connect(addr)
        s.close()
    return time.perf_counter() - t0


def hostcall(n):
    import _wasisocket

    f = _wasisocket.abi_version
    t0 = time.perf_counter()
    for _ in range(n):
        f()
    return time.perf_counter() - t0


def main(argv):
    mode = argv[1] if len(argv) > 1 else ""
    if mode in ("hostcall", "socketpath") and len(argv) == 3:
        seconds = globals()[mode](int(argv[2]))
    elif mode in ("echo", "bulk") and len(argv) == 4 or mode == "connect" and len(argv) in (4, 5):
        seconds = globals()[mode](*map(int, argv[2:]))
    else:
        sys.stderr.write(__doc__)
        return 2
    print(json.dumps({"seconds": seconds}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
