"""Background work as generators on one dedicated thread, reported through Qt signals.

A job is a generator function `job(context)`: each `yield` hands back a Progress and is a point where
the job stops if it was cancelled; its `return` value is the result. Libraries that report through
callbacks (the engine) call `context.report(...)` and poll `context.cancel` instead. Jobs run one at a
time, in order, on a single QThread, so the engine is never used from two threads at once.

Each job has an id. A newer job in the same lane supersedes an older one: the older is cancelled and
anything it still reports is dropped, so a late result never overwrites a newer request's.
"""

from __future__ import annotations

import itertools
import threading
import traceback
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot


@dataclass(frozen=True)
class Progress:
    stage: str  # what is happening now, in words
    done: int = 0
    total: int = 0  # 0: unknown (a busy indicator)


class JobCancelled(Exception):
    """Raised inside a job (by `context.check()`) to stop it; reported as `cancelled`, not an error."""


class JobContext:
    """What a running job can use: the cancel flag, and a thread-safe way to report progress."""

    def __init__(self, job_id: int, cancel: threading.Event, emit: Callable[[int, Progress], None]) -> None:
        self.job_id = job_id
        self.cancel = cancel
        self._emit = emit

    def report(self, stage: str, done: int = 0, total: int = 0) -> None:
        self.check()
        self._emit(self.job_id, Progress(stage, int(done), int(total)))

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


def is_cancellation(error: BaseException) -> bool:
    """Our own cancellation, or a library's (the engine raises GenerationCancelledError)."""
    return isinstance(error, JobCancelled) or type(error).__name__ == "GenerationCancelledError"


class _Runner(QObject):
    """Lives on the worker thread and runs each job it is handed, start to end."""

    started = Signal(int)
    progress = Signal(int, object)
    result = Signal(int, object)
    error = Signal(int, str, str)  # id, message for the person, traceback for the log
    cancelled = Signal(int)

    @Slot(int, object, object)
    def run(self, job_id: int, job: Job, cancel: threading.Event) -> None:
        if cancel.is_set():
            self.cancelled.emit(job_id)
            return
        self.started.emit(job_id)
        context = JobContext(job_id, cancel, self.progress.emit)
        try:
            steps = job(context)
            while True:
                try:
                    step = next(steps)
                except StopIteration as finished:
                    self.result.emit(job_id, finished.value)
                    return
                if cancel.is_set():
                    steps.close()
                    raise JobCancelled
                self.progress.emit(job_id, step)
        except BaseException as error:  # noqa: BLE001 - every failure must reach the person
            if is_cancellation(error):
                self.cancelled.emit(job_id)
            else:
                message = str(error).strip() or type(error).__name__
                self.error.emit(job_id, message, "".join(traceback.format_exception(error)))


class JobQueue(QObject):
    """Submits jobs to one worker thread and forwards the reports of jobs that still matter."""

    started = Signal(int)
    progress = Signal(int, object)
    result = Signal(int, object)
    error = Signal(int, str, str)
    cancelled = Signal(int)
    _submit = Signal(int, object, object)

    def __init__(self, parent: QObject | None = None, *, name: str = "sketchpad-worker") -> None:
        super().__init__(parent)
        self._ids = itertools.count(1)
        self._cancels: dict[int, threading.Event] = {}
        self._lanes: dict[str, int] = {}
        self._thread = QThread()
        self._thread.setObjectName(name)
        self._runner = _Runner()
        self._runner.moveToThread(self._thread)
        self._submit.connect(self._runner.run)
        self._runner.started.connect(self._on_started)
        self._runner.progress.connect(self._on_progress)
        self._runner.result.connect(self._on_result)
        self._runner.error.connect(self._on_error)
        self._runner.cancelled.connect(self._on_cancelled)
        self._thread.start()

    def submit(self, job: Job, *, lane: str | None = None) -> int:
        """Queue `job`; in a lane, any earlier job there is cancelled and its late reports dropped."""
        job_id = next(self._ids)
        if lane is not None:
            previous = self._lanes.get(lane)
            if previous is not None:
                self.cancel(previous)
                self._cancels.pop(previous, None)
            self._lanes[lane] = job_id
        cancel = threading.Event()
        self._cancels[job_id] = cancel
        self._submit.emit(job_id, job, cancel)
        return job_id

    def cancel(self, job_id: int) -> None:
        event = self._cancels.get(job_id)
        if event is not None:
            event.set()

    def is_live(self, job_id: int) -> bool:
        return job_id in self._cancels

    def _finish(self, job_id: int) -> None:
        self._cancels.pop(job_id, None)
        for lane, current in list(self._lanes.items()):
            if current == job_id:
                del self._lanes[lane]

    @Slot(int)
    def _on_started(self, job_id: int) -> None:
        if self.is_live(job_id):
            self.started.emit(job_id)

    @Slot(int, object)
    def _on_progress(self, job_id: int, progress: Progress) -> None:
        if self.is_live(job_id):
            self.progress.emit(job_id, progress)

    @Slot(int, object)
    def _on_result(self, job_id: int, value: object) -> None:
        if self.is_live(job_id):
            self._finish(job_id)
            self.result.emit(job_id, value)

    @Slot(int, str, str)
    def _on_error(self, job_id: int, message: str, details: str) -> None:
        if self.is_live(job_id):
            self._finish(job_id)
            self.error.emit(job_id, message, details)

    @Slot(int)
    def _on_cancelled(self, job_id: int) -> None:
        live = self.is_live(job_id)
        self._finish(job_id)
        if live:
            self.cancelled.emit(job_id)

    def is_running(self) -> bool:
        return self._thread.isRunning()

    def shutdown(self, timeout_ms: int = 10000) -> None:
        """Cancel everything and wait for the thread (call before the application quits)."""
        for event in self._cancels.values():
            event.set()
        self._thread.quit()
        self._thread.wait(timeout_ms)
