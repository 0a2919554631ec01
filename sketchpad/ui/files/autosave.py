"""Autosave on a timer, and the offer to recover after a crash.

Every `interval` while the sketch has unsaved changes, a snapshot is written on the file thread to the
autosave beside the sketch's file, or beside a fixed untitled name in the app's data folder when the
sketch was never saved, so a crash loses at most one interval of work either way. A proper save
removes the autosave; one found newer than its sketch is offered back when the sketch is opened, and
at start-up every one a crash left: the untitled sketch's, and those of the saved sketches this
window autosaved (remembered in the preferences, so a crash of a saved sketch is noticed without
opening it again).
"""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from sketchpad.sketch import Recovery, Sketch, discard_autosave, load_sketch, newer_autosave, write_autosave
from sketchpad.ui.common import preferences as stored
from sketchpad.ui.common.jobs import JobContext, JobHandle, JobQueue, Progress
from sketchpad.ui.files import recovery_dialog
from sketchpad.ui.files.controller import FileController
from sketchpad.ui.files.recovery_dialog import Recoverable

AUTOSAVE_MS = 60_000


class AutosaveController(QObject):
    autosaved = Signal(str)  # the autosave file written

    def __init__(self, files: FileController, file_jobs: JobQueue, interval_ms: int = AUTOSAVE_MS,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.files, self.jobs = files, file_jobs
        self._job: JobHandle | None = None
        self._written: tuple[object, int] | None = None  # (sketch, document revision) last autosaved
        self.timer = QTimer(self, interval=interval_ms)
        self.timer.timeout.connect(self.autosave)
        self.timer.start()

    def autosave(self) -> JobHandle | None:
        """Write the autosave now if there is something unsaved that is not in it yet (and none is running)."""
        document = self.files.document
        state = (document.sketch, document.revision)
        if not document.is_dirty or self._job is not None or state == self._written:
            return None
        snapshot, target = document.sketch.snapshot(), self.files.autosave_target
        if self.files.path is not None:  # offered at the next start if this window never saves it
            stored.remember_autosaved_sketch(self.files.settings, str(self.files.path))

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
        """At start: the work a crash left in autosaves is offered back. The untitled sketch's alone is
        one question; with saved sketches' among them, a list to choose from."""
        entries = self.recoverable()
        if not entries:
            return None
        if [entry.path for entry in entries] == [None]:
            if self.files.ask_recover("the unsaved sketch"):
                return self._recover_untitled(entries[0].recovery)
            discard_autosave(self.files.untitled)
            return None
        chosen, discarded = recovery_dialog.choose(entries, self.files.window)
        for entry in discarded:
            discard_autosave(entry.path or self.files.untitled)
        stored.forget_autosaved_sketches(self.files.settings, [str(entry.path) for entry in discarded])
        if chosen is None:
            return None
        if chosen.path is None:
            return self._recover_untitled(chosen.recovery)
        return self.files.open_path(chosen.path, recover=True)

    def recoverable(self) -> list[Recoverable]:
        """Autosaves newer than their sketch: the untitled one and the remembered saved sketches'. Those
        that are gone or older than a save are forgotten."""
        entries: list[Recoverable] = []
        untitled = newer_autosave(self.files.untitled)
        if untitled is not None:
            entries.append(Recoverable(None, untitled))
        stale: list[str] = []
        for path in stored.load_autosaved_sketches(self.files.settings):
            recovery = newer_autosave(path)
            if recovery is None or Path(path) == self.files.untitled:
                stale.append(path)
            else:
                entries.append(Recoverable(Path(path), recovery))
        if stale:
            stored.forget_autosaved_sketches(self.files.settings, stale)
        return entries

    def _recover_untitled(self, recovery: Recovery) -> JobHandle:
        source = recovery.autosave

        def job(context: JobContext) -> Generator[Progress, None, Sketch]:
            yield Progress("Recovering the unsaved sketch")
            return load_sketch(source)

        return self.files.submit(job, "recover", self.files.untitled)
