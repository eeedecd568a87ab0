"""python.wasm's site customisation, imported by ``site`` at start-up.

Adjusts standard library modules when a program imports them
(_wasisock_hooks.py: asyncio's loop.getaddrinfo and socketserver's
ThreadingMixIn work without threads).  Add an adjustment there, as one
function in its FIXES table, rather than code here: this file stays small
because every start of python.wasm runs it.  ``python -S`` skips it.
"""

import _wasisock_hooks

_wasisock_hooks.install()
del _wasisock_hooks
