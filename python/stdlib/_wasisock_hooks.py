"""python.wasm's start-up adjustments of standard library modules.

Two standard library modules assume what python.wasm lacks: threads
(WASI preview 1 has one: ``sys.thread_info.name`` is ``"pthread-stubs"``).
This module adjusts them when (and only when) they are imported, so
programs run unmodified and pay nothing for modules they do not import.
``sitecustomize`` calls :func:`install` at start-up (not under ``python
-S``).

Adjustments (one function per module, in ``FIXES``):

``asyncio.base_events``
    ``loop.getaddrinfo()`` and ``loop.getnameinfo()`` call ``socket``'s
    functions directly instead of through the default executor, which
    needs a thread.  Without this, ``asyncio.open_connection("localhost",
    port)``, ``start_server("localhost", ...)`` and every other name
    (numeric addresses never needed the executor) fail with "can't start
    new thread", and ``asyncio.run()`` fails again on exit.  The lookup
    blocks the loop while the host resolves, as everything in a
    one-thread guest does.  The functions are the module's own ``socket``
    global's, looked up at each call (so a test's mock of
    ``asyncio.base_events.socket`` is what is called).  Other
    ``run_in_executor(None, ...)`` and ``asyncio.to_thread`` calls still
    need threads.

``socketserver``
    ``ThreadingMixIn`` (``ThreadingTCPServer``, ``http.server``'s
    ``ThreadingHTTPServer`` and so ``python -m http.server``) handles each
    request in the calling thread, one after the other, as the plain
    servers do, instead of failing every request with "can't start new
    thread".  What escapes the handler goes where a handler thread's
    would, to ``threading.excepthook`` (which ignores ``SystemExit``), not
    out of ``handle_request()``; only ``KeyboardInterrupt`` (Ctrl-C, which a
    handler thread would never see) stops the server.  ``ForkingMixIn``
    is unchanged (WASI cannot fork).

The standard library's files are not changed: the fix is applied to the
module object right after it executes.  A host with threads (a future
wasip1-threads build) gets no adjustment.
"""

import sys

#: Whether the interpreter can start threads.
THREADS = sys.thread_info.name != "pthread-stubs"


def _fix_asyncio_base_events(mod):
    """loop.getaddrinfo/getnameinfo without the default executor."""
    loop_class = mod.BaseEventLoop

    async def getaddrinfo(self, host, port, *, family=0, type=0, proto=0, flags=0):
        if self._debug:
            return self._getaddrinfo_debug(host, port, family, type, proto, flags)
        return mod.socket.getaddrinfo(host, port, family, type, proto, flags)

    async def getnameinfo(self, sockaddr, flags=0):
        return mod.socket.getnameinfo(sockaddr, flags)

    for func, orig in ((getaddrinfo, loop_class.getaddrinfo), (getnameinfo, loop_class.getnameinfo)):
        func.__doc__ = orig.__doc__
        func.__qualname__ = orig.__qualname__
        func.__module__ = orig.__module__
        func.__wasisock_adjusted__ = True
        setattr(loop_class, func.__name__, func)


def _fix_socketserver(mod):
    """ThreadingMixIn serves requests in the calling thread."""

    def process_request(self, request, client_address):
        """Handle the request here, as the handler thread would: python.wasm
        has no threads (adjusted by python.wasm's _wasisock_hooks)."""
        import threading

        if self.block_on_close:  # as ThreadingMixIn: server_close() joins
            vars(self).setdefault("_threads", mod._Threads())
        try:
            self.process_request_thread(request, client_address)
        except KeyboardInterrupt:
            raise
        except BaseException:  # what would end the thread, SystemExit too
            threading.excepthook(threading.ExceptHookArgs((*sys.exc_info(), None)))

    process_request.__qualname__ = "ThreadingMixIn.process_request"
    process_request.__module__ = mod.__name__
    process_request.__wasisock_adjusted__ = True
    mod.ThreadingMixIn.process_request = process_request


#: Module name -> function applied to the module once it has executed.
FIXES = {}
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
