"""Autosave on a timer, and the offer to recover after a crash.

Every `interval` while the sketch has unsaved changes, a snapshot is written on the file thread to the
autosave beside the sketch's file, or beside a fixed untitled name in the app's data folder when the
sketch was never saved, so a crash loses at most one interval of work either way. A proper save
removes the autosave; one found newer than its sketch is offered back when the sketch is opened, and
at start-up every one a crash left: the untitled sketch's, and those of the saved sketches this
window autosaved (remembered in the preferences, so a crash of a saved sketch is noticed without
opening it again). A remembered sketch whose path cannot be looked at any more (a folder in it
replaced by a file, no permission, a disk error) is reported once in the log and forgotten; it never
keeps the others from being offered.
"""

from __future__ import annotations

import logging
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
log = logging.getLogger("sketchpad")


def _unreadable(path: object, error: Exception) -> None:
    reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
    log.warning("The autosave of %s cannot be looked at (%s); it is not offered and no longer remembered",
                path, reason)


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
            self._discard(self.files.untitled)
            return None
        chosen, discarded = recovery_dialog.choose(entries, self.files.window)
        for entry in discarded:
            self._discard(entry.path or self.files.untitled)
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
        try:
            untitled = newer_autosave(self.files.untitled)
        except (OSError, ValueError) as error:  # the data folder itself unreadable: the saved sketches still count
            _unreadable(self.files.untitled, error)
            untitled = None
        if untitled is not None:
            entries.append(Recoverable(None, untitled))
        stale: list[str] = []
        for path in stored.load_autosaved_sketches(self.files.settings):
            try:
                recovery = newer_autosave(path)
            except (OSError, ValueError) as error:
                _unreadable(path, error)
                recovery = None
            if recovery is None or Path(path) == self.files.untitled:
                stale.append(path)
            else:
                entries.append(Recoverable(Path(path), recovery))
        if stale:
            stored.forget_autosaved_sketches(self.files.settings, stale)
        return entries

    def _discard(self, path: Path) -> None:
        """Declined work goes; an autosave that cannot be removed is said in the banner, and the rest
        of the start goes on."""
        try:
            discard_autosave(path)
        except OSError as error:
            self.files.problem.emit(f"The autosave of {path.name} could not be removed: {error.strerror or error}")

    def _recover_untitled(self, recovery: Recovery) -> JobHandle:
        source = recovery.autosave

        def job(context: JobContext) -> Generator[Progress, None, Sketch]:
            yield Progress("Recovering the unsaved sketch")
            return load_sketch(source)

        return self.files.submit(job, "recover", self.files.untitled)
