"""The engine process's side of the pipe: the window's messages in, answers out, and what it costs."""

from __future__ import annotations

import os
import sys
import threading
import time
from typing import Any, BinaryIO

import psutil

from sketchpad.engine.errors import GenerationCancelledError
from sketchpad.engine_link.wire import Message, write_message

PROGRESS_INTERVAL_S = 0.05  # the window redraws progress at most this often; every step still checks cancel


def claim_stdout() -> BinaryIO:
    """The protocol's output stream: the real stdout, with fd 1 pointed at stderr from now on, so that
    whatever a library prints can never corrupt a message."""
    sys.stdout.flush()
    stream = os.fdopen(os.dup(1), "wb", buffering=0)
    os.dup2(2, 1)
    return stream


class Channel:
    """Sends messages from any thread, whole."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._lock = threading.Lock()

    def send(self, message: Message) -> None:
        with self._lock:
            write_message(self._stream, message)


class Reporter:
    """Progress of one job, sent no more often than the window can use; the job's cancel point too."""

    def __init__(self, channel: Channel, job_id: int) -> None:
        self.channel, self.job_id = channel, job_id
        self.cancel = threading.Event()
        self.steps = 0  # progress calls so far: one per generation or decoding step
        self.steps_at_cancel: int | None = None
        self._last_stage = ""
        self._last_sent = 0.0

    def request_cancel(self) -> None:
        """From the reader thread: the job stops at its next step (the engine checks `cancel` there)."""
        if self.steps_at_cancel is None:
            self.steps_at_cancel = self.steps
        self.cancel.set()

    @property
    def steps_after_cancel(self) -> int | None:
        return None if self.steps_at_cancel is None else self.steps - self.steps_at_cancel

    def __call__(self, stage: str, done: int = 0, total: int = 0) -> None:
        if self.cancel.is_set():
            raise GenerationCancelledError("Cancelled.")
        self.steps += 1
        now = time.monotonic()
        if stage != self._last_stage or done >= total or now - self._last_sent >= PROGRESS_INTERVAL_S:
            self._last_stage, self._last_sent = stage, now
            self.channel.send({"type": "progress", "id": self.job_id, "stage": stage, "done": int(done),
                               "total": int(total)})


def memory_report(device_bytes: int | None) -> dict[str, Any]:
    return {"rss": psutil.Process().memory_info().rss, "device_bytes": device_bytes}
