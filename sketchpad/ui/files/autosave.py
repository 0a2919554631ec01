"""Autosave on a timer, and the offer to recover after a crash.

Every `interval` while the sketch has unsaved changes, a snapshot is written on the file thread to the
autosave beside the sketch's file, or beside a fixed untitled name in the app's data folder when the
sketch was never saved, so a crash loses at most one interval of work either way. A proper save
removes the autosave; one found newer than its sketch is offered back when the sketch is opened, and
the untitled one when Sketchpad starts.
"""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from sketchpad.sketch import Sketch, discard_autosave, load_sketch, newer_autosave, write_autosave
from sketchpad.ui.common.jobs import JobContext, JobHandle, JobQueue, Progress
from sketchpad.ui.files.controller import FileController

AUTOSAVE_MS = 60_000


class AutosaveController(QObject):
    autosaved = Signal(str)  # the autosave file written

    def __init__(self, files: FileController, file_jobs: JobQueue, interval_ms: int = AUTOSAVE_MS,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.files, self.jobs = files, file_jobs
        self._job: JobHandle | None = None
        self._written: tuple[object, int] | None = None  # (sketch, undo index) last autosaved
        self.timer = QTimer(self, interval=interval_ms)
        self.timer.timeout.connect(self.autosave)
        self.timer.start()

    def autosave(self) -> JobHandle | None:
        """Write the autosave now if there is something unsaved that is not in it yet (and none is running)."""
        document = self.files.document
        state = (document.sketch, document.undo_stack.index())
        if not document.is_dirty or self._job is not None or state == self._written:
            return None
        snapshot, target = document.sketch.snapshot(), self.files.autosave_target

        def job(context: JobContext) -> Generator[Progress, None, Path]:
            yield Progress("Autosaving")
            return write_autosave(snapshot, target)

        handle = self._job = self.jobs.submit(job)
        handle.result.connect(self._done)
        handle.error.connect(self._failed)
        self._written = state
        return handle

    def _done(self, path: object) -> None:
        self._job = None
        self.autosaved.emit(str(path))

    def _failed(self, message: str, _details: str) -> None:
        self._job, self._written = None, None
        self.files.problem.emit(f"Autosave failed (your work is still open): {message}")

    def offer_recovery(self) -> JobHandle | None:
        """At start: an untitled sketch's autosave left by a crash is offered back."""
        recovery = newer_autosave(self.files.untitled)
        if recovery is None:
            return None
        if not self.files.ask_recover("the unsaved sketch"):
            discard_autosave(self.files.untitled)
            return None
        source = recovery.autosave

        def job(context: JobContext) -> Generator[Progress, None, Sketch]:
            yield Progress("Recovering the unsaved sketch")
            return load_sketch(source)

        return self.files.submit(job, "recover", self.files.untitled)
