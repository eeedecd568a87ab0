"""The examples users of the seed project wrote, run as written.

Each example is the text of the seed's README (or of docs/PYTHON.md), with
only the address changed: "example.com"/"google.com" and port 80 become
HOST and PORT, a local HTTP server ("localhost" on a port served on both
127.0.0.1 and ::1).  The code runs with exec(); its printed output is kept
and checked along with the variables it leaves behind.
"""

import contextlib
import io
import textwrap
import unittest

import support

LOW_LEVEL = """
import _wasisocket
from _wasisocket import AF_INET, SOCK_STREAM

# Create socket
fd = _wasisocket.sock_open(AF_INET, SOCK_STREAM)

# Resolve hostname
addrs = _wasisocket.sock_resolve(HOST, PORT)
# Returns: [(family, port, addr_bytes), ...]

# Connect
family, port, addr_bytes = [a for a in addrs if a[0] == AF_INET][0]
_wasisocket.sock_connect(fd, family, port, addr_bytes)

# Send/Receive
sent = _wasisocket.sock_send(fd, b'GET / HTTP/1.0\\r\\n\\r\\n')
data = _wasisocket.sock_recv(fd, 4096)

# Close
_wasisocket.sock_close(fd)
"""

CONTEXT_MANAGER = """
import wasisocket

# Context manager (automatic cleanup)
with wasisocket.Socket() as sock:
    sock.connect((HOST, PORT))
    sock.send(b'GET / HTTP/1.1\\r\\nHost: localhost\\r\\n\\r\\n')
    response = sock.recv(4096)
"""

MANUAL = """
import wasisocket

request = b'GET / HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n'

# Or manual management
sock = wasisocket.Socket(wasisocket.AF_INET, wasisocket.SOCK_STREAM)
sock.connect((HOST, PORT))
sock.sendall(request)
data = sock.recv(1024)
sock.close()

# Convenience function
sock = wasisocket.create_connection((HOST, PORT))
sock.close()
"""

HTTP_GET = '''
import wasisocket

sock = wasisocket.Socket()
sock.connect((HOST, PORT))

request = b"""GET / HTTP/1.1
Host: example.com
Connection: close

"""

sock.sendall(request)

response = b''
while True:
    chunk = sock.recv(4096)
    if not chunk:
        break
    response += chunk

sock.close()

print(response.decode('utf-8'))
'''

MULTIPLE_ADDRESSES = """
import wasisocket

# Get all addresses for a hostname
addrs = wasisocket.getaddrinfo(HOST, PORT)

for family, port, addr_bytes in addrs:
    if family == wasisocket.AF_INET:
        # Convert bytes to IP string
        ip = '.'.join(str(b) for b in addr_bytes)
        print(f"IPv4: {ip}:{port}")
    elif family == wasisocket.AF_INET6:
        print(f"IPv6: {addr_bytes.hex()}:{port}")
"""

ERROR_HANDLING = """
import wasisocket

try:
    sock = wasisocket.Socket()
    sock.connect(('nonexistent.invalid', 80))
except wasisocket.SocketError as e:
    print(f"Connection failed: {e}")
except OSError as e:
    print(f"OS error: {e}")
finally:
    sock.close()
"""

SOCKET_STYLE = """
import wasisocket as socket
sock = socket.Socket(socket.AF_INET, socket.SOCK_STREAM)
sock.connect((HOST, PORT))
sock.send(b'GET / HTTP/1.1\\r\\nHost: example.com\\r\\nConnection: close\\r\\n\\r\\n')
data = sock.recv(1024)
sock.close()
"""

# The two snippets of the issue, as users wrote them.
ISSUE_SOCKET = """
import wasisocket; s = wasisocket.Socket(); s.connect((HOST, PORT)); s.sendall(b"GET / HTTP/1.0\\r\\n\\r\\n"); data = s.recv(4096)
s.close()
"""

ISSUE_CREATE_CONNECTION = """
import wasisocket
with wasisocket.create_connection((host, port)) as s:
    s.sendall(b"GET /hello HTTP/1.0\\r\\n\\r\\n")
    reply = b""
    while chunk := s.recv(4096):
        reply += chunk
"""

# docs/PYTHON.md, "Refused connections and unknown names".
DOCS_ERRORS = """
import wasisocket

try:
    wasisocket.create_connection(("127.0.0.1", REFUSED_PORT))
except ConnectionRefusedError as e:
    print("refused:", e.errno == __import__("errno").ECONNREFUSED)

try:
    wasisocket.getaddrinfo("nonexistent.invalid", 80)
except wasisocket.gaierror as e:
    print("no such name:", e.strerror)
"""

# docs/PYTHON.md, "The _wasisocket module" (revision 2), with a print added.
DOCS_LOW_LEVEL_REV2 = """
import _wasisocket as w

srv = w.sock_open(w.AF_INET, w.SOCK_STREAM)
w.sock_bind(srv, w.AF_INET, 0, bytes([127, 0, 0, 1]))
w.sock_listen(srv, 16)
family, port, addr = w.sock_local_addr(srv)
c = w.sock_open(w.AF_INET, w.SOCK_STREAM)
w.sock_set_timeout(c, 0)                               # non-blocking
try:
    w.sock_connect(c, w.AF_INET, port, addr)
except BlockingIOError:                                # EINPROGRESS
    pass
print(w.sock_poll([(srv, w.POLLIN), (c, w.POLLOUT)], 1.0))   # [(srv, 1), (c, 2)]
conn, peer = w.sock_accept(srv)                        # (1026, (1, 50432, b'\\x7f\\x00\\x00\\x01'))
assert w.sock_getsockopt(c, w.SOL_SOCKET, w.SO_ERROR) == 0
"""

# docs/PYTHON.md, "Timeouts and non-blocking sockets"; port 7000 is the
# echo server's.
DOCS_TIMEOUTS = """
import errno, wasisocket

s = wasisocket.create_connection(("127.0.0.1", 7000))
s.settimeout(0.2)
try:
    s.recv(100)                   # nothing arrives: TimeoutError after 0.2 s
except TimeoutError:
    pass

c = wasisocket.Socket()
c.setblocking(False)
if c.connect_ex(("127.0.0.1", 7000)) == errno.EINPROGRESS:
    wasisocket.poll([(c.fileno(), wasisocket.POLLOUT)], 5)
    err = c.getsockopt(wasisocket.SOL_SOCKET, wasisocket.SO_ERROR)  # 0: connected
try:
    c.recv(100)
except BlockingIOError:           # EAGAIN (6 in WASI's numbering)
    pass
"""


def run(code, **names):
    """exec() code with HOST/PORT etc. predefined; return (namespace, output)."""
    namespace = {"__name__": "__example__"}
    namespace.update(names)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(textwrap.dedent(code), "<example>", "exec"), namespace)
    return namespace, out.getvalue()


class ExamplesTest(unittest.TestCase):
    def setUp(self):
        self.names = {"HOST": "localhost", "PORT": support.DUAL["http"]}

    def assertHTTPOK(self, data):
        self.assertRegex(data, rb"^HTTP/1\.[01] 200 ")

    def test_low_level(self):
        ns, _ = run(LOW_LEVEL, **self.names)
        self.assertEqual(ns["sent"], len(b"GET / HTTP/1.0\r\n\r\n"))
        self.assertHTTPOK(ns["data"])

    def test_context_manager(self):
        ns, _ = run(CONTEXT_MANAGER, **self.names)
        self.assertHTTPOK(ns["response"])
        self.assertTrue(ns["sock"].closed)

    def test_manual_and_create_connection(self):
        ns, _ = run(MANUAL, **self.names)
        self.assertHTTPOK(ns["data"])
        self.assertTrue(ns["sock"].closed)

    def test_http_get_until_eof(self):
        ns, out = run(HTTP_GET, **self.names)
        self.assertHTTPOK(ns["response"])
        self.assertTrue(ns["response"].endswith(support.HELLO_BODY))
        self.assertIn(support.HELLO_BODY.decode(), out)

    def test_multiple_addresses(self):
        _, out = run(MULTIPLE_ADDRESSES, **self.names)
        lines = out.splitlines()
        self.assertTrue(lines)
        port = support.DUAL["http"]
        for line in lines:
            self.assertIn(line, (f"IPv4: 127.0.0.1:{port}", f"IPv6: {'0' * 31}1:{port}"))

    def test_error_handling(self):
        _, out = run(ERROR_HANDLING)
        self.assertTrue(out.startswith("Connection failed: "), out)

    def test_socket_module_style(self):
        ns, _ = run(SOCKET_STYLE, **self.names)
        self.assertHTTPOK(ns["data"])

    def test_issue_snippets(self):
        ns, _ = run(ISSUE_SOCKET, **self.names)
        self.assertHTTPOK(ns["data"])
        ns, _ = run(ISSUE_CREATE_CONNECTION, host="localhost", port=support.DUAL["http"])
        self.assertHTTPOK(ns["reply"])
        self.assertTrue(ns["reply"].endswith(support.HELLO_BODY))

    def test_docs_errors(self):
        _, out = run(DOCS_ERRORS, REFUSED_PORT=support.V4["refused"])
        self.assertIn("refused: True", out)
        self.assertIn("no such name: ", out)

    def test_docs_low_level_revision_2(self):
        ns, out = run(DOCS_LOW_LEVEL_REV2)
        srv, c = ns["srv"], ns["c"]
        self.assertEqual(out.strip(), f"[({srv}, 1), ({c}, 2)]")
        self.assertEqual(ns["peer"][2], bytes([127, 0, 0, 1]))
        for fd in (srv, c, ns["conn"]):
            ns["w"].sock_close(fd)

    def test_docs_timeouts(self):
        port = str(support.V4["echo"])
        ns, _ = run(DOCS_TIMEOUTS.replace("7000", port))
        self.assertEqual(ns["err"], 0)
        self.assertFalse(ns["c"].getblocking())
        ns["s"].close()
        ns["c"].close()


if __name__ == "__main__":
    unittest.main()
