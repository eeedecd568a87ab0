#!/usr/bin/env python3
"""Run the Go examples (examples/go) inside WebAssembly against native peers.

    check_examples.py --runner build/bin/wasisock-run --bin-dir build/go/bin CASE

Runs natively (standard library only).  The servers are the test peer's
(tests/peer/peer.py, the one native loopback peer of the test harnesses),
on port 0; the native clients of the httpserve case are here.
Exit status 0 when the case passed, 1 with a message when it did not.

Cases:
  httpget     GET a page, a 404, a refused port and a .invalid name
  udpping     datagrams to the native UDP echo server, IPv4 and IPv6
  httpserve   100 native clients at once, each holding its connection open
              (the guest serves each in its own goroutine), then a 1 MiB POST
  httpserve_listen  under --deny-all, serving on the runner's --listen
              socket (wasisock.Listeners); without it, Listen is refused
"""

import argparse
import os
import re
import socket
import subprocess
import sys
import threading
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "peer"))
import peer  # noqa: E402  (the servers)

TIMEOUT = 120


class Failure(Exception):
    pass


def check(cond, what, result=None):
    if not cond:
        detail = ""
        if result is not None:
            detail = (f"\n  command: {' '.join(result.args)}\n  exit status: {result.returncode}"
                      f"\n  stdout: {result.stdout[-2000:]!r}\n  stderr: {result.stderr[-2000:]!r}")
        raise Failure(what + detail)


class Examples:
    def __init__(self, runner, bin_dir):
        self.runner, self.bin_dir = runner, bin_dir

    def command(self, name, *args, runner_args=()):
        return [self.runner, *runner_args, os.path.join(self.bin_dir, name + ".wasm"), *map(str, args)]

    def run(self, name, *args, runner_args=()):
        return subprocess.run(self.command(name, *args, runner_args=runner_args),
                              capture_output=True, text=True, timeout=TIMEOUT)

    def start_httpserve(self, *args, runner_args=()):
        """The httpserve example, running; returns (process, its first line, port)."""
        guest = subprocess.Popen(self.command("httpserve", *args, runner_args=runner_args),
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        first = guest.stdout.readline()
        m = re.fullmatch(r"listening on http://127\.0\.0\.1:(\d+)/\n", first)
        if not m:
            guest.kill()
            check(False, f"first line {first!r} (stderr: {guest.communicate()[1]!r})")
        return guest, first, int(m.group(1))

    def finish(self, guest, first, summary):
        """Waits for a server started by start_httpserve and checks what it
        printed after its first line against the regular expression summary."""
        out, err = guest.communicate(timeout=TIMEOUT)
        r = subprocess.CompletedProcess(guest.args, guest.returncode, first + out, err)
        check(guest.returncode == 0 and re.fullmatch(summary, out), "the server's summary", r)

    def case_httpget(self):
        servers = peer.Peer()
        v4 = servers.start()["v4"]
        try:
            base = f"http://127.0.0.1:{v4['http']}"
            r = self.run("httpget", base + "/hello")
            check(r.returncode == 0 and r.stdout == peer.servers.HELLO_BODY.decode(), "GET /hello", r)
            r = self.run("httpget", base + "/bytes/300000")
            check(r.returncode == 0 and r.stdout == "x" * 300000, "GET /bytes/300000", r)
            r = self.run("httpget", base + "/missing")
            check(r.returncode == 1 and "httpget: 404 Not Found" in r.stderr, "GET /missing", r)
            refused = v4["refused"]
            r = self.run("httpget", f"http://127.0.0.1:{refused}/")
            check(r.returncode == 1 and f"dial tcp 127.0.0.1:{refused}: connect: Connection refused" in r.stderr,
                  "a refused port", r)
            r = self.run("httpget", "http://no-such-host.invalid/")
            check(r.returncode == 1 and "dial tcp: lookup no-such-host.invalid: no such host" in r.stderr,
                  "a .invalid name", r)
        finally:
            servers.stop()

    def case_udpping(self):
        servers = peer.Peer()
        config = servers.start()
        try:
            for group in [g for g in (config["v4"], config["v6"]) if g is not None]:
                host, port = group["host"], group["udp_echo"]
                r = self.run("udpping", host, port, 5)
                lines = r.stdout.splitlines()
                check(r.returncode == 0 and len(lines) == 6, f"udpping {host}", r)
                shown = f"[{host}]" if ":" in host else host
                for seq, line in enumerate(lines[:5], 1):
                    want = rf"reply from {re.escape(shown)}:{port}: seq={seq} bytes={len(f'wasisock-ping seq={seq}')} time=\d+\.\d{{3}} ms"
                    check(re.fullmatch(want, line), f"line {seq}: {line!r}", r)
                check(lines[5] == "5 packets transmitted, 5 received", "summary line", r)
        finally:
            servers.stop()

    def case_httpserve(self, clients=100, hold=1.0):
        guest, first, port = self.start_httpserve("-addr", "127.0.0.1:0", "-n", clients + 1)
        try:
            replies = held_requests(port, clients, hold)
            for i, reply in enumerate(replies):
                want = f"HTTP/1.1 200 OK|hello from Go in WebAssembly: /client/{i}\n"
                check(reply == want, f"client {i}: {reply!r}")
            body = os.urandom(1 << 20)
            req = urllib.request.Request(f"http://127.0.0.1:{port}/echo", data=body, method="POST")
            with OPENER.open(req, timeout=TIMEOUT) as resp:
                check(resp.read() == body, "POST /echo of 1 MiB")
            self.finish(guest, first, rf"served {clients + 1} requests, at most {clients} connections at once\n")
        finally:
            guest.kill()
            guest.wait()

    def case_httpserve_listen(self):
        sandbox = ["--deny-all"]
        r = self.run("httpserve", "-addr", "127.0.0.1:0", runner_args=sandbox)
        check(r.returncode == 1 and "httpserve: listen tcp 127.0.0.1:0: bind: Permission denied" in r.stderr,
              "Listen under --deny-all", r)
        guest, first, port = self.start_httpserve("-n", 2, runner_args=sandbox + ["--listen", "127.0.0.1:0"])
        try:
            for path in ("/one", "/two"):
                with OPENER.open(f"http://127.0.0.1:{port}{path}", timeout=TIMEOUT) as resp:
                    check(resp.read() == f"hello from Go in WebAssembly: {path}\n".encode(), f"GET {path}")
            self.finish(guest, first, r"served 2 requests, at most [12] connections at once\n")
        finally:
            guest.kill()
            guest.wait()


# Native HTTP requests go straight to loopback, whatever proxy the
# environment names.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def held_requests(port, count, hold):
    """count native clients connect and send half a request each; once all
    have, they wait `hold` seconds (the guest's goroutines wait on their
    sockets meanwhile), finish their requests and read the answers.
    Returns "STATUS LINE|BODY" per client."""
    barrier = threading.Barrier(count, timeout=TIMEOUT)
    replies = [None] * count

    def client(i):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as s:
                s.sendall(f"GET /client/{i} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n".encode())
                barrier.wait()
                threading.Event().wait(hold)
                s.sendall(b"Connection: close\r\n\r\n")
                data = b""
                while chunk := s.recv(65536):
                    data += chunk
            head, _, body = data.decode().partition("\r\n\r\n")
            replies[i] = head.split("\r\n")[0] + "|" + body
        except (OSError, threading.BrokenBarrierError) as exc:
            replies[i] = f"{type(exc).__name__}: {exc}"

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(TIMEOUT)
    return replies


def main():
    cases = [name[len("case_"):] for name in dir(Examples) if name.startswith("case_")]
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runner", required=True, help="wasisock-run of the engine to test")
    ap.add_argument("--bin-dir", required=True, help="directory of the Go .wasm files")
    ap.add_argument("case", choices=cases)
    args = ap.parse_args()
    try:
        getattr(Examples(args.runner, args.bin_dir), "case_" + args.case)()
    except Failure as exc:
        print(f"check_examples {args.case}: FAIL: {exc}", file=sys.stderr)
        return 1
    print(f"check_examples {args.case}: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
