#!/usr/bin/env python3
"""The guest's ordinary Unix, the sockets handed over and the tracer, checked
natively against the launcher (unittest; docs/ENVIRONMENT.md).

    check_environment.py --launcher PATH [--python-dir DIR] [unittest args]

Each case runs python.wasm under the launcher as a user would, with the
engine of $WASISOCK_ENGINE, and looks at what the guest saw or did:

  user      getpass.getuser() with USER and LOGNAME unset, --env overrides, HOME
  etc       the host's resolv.conf, hosts, services, protocols read-only in
            the guest's /etc; --no-etc, --etc NAME=FILE; a resolver address
            read from /etc/resolv.conf still goes through the policy
  listen    http.server in python.wasm on a socket the launcher bound
            (--listen) under --deny-all, fetched by this native process;
            LISTEN_FDS, LISTEN_FDNAMES, LISTEN_FDS_START; bad --listen
  trace     --trace=FILE over the demo (examples/python/http_demo.py against
            a native http.server): one line per call, strace-style;
            --trace to stderr with a policy denial marked

Servers are started here on loopback, ports chosen by the OS.  CA
certificates are check_ca_bundle.py's.
"""

import http.server
import os
import pwd
import re
import select
import socket
import subprocess
import sys
import textwrap
import threading
import urllib.request

from launcher_checks import LauncherCase, command, launch, main

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ETC_FILES = ("resolv.conf", "hosts", "services", "protocols", "hostname")
# One trace line: call(args) = 0 | ENAME (message), the time, maybe a denial.
TRACE_LINE = re.compile(r"^(sock_\w+)\((.*)\) = (0|E[A-Z0-9]+ \([^)]*\)) "
                        r"<\d+\.\d{6}>( \(.*\))?$")


class UserTest(LauncherCase):
    CODE = ("import getpass, os; print(getpass.getuser()); "
            "print(os.environ['LOGNAME']); print(os.environ['HOME']); "
            "print(os.path.expanduser('~'))")

    def test_getuser_without_user_or_logname(self):
        # As in a container or a service with an empty environment: the
        # launcher asks the password database, the guest has no pwd module.
        pw = pwd.getpwuid(os.getuid())
        r = launch("-c", self.CODE, drop=("USER", "LOGNAME", "HOME"))
        self.assertRan(r)
        self.assertEqual(r.stdout.split("\n")[:4], [pw.pw_name, pw.pw_name, pw.pw_dir, pw.pw_dir])

    def test_user_from_the_environment_and_overridden(self):
        r = launch("-c", self.CODE, env={"USER": "alice", "HOME": "/home/alice"},
                   drop=("LOGNAME",))
        self.assertRan(r)
        self.assertEqual(r.stdout.split("\n")[:3], ["alice", "alice", "/home/alice"])
        r = launch("--env", "USER=bob", "--env", "LOGNAME=bob", "-c", self.CODE,
                   env={"USER": "alice"})
        self.assertRan(r)
        self.assertEqual(r.stdout.split("\n")[:2], ["bob", "bob"])


class EtcTest(LauncherCase):
    PROBE = textwrap.dedent("""\
        import json, os
        out = {}
        for name in %r:
            try:
                with open('/etc/' + name, 'rb') as f:
                    out[name] = f.read().decode('latin-1')
            except OSError as e:
                out[name] = type(e).__name__
        print(json.dumps(out))
        """ % (ETC_FILES,))

    def probe(self, *flags):
        import json
        r = launch(*flags, "-c", self.PROBE)
        self.assertRan(r)
        return json.loads(r.stdout)

    def test_host_files_visible(self):
        got = self.probe()
        for name in ETC_FILES:
            host = "/etc/" + name
            if not os.access(host, os.R_OK):
                self.assertEqual(got[name], "FileNotFoundError", name)
                continue
            with open(host, "rb") as f:
                self.assertEqual(got[name], f.read().decode("latin-1"), name)

    def test_turned_off_and_replaced(self):
        mine = self.write("my-resolv.conf", "nameserver 192.0.2.53\nsearch example\n")
        got = self.probe("--no-etc", "hosts", f"--etc=resolv.conf={mine}")
        self.assertEqual(got["hosts"], "FileNotFoundError")
        self.assertEqual(got["resolv.conf"], "nameserver 192.0.2.53\nsearch example\n")
        got = self.probe("--no-etc", "all")
        self.assertEqual(set(got.values()), {"FileNotFoundError"})
        r = launch("--no-etc", "passwd", "-c", "pass")
        self.assertRan(r, 2)
        self.assertIn("--no-etc", r.stderr)
        r = launch("--etc", f"resolv.conf={self.tmp}/missing", "-c", "pass")
        self.assertRan(r, 2)
        self.assertIn("missing", r.stderr)

    def test_read_only(self):
        mine = self.write("hosts", "127.0.0.1 localhost\n")
        cache = os.path.join(self.tmp, "cache")
        code = textwrap.dedent("""\
            import os
            for step in (lambda: open('/etc/hosts', 'a').write('10.0.0.1 evil\\n'),
                         lambda: open('/etc/passwd', 'w').write('root::0:0::/:/bin/sh\\n'),
                         lambda: os.remove('/etc/hosts')):
                try:
                    step()
                    print('wrote')
                except OSError as e:
                    print(type(e).__name__)
            """)
        env = {"WASISOCK_PYTHON_CACHE": cache, "WASISOCK_CACHE": cache}
        r = launch("--etc", f"hosts={mine}", "--no-etc", "resolv.conf", "-c", code, env=env)
        self.assertRan(r)
        if os.getuid() != 0:  # root's writes are not refused, only undone
            self.assertNotIn("wrote", r.stdout)
        r = launch("--etc", f"hosts={mine}", "--no-etc", "resolv.conf", "-c",
                   "import os; print(open('/etc/hosts').read(), end=''); "
                   "print(os.path.exists('/etc/passwd'))", env=env)
        self.assertRan(r)
        self.assertEqual(r.stdout, "127.0.0.1 localhost\nFalse\n")

    def test_resolver_address_goes_through_the_policy(self):
        # A pure-Python DNS client reads the nameserver from /etc/resolv.conf
        # and sends it a query: the policy decides, as for any destination.
        conf = self.write("resolv.conf", "nameserver 127.0.0.1\n")
        code = textwrap.dedent("""\
            import errno, socket
            ns = [l.split()[1] for l in open('/etc/resolv.conf') if l.startswith('nameserver')][0]
            query = bytes.fromhex('1234010000010000000000000377777707657861'
                                  '6d706c6503636f6d0000010001')
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            try:
                s.sendto(query, (ns, 53))
                print('sent to', ns)
            except PermissionError as e:
                print('refused', ns, e.errno == errno.EACCES)
            """)
        r = launch("--deny-all", "--etc", f"resolv.conf={conf}", "-c", code)
        self.assertRan(r)
        self.assertEqual(r.stdout, "refused 127.0.0.1 True\n")
        self.assertIn("denied connect 127.0.0.1:53", r.stderr)
        r = launch("--deny-all", "--allow-connect", "127.0.0.1:53",
                   "--etc", f"resolv.conf={conf}", "-c", code)
        self.assertRan(r)
        self.assertEqual(r.stdout, "sent to 127.0.0.1\n")


class ListenTest(LauncherCase):
    SERVER = textwrap.dedent("""\
        import http.server, os, socket, sys
        # Socket activation, WASI style (docs/ENVIRONMENT.md)
        assert os.environ['LISTEN_FDS'] == '1', os.environ.get('LISTEN_FDS')
        sock = socket.socket(fileno=int(os.environ['LISTEN_FDS_START']))
        # --deny-all holds for the guest's own sockets
        try:
            socket.create_server(('127.0.0.1', 0))
            print('bound its own socket', flush=True)
        except PermissionError:
            pass

        class Hello(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                body = b'served from python.wasm on a socket handed over\\n'
                self.send_response(200)
                self.send_header('Content-Length', str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        server = http.server.HTTPServer(sock.getsockname(), Hello, bind_and_activate=False)
        server.socket.close()
        server.socket = sock
        print(os.environ['LISTEN_FDNAMES'], sock.family.name, sock.type.name,
              sock.getsockname()[1], flush=True)
        server.handle_request()
        server.server_close()
        """)

    def test_http_server_under_deny_all(self):
        script = self.write("server.py", self.SERVER)
        proc = subprocess.Popen(command("--deny-all", "--listen", "127.0.0.1:0", script),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            ready, _, _ = select.select([proc.stdout], [], [], 120)
            self.assertTrue(ready, "the guest printed nothing in 120 s")
            line = proc.stdout.readline().split()
            self.assertEqual(line[:3], ["tcp", "AF_INET", "SOCK_STREAM"], line)
            port = int(line[3])
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=60) as resp:
                self.assertEqual(resp.status, 200)
                self.assertEqual(resp.read(), b"served from python.wasm on a socket handed over\n")
            out, err = proc.communicate(timeout=120)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
        self.assertEqual(proc.returncode, 0, err)
        self.assertNotIn("bound its own socket", out)
        self.assertIn("denied bind", err)  # the guest's own try, logged

    def test_names_numbers_and_udp(self):
        code = textwrap.dedent("""\
            import os, socket
            n, start = int(os.environ['LISTEN_FDS']), int(os.environ['LISTEN_FDS_START'])
            print(n, os.environ['LISTEN_FDNAMES'], 'LISTEN_PID' in os.environ)
            for i in range(n):
                s = socket.socket(fileno=start + i)
                print(i, s.family.name, s.type.name, s.getsockname()[0])
            """)
        r = launch("--listen", "web=127.0.0.1:0", "--listen", "udp:127.0.0.1:0",
                   "--listen", "tcp:[::1]:0" if socket.has_ipv6 and self.v6() else "127.0.0.1:0",
                   "-c", code)
        self.assertRan(r)
        lines = r.stdout.splitlines()
        self.assertEqual(lines[0], "3 web:udp:tcp False")
        self.assertEqual(lines[1], "0 AF_INET SOCK_STREAM 127.0.0.1")
        self.assertEqual(lines[2], "1 AF_INET SOCK_DGRAM 127.0.0.1")
        self.assertTrue(lines[3].startswith("2 AF_INET"), lines[3])
        self.assertIn("listening on", r.stderr)  # port 0: where, told once each

    @staticmethod
    def v6():
        try:
            with socket.socket(socket.AF_INET6) as s:
                s.bind(("::1", 0))
            return True
        except OSError:
            return False

    def test_bad_listen(self):
        r = launch("--listen", "127.0.0.1", "-c", "pass")
        self.assertRan(r, 2)
        self.assertIn("--listen 127.0.0.1: expected HOST:PORT", r.stderr)
        with socket.create_server(("127.0.0.1", 0)) as taken:
            port = taken.getsockname()[1]
            r = launch("--listen", f"127.0.0.1:{port}", "-c", "pass")
            self.assertRan(r, 1)
            self.assertIn(f"--listen 127.0.0.1:{port}: bind: Address already in use", r.stderr)
        r = launch("--listen", "a:b=127.0.0.1:0", "-c", "pass")
        self.assertRan(r, 2)
        self.assertIn("name", r.stderr)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class TraceTest(LauncherCase):
    def serve(self):
        site = os.path.join(self.tmp, "site")
        os.mkdir(site)
        with open(os.path.join(site, "index.html"), "w") as f:
            f.write("<h1>Hello, WebAssembly!</h1>\n")
        handler = lambda *a, **k: _Quiet(*a, directory=site, **k)  # noqa: E731
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        return server.server_address[1]

    def test_trace_of_the_demo(self):
        port = self.serve()
        trace = os.path.join(self.tmp, "trace.txt")
        r = launch(f"--trace={trace}", os.path.join(ROOT, "examples", "python", "http_demo.py"),
                   "127.0.0.1", str(port), "/")
        self.assertRan(r)
        self.assertIn("same page: True", r.stdout)
        with open(trace) as f:
            lines = f.read().splitlines()
        for line in lines:
            self.assertRegex(line, TRACE_LINE)
        calls = [TRACE_LINE.match(line).group(1) for line in lines]
        # create_connection, sendall, recv..., close; then urllib the same
        # way.  (The numeric address never reaches the host's resolver: the
        # POSIX layer's getaddrinfo parses it in the guest.)
        for call in ("sock_open", "sock_connect", "sock_send", "sock_recv", "sock_close"):
            self.assertIn(call, calls)
        self.assertNotIn("sock_resolve", calls)
        text = "\n".join(lines)
        self.assertRegex(text, r"sock_open\(AF_INET, SOCK_STREAM, \[(\d+)\]\) = 0")
        # (create_connection's attempts are non-blocking: EINPROGRESS, then
        # sock_poll.)
        self.assertRegex(text, r"sock_connect\(\d+, 127\.0\.0\.1:%d\) = (0|EINPROGRESS)" % port)
        # data: its first 32 bytes, then "..."
        self.assertRegex(text, r'sock_send\(\d+, "GET / HTTP/1\.1\\r\\nHost: 127\.0\.0\.1:"\.\.\., '
                         r'\d+, \[\d+\]\) = 0')
        self.assertRegex(text, r'sock_recv\(\d+, "HTTP/1\.0 200 OK\\r\\n[^"]*"(\.\.\.)?, \d+, '
                         r'\[\d+\]\) = 0')
        self.assertEqual(calls.count("sock_open"), calls.count("sock_close"))

    def test_trace_to_stderr_with_a_denial(self):
        code = ("import socket\n"
                "try:\n"
                "    socket.create_connection(('10.255.255.1', 80))\n"
                "except PermissionError:\n"
                "    print('refused')\n")
        r = launch("--trace", "--deny-all", "-c", code)
        self.assertRan(r)
        self.assertEqual(r.stdout, "refused\n")
        self.assertRegex(r.stderr, r"sock_connect\(\d+, 10\.255\.255\.1:80\) = EACCES "
                         r"\(Permission denied\) <\d+\.\d{6}> \(denied connect "
                         r"10\.255\.255\.1:80 by default deny\)")


if __name__ == "__main__":
    sys.exit(main())
