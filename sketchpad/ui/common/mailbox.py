"""Handing things from Python threads to the GUI thread without calling Qt from those threads.

A signal emitted on a Python thread can deadlock PySide6: Qt takes a connection lock of the receiver
and then needs the GIL (to copy a Python argument or look up a Python override), while the GUI thread
holds the GIL and waits for that very lock (connecting a signal, say). Seen here as a hang of the UI
tests. So threads only put items in a queue and write one byte to a socket; a QSocketNotifier wakes
the GUI thread, which takes the items and emits `arrived` itself.
"""

from __future__ import annotations

import contextlib
import queue
import socket

from PySide6.QtCore import QObject, QSocketNotifier, Signal


class Mailbox(QObject):
    arrived = Signal(object)  # each posted item, in order, on the GUI thread

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._wake_read, self._wake_write = socket.socketpair()
        for end in (self._wake_read, self._wake_write):
            end.setblocking(False)
        self._notifier = QSocketNotifier(self._wake_read.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._deliver)

    def post(self, item: object) -> None:
        """From any thread."""
        self._items.put(item)
        with contextlib.suppress(BlockingIOError, OSError):  # a full buffer is already a wake-up; closed: gone
            self._wake_write.send(b"\0")

    def _deliver(self) -> None:
        with contextlib.suppress(BlockingIOError, OSError):
            while self._wake_read.recv(4096):
                pass
        while True:
            try:
                item = self._items.get_nowait()
            except queue.Empty:
                return
            self.arrived.emit(item)

    def close(self) -> None:
        self._notifier.setEnabled(False)
        self._wake_read.close()
        self._wake_write.close()
