"""A :mod:`selectors` implementation over wasisock's ``sock_poll``.

:class:`WasisockSelector` is a ``selectors.BaseSelector``: register objects
with a ``fileno()`` (a :class:`wasisocket.Socket`) or plain wasisock handles
for ``EVENT_READ`` and/or ``EVENT_WRITE``, then ``select()``::

    from wasisocket.selectors import WasisockSelector, EVENT_READ

    with WasisockSelector() as sel:
        sel.register(server, EVENT_READ, data="accept")
        for key, events in sel.select(timeout=1.0):
            ...

Handles are the host's socket numbers, not WASI file descriptors: a WASI
file (stdin, a pipe) cannot be registered here.
"""

import math as _math
import selectors as _selectors

import _wasisocket

from selectors import EVENT_READ, EVENT_WRITE, SelectorKey

__all__ = ["EVENT_READ", "EVENT_WRITE", "SelectorKey", "WasisockSelector", "DefaultSelector"]

_POLLIN = _wasisocket.POLLIN
_POLLOUT = _wasisocket.POLLOUT


class WasisockSelector(_selectors._BaseSelectorImpl):
    """Selector over the host's ``sock_poll`` (at most ``POLL_MAX``
    registered handles).

    ``select(timeout=None)`` waits without limit, ``timeout <= 0`` only
    looks; the wait is rounded up to whole milliseconds.  An error or
    hang-up on a socket (``POLLERR``, ``POLLHUP``) makes it ready for both
    events, and a handle closed while registered (``POLLNVAL``) too, as
    with ``selectors.PollSelector``: the next read or write tells what
    happened.
    """

    def __init__(self):
        super().__init__()
        # fd -> POLLIN|POLLOUT, handed to sock_poll as its items().
        self._poll_events = {}

    def register(self, fileobj, events, data=None):
        key = super().register(fileobj, events, data)
        try:
            self._poll_events[key.fd] = _poll_bits(events)
        except BaseException:
            super().unregister(fileobj)
            raise
        return key

    def unregister(self, fileobj):
        key = super().unregister(fileobj)
        self._poll_events.pop(key.fd, None)
        return key

    def modify(self, fileobj, events, data=None):
        try:
            key = self._fd_to_key[self._fileobj_lookup(fileobj)]
        except KeyError:
            raise KeyError(f"{fileobj!r} is not registered") from None
        if events != key.events:
            if not events or events & ~(EVENT_READ | EVENT_WRITE):
                raise ValueError(f"Invalid events: {events!r}")
            self._poll_events[key.fd] = _poll_bits(events)
            key = key._replace(events=events, data=data)
            self._fd_to_key[key.fd] = key
        elif data != key.data:
            key = key._replace(data=data)
            self._fd_to_key[key.fd] = key
        return key

    def select(self, timeout=None):
        if timeout is not None:
            timeout = 0 if timeout <= 0 else _math.ceil(timeout * 1e3) * 1e-3
        if not self._poll_events:
            # sock_poll refuses to wait for nothing without a limit; the
            # other selectors block for ever then.
            while timeout is None:
                _wasisocket.sock_poll((), 3600.0)
            if timeout:
                _wasisocket.sock_poll((), timeout)
            return []
        ready = []
        fd_to_key = self._fd_to_key
        for fd, revents in _wasisocket.sock_poll(self._poll_events.items(), timeout):
            key = fd_to_key.get(fd)
            if key is None:
                continue
            events = 0
            if revents & ~_POLLIN:
                events |= EVENT_WRITE
            if revents & ~_POLLOUT:
                events |= EVENT_READ
            events &= key.events
            if events:
                ready.append((key, events))
        return ready

    def close(self):
        self._poll_events.clear()
        super().close()


def _poll_bits(events):
    bits = 0
    if events & EVENT_READ:
        bits |= _POLLIN
    if events & EVENT_WRITE:
        bits |= _POLLOUT
    return bits


#: The selector to use with wasisock sockets.
DefaultSelector = WasisockSelector
