"""Background work as generators on one dedicated thread, reported through a handle per job.

A job is a generator function `job(context)`: each `yield` hands back a Progress and is a point where
the job stops if it was cancelled; its `return` value is the result. Work that reports through
callbacks calls `context.report(...)` (which raises JobCancelled once cancelled) instead. Jobs run one
at a time, in order, on one thread, so saves never run two at once and never on the GUI thread.

`submit` returns a JobHandle whose signals (progress, result, error, cancelled, finished) arrive on the
GUI thread; nothing listens to the queue itself. The worker never calls Qt: it posts to a Mailbox.
"""

from __future__ import annotations

import queue
import threading
import traceback
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal

from sketchpad.ui.common.mailbox import Mailbox


@dataclass(frozen=True)
class Progress:
    stage: str  # what is happening now, in words
    done: int = 0
    total: int = 0  # 0: unknown (a busy indicator)


class JobCancelled(Exception):
    """Raised inside a job (by `context.check()`) to stop it; reported as `cancelled`, not an error."""


class JobContext:
    """What a running job can use: the cancel flag, and a thread-safe way to report progress."""

    def __init__(self, cancel: threading.Event, emit: Callable[[Progress], None]) -> None:
        self.cancel = cancel
        self._emit = emit

    def report(self, stage: str, done: int = 0, total: int = 0) -> None:
        self.check()
        self._emit(Progress(stage, int(done), int(total)))

    def check(self) -> None:
        if self.cancel.is_set():
            raise JobCancelled


Job = Callable[[JobContext], Generator[Progress, None, Any]]


class JobHandle(QObject):
    """One submitted job, as its listener sees it: its own signals, nothing to filter by id.

    Exactly one of `result`, `error` and `cancelled` is emitted, then `finished`; after that the handle
    is `done` and emits nothing more. All signals arrive on the GUI thread.
    """

    queued = Signal(int)  # waiting behind this many jobs
    started = Signal()
    progress = Signal(object)  # Progress
    partial = Signal(object)  # a piece of the result before the whole (audio while generating)
    loaded = Signal(object)  # an engine job's model is loaded (ModelFacts): what fails after is not the model's
    result = Signal(object)
    error = Signal(str, str)  # message for the person, details for the log
    cancelled = Signal()
    finished = Signal()

    def __init__(self, cancel: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cancel = cancel
        self.done = False
        self.cancel_requested = False

    def cancel(self) -> None:
        if not self.done:
            self.cancel_requested = True
            self._cancel()

    def report(self, progress: Progress) -> None:
        if not self.done:
            self.progress.emit(progress)

    def succeed(self, value: object) -> None:
        if self._end():
            self.result.emit(value)
            self.finished.emit()

    def fail(self, message: str, details: str = "") -> None:
        if self._end():
            self.error.emit(message, details)
            self.finished.emit()

    def stop(self) -> None:
        """The job ended by its cancel."""
        if self._end():
            self.cancelled.emit()
            self.finished.emit()

    def _end(self) -> bool:
        if self.done:
            return False
        self.done = True
        return True


class JobQueue(QObject):
    """Runs submitted jobs one after another on its own thread."""

    def __init__(self, parent: QObject | None = None, *, name: str = "sketchpad-worker") -> None:
        super().__init__(parent)
        self._pending: queue.SimpleQueue[tuple[JobHandle, Job, threading.Event] | None] = queue.SimpleQueue()
        self._live: dict[JobHandle, threading.Event] = {}  # kept here until they finish
        self._mailbox = Mailbox(self)
        self._mailbox.arrived.connect(self._deliver)
        self._thread = threading.Thread(target=self._work, name=name, daemon=True)
        self._thread.start()

    def submit(self, job: Job) -> JobHandle:
        cancel = threading.Event()
        handle = JobHandle(cancel.set)
        self._live[handle] = cancel
        handle.finished.connect(lambda: self._live.pop(handle, None))
        self._pending.put((handle, job, cancel))
        return handle

    @property
    def busy(self) -> bool:
        return bool(self._live)

    def shutdown(self, timeout_s: float = 10.0) -> None:
        """Cancel everything and wait for the running job to stop (call before the application quits)."""
        for cancel in self._live.values():
            cancel.set()
        self._pending.put(None)
        self._thread.join(timeout_s)
        self._mailbox.close()

    # The worker thread
    def _work(self) -> None:
        while (item := self._pending.get()) is not None:
            self._run(*item)

    def _run(self, handle: JobHandle, job: Job, cancel: threading.Event) -> None:
        def post(kind: str, *args: object) -> None:
            self._mailbox.post((handle, kind, args))

        if cancel.is_set():
            post("cancelled")
            return
        post("started")
        try:
            steps = job(JobContext(cancel, lambda progress: post("progress", progress)))
            while True:
                try:
                    step = next(steps)
                except StopIteration as finished:
                    post("result", finished.value)
                    return
                if cancel.is_set():
                    steps.close()
                    raise JobCancelled
                post("progress", step)
        except JobCancelled:
            post("cancelled")
        except BaseException as error:  # noqa: BLE001 - every failure must reach the person
            post("error", str(error).strip() or type(error).__name__, "".join(traceback.format_exception(error)))

    # The GUI thread
    def _deliver(self, event: tuple[JobHandle, str, tuple]) -> None:
        handle, kind, args = event
        if kind == "started":
            if not handle.done:
                handle.started.emit()
        elif kind == "progress":
            handle.report(*args)
        elif kind == "result":
            handle.succeed(*args)
        elif kind == "error":
            handle.fail(*args)
        else:
            handle.stop()
