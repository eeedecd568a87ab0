#!/usr/bin/env python3
"""tests/fuzz/make-seeds.py - writes the seed inputs of tests/fuzz/corpus/.

    python3 tests/fuzz/make-seeds.py      (rewrites corpus/*/seed-*)

Seeds are small, meaningful inputs in each target's encoding (see the top of
fuzz-imports.c, fuzz-resolve.c, fuzz-addr.c): a TCP exchange on loopback, UDP,
IPv6, name lookups, bounds at the end of memory, policies.  libFuzzer starts
from them; ctest replays them (fuzz.replay.*) together with the regression
inputs (crash-*), which are kept by hand and never rewritten here.
"""

import os
import re
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def import_order():
    """wasisock_import_table() order: the rows of WASISOCK_IMPORT_LIST."""
    header = os.path.join(HERE, "..", "..", "include", "wasisock.h")
    text = open(header, encoding="utf-8").read()
    block = text.split("#define WASISOCK_IMPORT_LIST(XX)", 1)[1].split("\n\n", 1)[0]
    return re.findall(r"XX\((\w+),", block)


IMPORTS = import_order()
SOL_SOCKET, IPPROTO_TCP, IPPROTO_IPV6 = 0x7FFFFFFF, 6, 41
SO_REUSEADDR, SO_TYPE, SO_ERROR, SO_RCVBUF = 2, 3, 4, 8
TCP_NODELAY, IPV6_V6ONLY = 1, 26
AF_INET, AF_INET6, SOCK_DGRAM, SOCK_STREAM = 1, 2, 5, 6
# Record templates (fuzz-imports.c fuzz__template).
T_LISTEN4, T_LISTEN6, T_CLOSED4, T_SINK4, T_SINK6 = 0, 1, 2, 3, 4
T_LO4, T_LO6, T_UNSPEC, T_BADFAM = 6, 7, 8, 9


def T_POLL(k):  # k * 100 sock_poll records over handles 1024-1035, k in 1..6
    return 249 + k


def T_OWN(i):  # the local address of handle 1024 + i
    return 5 + 10 * i


def raw(v):
    return bytes([0]) + struct.pack("<I", v & 0xFFFFFFFF)


def handle(i):
    return bytes([1 + 5 * i])


def small(v):
    assert 0 <= v < 45
    return bytes([2 + 5 * v])


def ptr(p):
    return bytes([3]) + struct.pack("<H", p)


def rec(p, template):
    return bytes([4]) + struct.pack("<H", p) + bytes([template])


def call(name, *args, how=0):
    return bytes([IMPORTS.index(name), how]) + b"".join(args)


def imports_input(calls, mem=4096, image=b"", flags=0):
    head = bytes([flags]) + struct.pack("<H", mem & 0xFFFF) + bytes([mem >> 16])
    return head + struct.pack("<H", len(image)) + image + b"".join(calls)


def poll_subs(*subs):
    return b"".join(struct.pack("<IHH", h, ev, 0) for h, ev in subs)


def image_with(parts, size=1200):
    img = bytearray(size)
    for off, data in parts:
        img[off:off + len(data)] = data
    return bytes(img)


def tcp_calls():
    return [
        call("sock_abi_version", ptr(100)),
        call("sock_open", small(AF_INET), small(SOCK_STREAM), ptr(200)),
        call("sock_setsockopt", handle(0), raw(SOL_SOCKET), small(SO_REUSEADDR), small(1)),
        call("sock_bind", handle(0), rec(300, T_LO4)),
        call("sock_listen", handle(0), small(5)),
        call("sock_local_addr", handle(0), ptr(400)),
        call("sock_open", small(AF_INET), small(SOCK_STREAM), ptr(204)),
        call("sock_connect", handle(1), rec(320, T_OWN(0))),
        call("sock_accept", handle(0), ptr(208), ptr(340)),
        call("sock_send", handle(1), ptr(0), small(20), ptr(212)),
        call("sock_poll", ptr(1000), small(3), small(1), ptr(220)),
        call("sock_recv", handle(2), ptr(600), small(40), ptr(216)),
        call("sock_send", handle(2), ptr(0), small(30), ptr(212)),
        call("sock_shutdown", handle(2), small(2)),
        call("sock_recv_from", handle(1), ptr(600), small(40), small(2), ptr(700), ptr(224)),
        call("sock_recv", handle(1), ptr(600), small(40), ptr(216)),
        call("sock_getsockopt", handle(1), raw(SOL_SOCKET), small(SO_ERROR), ptr(228)),
        call("sock_getsockopt", handle(1), raw(SOL_SOCKET), small(SO_TYPE), ptr(228)),
        call("sock_setsockopt", handle(1), small(IPPROTO_TCP), small(TCP_NODELAY), small(1)),
        call("sock_setsockopt", handle(1), raw(SOL_SOCKET), small(SO_RCVBUF), raw(65536)),
        call("sock_peer_addr", handle(1), ptr(740)),
        call("sock_set_timeout", handle(1), small(1)),
        call("sock_get_timeout", handle(1), ptr(232)),
        call("sock_close", handle(2)),
        call("sock_close", handle(1)),
        call("sock_close", handle(0)),
        call("sock_close", handle(0)),
    ]


def tcp_image():
    return image_with([
        (0, b"hello, wasisock! 0123456789abcdef"),
        (1000, poll_subs((1024, 1), (1025, 2), (1026, 3))),
    ])


def imports_seeds():
    s = {}
    s["tcp"] = imports_input(tcp_calls(), image=tcp_image())
    s["tcp-timeout-1ms"] = imports_input(tcp_calls(), image=tcp_image(), flags=4)
    for mode in (1, 2, 3):
        s[f"tcp-policy-{mode}"] = imports_input(tcp_calls(), image=tcp_image(), flags=mode)
    s["udp"] = imports_input([
        call("sock_open", small(AF_INET), small(SOCK_DGRAM), ptr(200)),
        call("sock_bind", handle(0), rec(300, T_LO4)),
        call("sock_open", small(AF_INET), small(SOCK_DGRAM), ptr(204)),
        call("sock_bind", handle(1), rec(320, T_LO4)),
        call("sock_send_to", handle(1), ptr(0), small(16), small(0), rec(340, T_OWN(0)), ptr(212)),
        call("sock_recv_from", handle(0), ptr(600), small(8), small(1), ptr(700), ptr(216)),
        call("sock_recv_from", handle(0), ptr(600), small(40), small(0), ptr(700), ptr(216)),
        call("sock_connect", handle(1), rec(360, T_SINK4)),
        call("sock_send", handle(1), ptr(0), small(16), ptr(212)),
        call("sock_connect", handle(1), rec(380, T_CLOSED4)),
        call("sock_send", handle(1), ptr(0), small(16), ptr(212)),
        call("sock_recv", handle(1), ptr(600), small(40), ptr(216)),
        call("sock_setsockopt", handle(0), raw(SOL_SOCKET), small(6), small(1)),
        call("sock_poll", ptr(1000), small(2), small(0), ptr(220)),
        call("sock_close", handle(0)),
        call("sock_close", handle(1)),
    ], image=image_with([(0, b"datagram payload"), (1000, poll_subs((1024, 3), (1025, 1)))]))
    s["ipv6"] = imports_input([
        call("sock_open", small(AF_INET6), small(SOCK_STREAM), ptr(200)),
        call("sock_setsockopt", handle(0), small(IPPROTO_IPV6), small(IPV6_V6ONLY), small(1)),
        call("sock_bind", handle(0), rec(300, T_LO6)),
        call("sock_listen", handle(0), raw(0xFFFFFFFF)),
        call("sock_open", small(AF_INET6), small(SOCK_STREAM), ptr(204)),
        call("sock_connect", handle(1), rec(320, T_OWN(0))),
        call("sock_accept", handle(0), ptr(208), ptr(340)),
        call("sock_local_addr", handle(2), ptr(400)),
        call("sock_connect", handle(1), rec(360, T_LISTEN4)),
        call("sock_open", small(AF_INET6), small(SOCK_STREAM), ptr(204)),
        call("sock_connect", handle(3), rec(380, T_LISTEN6)),
        call("sock_open", small(AF_INET6), small(SOCK_DGRAM), ptr(204)),
        call("sock_connect", handle(4), rec(420, T_SINK6)),
        call("sock_send", handle(4), ptr(0), small(10), ptr(212)),
    ], image=image_with([(0, b"ipv6 bytes")]))
    s["refused"] = imports_input([
        call("sock_open", small(AF_INET), small(SOCK_STREAM), ptr(200)),
        call("sock_connect", handle(0), rec(300, T_CLOSED4)),
        call("sock_getsockopt", handle(0), raw(SOL_SOCKET), small(SO_ERROR), ptr(228)),
        call("sock_connect", handle(0), rec(300, T_UNSPEC)),
        call("sock_connect", handle(0), rec(300, T_BADFAM)),
        call("sock_set_timeout", handle(0), small(0)),
        call("sock_open", small(AF_INET), small(SOCK_STREAM), ptr(204)),
        call("sock_set_timeout", handle(1), small(0)),
        call("sock_connect", handle(1), rec(320, T_LISTEN4)),
        call("sock_poll", ptr(1000), small(1), small(2), ptr(220)),
        call("sock_getsockopt", handle(1), raw(SOL_SOCKET), small(SO_ERROR), ptr(228)),
    ], image=image_with([(1000, poll_subs((1025, 2)))]))
    s["resolve"] = imports_input([
        call("sock_resolve", ptr(0), small(9), raw(80), ptr(500), small(4), ptr(600)),
        call("sock_resolve", ptr(16), small(9), raw(443), ptr(500), small(1), ptr(600)),
        call("sock_resolve", ptr(32), small(3), raw(53), ptr(500), small(2), ptr(600)),
        call("sock_resolve", ptr(48), small(19), raw(80), ptr(500), small(4), ptr(600)),
        call("sock_resolve", ptr(80), small(8), raw(80), ptr(500), small(4), ptr(600)),
        call("sock_resolve", ptr(96), small(11), raw(70000), ptr(500), small(4), ptr(600)),
        call("sock_resolve", ptr(0), small(0), raw(80), ptr(500), small(0), ptr(600)),
        call("sock_resolve", ptr(0), raw(256), raw(80), ptr(500), small(0), ptr(600)),
        call("sock_resolve", ptr(0), small(9), raw(80), ptr(4090), small(1), ptr(600)),
    ], image=image_with([
        (0, b"localhost"), (16, b"127.0.0.1"), (32, b"::1"),
        (48, b"nonexistent.invalid"), (80, b"bad\0name"), (96, b"example.org"),
    ]))
    s["bounds"] = imports_input([
        call("sock_abi_version", ptr(60)),
        call("sock_abi_version", ptr(61)),
        call("sock_abi_version", raw(0xFFFFFFFF)),
        call("sock_abi_version", raw(0xFFFFFFFC)),
        call("sock_open", small(AF_INET), small(SOCK_STREAM), ptr(61)),
        call("sock_open", small(3), small(SOCK_STREAM), ptr(0)),
        call("sock_open", small(AF_INET), small(7), ptr(0)),
        call("sock_send", handle(0), ptr(0), raw(0xFFFFFFFF), ptr(0)),
        call("sock_recv", handle(0), ptr(32), small(33), ptr(0)),
        call("sock_poll", ptr(0), raw(0x20000000), small(0), ptr(0)),
        call("sock_poll", ptr(0), small(0), small(1), ptr(60)),
        call("sock_close", handle(0), how=0xF0),
        call("sock_open", small(AF_INET), small(SOCK_STREAM), ptr(0), how=0xE0),
        call("sock_close", raw(0)),
        call("sock_close", raw(0xFFFFFFFF)),
    ], mem=64)
    s["poll-loop"] = imports_input(
        [call("sock_open", small(AF_INET), small(SOCK_DGRAM), ptr(4 * i)) for i in range(6)]
        + [call("sock_bind", handle(i), rec(100, T_LO4)) for i in range(6)]
        + [call("sock_poll", rec(1024, T_POLL(3)), raw(300), small(2), ptr(64)),
           call("sock_send_to", handle(1), ptr(0), small(4), small(0), rec(200, T_OWN(4)), ptr(68)),
           call("sock_poll", rec(1024, T_POLL(3)), raw(300), small(2), ptr(64)),
           call("sock_poll", rec(1024, T_POLL(6)), raw(600), small(1), ptr(64)),
           call("sock_close", handle(3)),
           call("sock_poll", rec(1024, T_POLL(2)), raw(257), small(2), ptr(64))],
        mem=8192, flags=4)
    s["nomem"] = imports_input([
        call("sock_abi_version", ptr(0)),
        call("sock_open", small(AF_INET), small(SOCK_STREAM), ptr(0)),
        call("sock_close", handle(0)),
        call("sock_poll", ptr(0), small(0), small(0), ptr(0)),
    ], mem=0)
    s["many-sockets"] = imports_input(
        [call("sock_open", small(AF_INET), small(SOCK_DGRAM), ptr(4 * i)) for i in range(14)]
        + [call("sock_close", handle(i)) for i in range(0, 14, 2)]
        + [call("sock_open", small(AF_INET6), small(SOCK_STREAM), ptr(100))]
        + [call("sock_poll", ptr(1000), small(8), small(0), ptr(220))],
        image=image_with([(1000, poll_subs(*[(1024 + i, 3) for i in range(8)]))]))
    return s


def resolve_input(name, mode=0, port=80, max_addrs=8, eai=0, answer=(), where=0):
    out = bytes([mode]) + struct.pack("<I", port) + bytes([max_addrs, eai, len(answer)])
    for fam, addr in answer:
        out += bytes([fam]) + addr.ljust(16, b"\0")
    return out + bytes([where]) + name


def resolve_seeds():
    v4 = lambda *b: bytes(b)
    v6 = lambda last: bytes(15) + bytes([last])
    multi = [(0, v4(192, 0, 2, 1)), (1, v6(1)), (2, b""), (0, v4(192, 0, 2, 1)),
             (0, v4(10, 1, 2, 3)), (3, b""), (1, bytes([0xfd]) + bytes(14) + b"\x01"),
             (0, v4(198, 51, 100, 7)), (9, b"x")]
    return {
        "localhost": resolve_input(b"localhost"),
        "numeric4": resolve_input(b"127.0.0.1", port=65535),
        "numeric6": resolve_input(b"::1", max_addrs=0),
        "fake-multi": resolve_input(b"multi.example", answer=multi),
        "fake-multi-policy": resolve_input(b"good.example", mode=1, answer=multi),
        "fake-multi-small": resolve_input(b"bad.example", mode=1, max_addrs=2, answer=multi),
        "denied-name": resolve_input(b"x.denied", mode=1, answer=multi),
        "deny-all": resolve_input(b"localhost", mode=2),
        "invalid-tld": resolve_input(b"nonexistent.INVALID.", answer=multi),
        "nul": resolve_input(b"a\0b", answer=multi),
        "too-long": resolve_input(b"a" * 300, answer=multi),
        "eai-again": resolve_input(b"again.example", eai=1),
        "eai-system": resolve_input(b"system.example", eai=6),
        "only-unix": resolve_input(b"unix.example", answer=[(2, b""), (3, b"")]),
        "port-too-big": resolve_input(b"localhost", port=70000 * 4),
        "end-of-memory": resolve_input(b"localhost", where=1),
        "count-efault": resolve_input(b"localhost", where=2),
    }


def addr_seeds():
    rec4 = bytes([1, 0x1f, 0x90, 127, 0, 0, 1]) + bytes(12)
    rec6 = bytes([2, 0, 80]) + bytes(15) + b"\x01"
    return {
        "v4": rec4 + bytes(140),
        "v6": rec6 + bytes([1]) + bytes(139),
        "v4-junk-tail": bytes([1, 1, 2, 10, 0, 0, 1]) + bytes(range(12)) + bytes(40),
        "unspec": bytes(19) + bytes([2]) + bytes(60),
        "bad-family": bytes([7]) + bytes(range(18)) + bytes([3]) + bytes(range(128)),
    }


def policy_seeds():
    return {
        "basic": b"default deny\nallow connect 127.0.0.1:8000-8999\nallow resolve localhost\n",
        "hosts": b"allow connect *.example.com:443\ndeny any 10.0.0.0/8\nallow bind [::1]:0\n"
                 b"max-sockets 64\nmax-buffer 256k\n",
        "comments": b"\xef\xbb\xbf# policy\r\ndeny connect [fc00::/7]:1-1024 # ula\r\ndefault allow\r\n",
        "bad": b"allow sideways 1.2.3.4\nallow connect 127.0.0.1:70000\n",
    }


def main():
    for target, seeds in (("imports", imports_seeds()), ("resolve", resolve_seeds()),
                          ("addr", addr_seeds()), ("policy", policy_seeds())):
        d = os.path.join(HERE, "corpus", target)
        os.makedirs(d, exist_ok=True)
        for f in os.listdir(d):
            if f.startswith("seed-"):
                os.remove(os.path.join(d, f))
        for name, data in seeds.items():
            with open(os.path.join(d, f"seed-{name}"), "wb") as f:
                f.write(data)
        print(f"corpus/{target}: {len(seeds)} seeds")


if __name__ == "__main__":
    main()
