"""Fetch a page over HTTP from inside WebAssembly: with the wasisocket package,
then with the unmodified standard library (urllib.request).

    wasisock-python examples/python/http_demo.py HOST PORT [PATH]

Runs inside python.wasm (CPython compiled to wasm32-wasip1).  Every socket
operation below leaves the WebAssembly sandbox through one import of the
"wasisock" module, which the host (libwasisock, via the Node.js runner)
carries out on a real socket.
"""
import sys
import urllib.request

import wasisocket


def fetch(host, port, path):
    addrs = wasisocket.getaddrinfo(host, port)
    with wasisocket.create_connection((host, port)) as sock:
        request = (f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
                   "User-Agent: python.wasm+wasisock\r\nConnection: close\r\n\r\n")
        sock.sendall(request.encode("ascii"))
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return addrs, b"".join(chunks)


def main():
    host, port = sys.argv[1], int(sys.argv[2])
    path = sys.argv[3] if len(sys.argv) > 3 else "/"
    addrs, response = fetch(host, port, path)
    head, _, body = response.partition(b"\r\n\r\n")
    print(f"python.wasm ({sys.platform}, {sys.implementation.name} "
          f"{sys.version.split()[0]}) resolved {host!r} to "
          f"{len(addrs)} address(es) and fetched http://{host}:{port}{path}")
    print()
    print(head.decode("latin-1"))
    print()
    print(body.decode("utf-8", "replace"))

    # The same page through the unmodified standard library: urllib ->
    # http.client -> socket -> python.wasm's _socket -> wasisock imports.
    url = f"http://{host}:{port}{path}"
    with urllib.request.urlopen(url, timeout=10) as resp:
        page = resp.read()
    print(f"urllib.request.urlopen({url!r}): HTTP {resp.status}, "
          f"{len(page)} bytes, same page: {page == body}")


if __name__ == "__main__":
    main()
