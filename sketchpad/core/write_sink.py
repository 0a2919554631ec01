"""The temporary file as a writer sees it while `durable.write_atomically` produces a file.

A write that fails (a full disk, an I/O error) is recorded instead of raised, and from then on
writes are counted but dropped, seeks and tells keep a position of their own, and the writer runs
to its end. Two reasons: a writer in C (libsndfile through soundfile's callbacks) turns an
exception raised in a callback into a printed traceback and an AssertionError, and a writer that
runs to its end tells us how large the whole file would have been ("23.4 MB needed"). The caller
raises the recorded error once the writer returns (`check`).
"""

from __future__ import annotations

import os
from typing import BinaryIO


class Sink:
    def __init__(self, handle: BinaryIO) -> None:
        self._handle = handle
        self._position = 0
        self.extent = 0  # the size the complete file takes (the file starts empty)
        self.error: OSError | None = None

    def write(self, data: bytes | bytearray | memoryview) -> int:
        size = memoryview(data).nbytes
        if self.error is None:
            try:
                self._handle.write(data)
            except OSError as error:
                self.error = error
        self._position += size
        self.extent = max(self.extent, self._position)
        return size  # all of it, as far as the writer is concerned

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self._position, os.SEEK_END: self.extent}[whence]
        target = base + offset
        if target < 0:
            raise ValueError(f"negative seek position {target}")
        if self.error is None:
            try:
                self._handle.seek(target)
            except OSError as error:
                self.error = error
        self._position = target
        return target

    def tell(self) -> int:
        return self._position

    def flush(self) -> None:
        if self.error is None:
            try:
                self._handle.flush()
            except OSError as error:
                self.error = error

    def seekable(self) -> bool:
        return True

    def writable(self) -> bool:
        return True

    def readable(self) -> bool:
        return False

    def check(self) -> None:
        """Raise the first error the writer met, if any."""
        if self.error is not None:
            raise self.error

    def __getattr__(self, name: str) -> object:
        return getattr(self._handle, name)
