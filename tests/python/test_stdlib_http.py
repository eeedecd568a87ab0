"""http.client, urllib.request, socketserver and http.server, unmodified.

Clients in the guest talk to the harness's native HTTP server; servers in
the guest are fetched by a native client (the harness's peer, peer.py).
"""

import http.client
import http.server
import json
import os
import socketserver
import unittest
import urllib.error
import urllib.request

import peer
import support

HERE = os.path.dirname(os.path.abspath(__file__))


class ClientTest(unittest.TestCase):
    def setUp(self):
        self.port = support.V4["http"]

    def test_http_client_get(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        self.addCleanup(conn.close)
        conn.request("GET", "/hello")
        resp = conn.getresponse()
        self.assertEqual((resp.status, resp.reason), (200, "OK"))
        self.assertEqual(resp.getheader("Content-Length"), str(len(support.HELLO_BODY)))
        self.assertEqual(resp.read(), support.HELLO_BODY)

    def test_http_client_post(self):
        body = json.dumps({"n": list(range(1000))}).encode()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        self.addCleanup(conn.close)
        conn.request("POST", "/echo", body=body, headers={"Content-Type": "application/json"})
        resp = conn.getresponse()
        self.assertEqual(resp.status, 200)
        self.assertEqual(resp.getheader("Content-Type"), "application/json")
        self.assertEqual(json.loads(resp.read()), {"n": list(range(1000))})

    def test_http_client_large_and_404(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        self.addCleanup(conn.close)
        conn.request("GET", "/bytes/1000000")
        self.assertEqual(conn.getresponse().read(), b"x" * 1000000)
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        self.addCleanup(conn.close)
        conn.request("GET", "/missing")
        resp = conn.getresponse()
        self.assertEqual(resp.status, 404)
        resp.read()

    def test_urlopen(self):
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/") as resp:
            self.assertEqual(resp.status, 200)
            self.assertEqual(resp.read(), support.HELLO_BODY)

    def test_urlopen_by_name_with_timeout(self):
        url = f"http://localhost:{support.DUAL['http']}/hello"
        with urllib.request.urlopen(url, timeout=10) as resp:
            self.assertEqual(resp.read(), support.HELLO_BODY)

    def test_urlopen_post(self):
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}/echo", data=b"posted")
        with urllib.request.urlopen(req, timeout=10) as resp:
            self.assertEqual(resp.read(), b"posted")

    def test_urlopen_errors(self):
        with self.assertRaises(urllib.error.HTTPError) as cm:
            urllib.request.urlopen(f"http://127.0.0.1:{self.port}/missing", timeout=10)
        self.assertEqual(cm.exception.code, 404)
        cm.exception.close()
        with self.assertRaises(urllib.error.URLError) as cm:
            urllib.request.urlopen(f"http://127.0.0.1:{support.V4['refused']}/", timeout=10)
        self.assertIsInstance(cm.exception.reason, ConnectionRefusedError)
        with self.assertRaises(urllib.error.URLError) as cm:
            urllib.request.urlopen("http://nonexistent.invalid/", timeout=10)
        self.assertIsInstance(cm.exception.reason, __import__("socket").gaierror)

    def test_ipv6(self):
        srv = support.servers(self, "v6")
        conn = http.client.HTTPConnection("::1", srv["http"], timeout=10)
        self.addCleanup(conn.close)
        conn.request("GET", "/hello")
        self.assertEqual(conn.getresponse().read(), support.HELLO_BODY)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        body = f"hello from wasm: {self.path}".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(201)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body.upper())

    def log_message(self, *args):
        pass


class _Stop(BaseException):
    """Raised by a handler to end serve_forever (single-threaded guest)."""


class CountingHandler(Handler):
    """Ends serve_forever after the STOP_AFTER-th request (whichever it is:
    the native client sends them concurrently)."""

    STOP_AFTER = 4
    served = 0

    def do_GET(self):
        super().do_GET()
        self.wfile.flush()
        type(self).served += 1
        if self.served == self.STOP_AFTER:
            raise _Stop


class ServerTest(unittest.TestCase):
    """Servers in the guest, fetched by the native client."""

    def server(self, handler, cls=http.server.HTTPServer):
        srv = cls(("127.0.0.1", 0), handler)
        srv.timeout = peer.TIMEOUT
        self.addCleanup(srv.server_close)
        return srv, f"http://127.0.0.1:{srv.server_address[1]}"

    def test_http_server_get_and_post(self):
        srv, base = self.server(Handler)
        self.assertEqual(srv.server_name, "localhost")  # getfqdn("127.0.0.1")
        req = peer.http(base + "/index.html")
        srv.handle_request()
        reply = req.result()
        self.assertEqual(reply["status"], 200)
        self.assertEqual(reply["body"], b"hello from wasm: /index.html")
        self.assertIn("BaseHTTP", reply["headers"]["Server"])
        req = peer.http(base + "/form", method="POST", body=b"x=1&y=2")
        srv.handle_request()
        reply = req.result()
        self.assertEqual((reply["status"], reply["body"]), (201, b"X=1&Y=2"))

    def test_serve_forever(self):
        handler = type("Counting", (CountingHandler,), {"served": 0})
        srv, base = self.server(handler)
        reqs = [peer.http(f"{base}/n/{i}") for i in range(handler.STOP_AFTER)]
        with self.assertRaises(_Stop):
            srv.serve_forever(poll_interval=0.05)
        self.assertEqual([r.result()["body"] for r in reqs],
                         [f"hello from wasm: /n/{i}".encode() for i in range(handler.STOP_AFTER)])

    def test_simple_http_request_handler(self):
        # Files from the guest's file system, served as the stdlib does.
        class Quiet(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=HERE, **kwargs)

            def log_message(self, *args):
                pass

        srv, base = self.server(Quiet)
        req = peer.http(base + "/support.py")
        srv.handle_request()
        reply = req.result()
        with open(os.path.join(HERE, "support.py"), "rb") as f:
            self.assertEqual(reply["body"], f.read())
        self.assertEqual(reply["headers"]["Content-type"], "text/x-python")

    def test_socketserver_tcp(self):
        class Upper(socketserver.StreamRequestHandler):
            def handle(self):
                self.wfile.write(self.rfile.read().upper())

        srv = socketserver.TCPServer(("127.0.0.1", 0), Upper)
        srv.timeout = peer.TIMEOUT
        self.addCleanup(srv.server_close)
        req = peer.tcp(srv.server_address[1], b"shout " * 10000)
        srv.handle_request()
        self.assertEqual(req.result()["received"], b"SHOUT " * 10000)

    def test_threading_server_without_threads(self):
        # python.wasm has no threads; sitecustomize makes ThreadingMixIn
        # serve in the calling thread (python -m http.server uses it).
        self.assertTrue(socketserver.ThreadingMixIn.process_request.__wasisock_adjusted__)
        srv, base = self.server(Handler, cls=http.server.ThreadingHTTPServer)
        req = peer.http(base + "/threaded")
        srv.handle_request()
        self.assertEqual(req.result()["body"], b"hello from wasm: /threaded")

    def test_wsgiref(self):
        from wsgiref.simple_server import WSGIRequestHandler, make_server

        def app(environ, start_response):
            body = f"{environ['REQUEST_METHOD']} {environ['PATH_INFO']}".encode()
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [body]

        class Quiet(WSGIRequestHandler):
            def log_message(self, *args):
                pass

        srv = make_server("127.0.0.1", 0, app, handler_class=Quiet)
        srv.timeout = peer.TIMEOUT
        self.addCleanup(srv.server_close)
        req = peer.http(f"http://127.0.0.1:{srv.server_port}/wsgi/app", method="POST", body=b"")
        srv.handle_request()
        self.assertEqual(req.result()["body"], b"POST /wsgi/app")

    def test_handle_request_timeout(self):
        srv, _ = self.server(Handler)
        srv.timeout = 0.1
        timed_out = []
        srv.handle_timeout = lambda: timed_out.append(True)
        srv.handle_request()
        self.assertEqual(timed_out, [True])


if __name__ == "__main__":
    unittest.main()
