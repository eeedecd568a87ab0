"""python.wasm's start-up adjustments of standard library modules.

A few standard library modules assume what python.wasm lacks: threads
(WASI preview 1 has one: ``sys.thread_info.name`` is ``"pthread-stubs"``)
and a ``_socket`` with a C API.  This module adjusts them when (and only
when) they are imported, so programs run unmodified and pay nothing for
modules they do not import.  ``sitecustomize`` calls :func:`install` at
start-up (not under ``python -S``).

Adjustments (one function per module, in ``FIXES``):

``ssl``
    ``SSLContext.sslsocket_class`` becomes ``wasisocket.tls.SSLSocket``,
    which runs TLS over MemoryBIOs and the socket's own send/recv, since
    ``_ssl`` cannot drive a pure-Python socket (wasisocket/tls.py,
    ``tls.install()``).

``asyncio.base_events``
    ``loop.getaddrinfo()`` and ``loop.getnameinfo()`` call ``socket``'s
    functions directly instead of through the default executor, which
    needs a thread.  Without this, ``asyncio.open_connection("localhost",
    port)``, ``start_server("localhost", ...)`` and every other name
    (numeric addresses never needed the executor) fail with "can't start
    new thread", and ``asyncio.run()`` fails again on exit.  The lookup
    blocks the loop while the host resolves, as everything in a
    one-thread guest does.  Other ``run_in_executor(None, ...)`` and
    ``asyncio.to_thread`` calls still need threads.

``socketserver``
    ``ThreadingMixIn`` (``ThreadingTCPServer``, ``http.server``'s
    ``ThreadingHTTPServer`` and so ``python -m http.server``) handles each
    request in the calling thread, one after the other, as the plain
    servers do, instead of failing every request with "can't start new
    thread".  ``ForkingMixIn`` is unchanged (WASI cannot fork).

The standard library's files are not changed: the fix is applied to the
module object right after it executes.  A host with threads (a future
wasip1-threads build) gets no adjustment.
"""

import sys

#: Whether the interpreter can start threads.
THREADS = sys.thread_info.name != "pthread-stubs"


def _fix_asyncio_base_events(mod):
    """loop.getaddrinfo/getnameinfo without the default executor."""
    import socket

    loop_class = mod.BaseEventLoop

    async def getaddrinfo(self, host, port, *, family=0, type=0, proto=0, flags=0):
        if self._debug:
            return self._getaddrinfo_debug(host, port, family, type, proto, flags)
        return socket.getaddrinfo(host, port, family, type, proto, flags)

    async def getnameinfo(self, sockaddr, flags=0):
        return socket.getnameinfo(sockaddr, flags)

    for func, orig in ((getaddrinfo, loop_class.getaddrinfo), (getnameinfo, loop_class.getnameinfo)):
        func.__doc__ = orig.__doc__
        func.__qualname__ = orig.__qualname__
        func.__module__ = orig.__module__
        func.__wasisock_adjusted__ = True
        setattr(loop_class, func.__name__, func)


def _fix_socketserver(mod):
    """ThreadingMixIn serves requests in the calling thread."""

    def process_request(self, request, client_address):
        """Handle the request here, as BaseServer does: python.wasm has no
        threads (adjusted by python.wasm's _wasisock_hooks)."""
        self.process_request_thread(request, client_address)

    process_request.__qualname__ = "ThreadingMixIn.process_request"
    process_request.__module__ = mod.__name__
    process_request.__wasisock_adjusted__ = True
    mod.ThreadingMixIn.process_request = process_request


def _fix_ssl(mod):
    """TLS sockets through wasisocket.tls when _ssl cannot drive ours."""
    try:
        from wasisocket import tls
    except ImportError:  # python.wasm without the wasisocket package
        return
    if tls.needed():
        tls.install()


#: Module name -> function applied to the module once it has executed.
FIXES = {"ssl": _fix_ssl}
if not THREADS:
    FIXES["asyncio.base_events"] = _fix_asyncio_base_events
    FIXES["socketserver"] = _fix_socketserver


class _Loader:
    """Wraps a module's loader: executes the module, then applies its fix."""

    def __init__(self, loader, fix):
        self._loader = loader
        self._fix = fix

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        self._loader.exec_module(module)
        self._fix(module)

    def __getattr__(self, name):  # get_source, get_code, ... for tracebacks
        return getattr(self._loader, name)


class _Finder:
    """A meta path finder that only looks at the names in FIXES: it finds
    their spec with the other finders and wraps the loader."""

    def find_spec(self, name, path=None, target=None):
        fix = FIXES.get(name)
        if fix is None:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None:
                break
        else:
            return None
        if spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        spec.loader = _Loader(spec.loader, fix)
        return spec

    def invalidate_caches(self):
        pass


def install():
    """Adjust the modules of FIXES when they are imported (those imported
    already are adjusted now).  Idempotent."""
    if not FIXES or any(isinstance(f, _Finder) for f in sys.meta_path):
        return
    for name, fix in FIXES.items():
        mod = sys.modules.get(name)
        if mod is not None:
            fix(mod)
    sys.meta_path.insert(0, _Finder())
