"""The engine process's side of the pipe: the protocol's output stream, written whole from any thread."""

from __future__ import annotations

import os
import sys
import threading
from typing import BinaryIO

from sketchpad.engine_link.wire import Message, write_message


def claim_stdout() -> BinaryIO:
    """The protocol's output stream: the real stdout, with fd 1 pointed at stderr from now on, so that
    whatever a library prints can never corrupt a message."""
    sys.stdout.flush()
    stream = os.fdopen(os.dup(1), "wb", buffering=0)
    os.dup2(2, 1)
    return stream


class Channel:
    """Sends messages from any thread, whole; a failed write (the window is gone) ends the process."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._lock = threading.Lock()

    def send(self, message: Message) -> None:
        with self._lock:
            try:
                write_message(self._stream, message)
            except OSError:  # the window closed its end: nobody is listening any more
                os._exit(0)
