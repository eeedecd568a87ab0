"""The selector for wasisocket sockets: ``selectors.PollSelector``.

:class:`WasisockSelector` is the standard library's ``PollSelector`` (over
``select.poll``, which wasisock's POSIX layer serves for sockets and WASI
descriptors alike); the name stays for the programs that use it::

    from wasisocket.selectors import WasisockSelector, EVENT_READ

    with WasisockSelector() as sel:
        sel.register(server, EVENT_READ, data="accept")
        for key, events in sel.select(timeout=1.0):
            ...

Register objects with a ``fileno()`` (a :class:`wasisocket.Socket`, a
``socket.socket``, a file) or plain descriptors.
"""

import selectors as _selectors
from selectors import EVENT_READ, EVENT_WRITE, SelectorKey

__all__ = ["EVENT_READ", "EVENT_WRITE", "SelectorKey", "WasisockSelector", "DefaultSelector"]


class WasisockSelector(_selectors.PollSelector):
    """``selectors.PollSelector``: ``select(timeout=None)`` waits without
    limit, ``timeout <= 0`` only looks; the wait is rounded up to whole
    milliseconds.  An error or hang-up on a socket (``POLLERR``,
    ``POLLHUP``) and a descriptor closed while registered (``POLLNVAL``)
    make it ready for what it waits for: the next read or write tells what
    happened."""


#: The selector to use with wasisock sockets.
DefaultSelector = WasisockSelector
