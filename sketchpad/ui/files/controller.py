"""Files: New, Open, Open Recent, Save, Save As; the title with its unsaved mark; asking before losing work.

Saving and loading run on the file thread (one QThread, so two saves never run at once and none on
the GUI thread) from a snapshot taken when the person asked. The undo stack's clean state is the
"saved" state: a save marks it clean only if nothing was edited while it ran.

The version on disk that was opened or saved is remembered; when another program changed the file
since, Save asks first (Overwrite, keeping the other version as `<name>.bak` / Save As… / Cancel), and
coming back to the window says so once.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Generator
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget

from sketchpad.core.durable import backup_path
from sketchpad.sketch import SUFFIX, Sketch, discard_autosave, load_sketch, newer_autosave, save_sketch
from sketchpad.sketch.disk_version import DiskVersion, changed_on_disk, disk_version
from sketchpad.ui.common import preferences as stored
from sketchpad.ui.common.jobs import Job, JobContext, JobHandle, JobQueue, Progress
from sketchpad.ui.files.document import SketchDocument

FILE_FILTER = f"Sketches (*{SUFFIX})"
Button = QMessageBox.StandardButton
OVERWRITE, SAVE_AS, CANCEL = "overwrite", "save_as", "cancel"


@dataclass(frozen=True)
class Loaded:
    """What an open job hands back: the sketch, and the version of the file it was read from."""

    sketch: Sketch
    version: DiskVersion | None


class FileController(QObject):
    problem = Signal(str)
    saved = Signal(str)
    opened = Signal(str)
    title_changed = Signal(str)

    def __init__(self, window: QWidget, document: SketchDocument, settings: QSettings, file_jobs: JobQueue,
                 untitled: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.window, self.document, self.settings, self.jobs = window, document, settings, file_jobs
        self.untitled = untitled  # where an unsaved sketch autosaves (its autosave sits beside this name)
        self.path: Path | None = None
        self.on_disk: DiskVersion | None = None  # the version of `path` last opened or saved here
        self._noticed: tuple[int, int] | None = None  # (mtime, size) of an outside change already mentioned
        document.undo_stack.cleanChanged.connect(self.update_title)
        self._attached = True
        document.replaced.connect(self.update_title)
        QApplication.instance().applicationStateChanged.connect(self._application_state)
        self.update_title()

    def detach(self) -> None:
        """The window is closing: the undo stack's last signals (emitted as it is destroyed) must not reach here."""
        if self._attached:
            self._attached = False
            self.document.undo_stack.cleanChanged.disconnect(self.update_title)
            self.document.replaced.disconnect(self.update_title)
            QApplication.instance().applicationStateChanged.disconnect(self._application_state)

    @property
    def autosave_target(self) -> Path:
        return self.path or self.untitled

    def title(self) -> str:
        name = self.path.stem if self.path is not None else self.document.sketch.title or "Untitled"
        return f"{name}{'*' if self.document.is_dirty else ''} — Sketchpad"

    def update_title(self, *_args: object) -> None:
        self.title_changed.emit(self.title())

    # Asking before work is lost
    def ask_to_save(self) -> Button:
        name = self.path.name if self.path is not None else "this sketch"
        return QMessageBox.question(
            self.window, "Unsaved changes", f"Save the changes to {name} before closing it?",
            Button.Save | Button.Discard | Button.Cancel, Button.Save)

    def may_discard(self, then: Callable[[], None]) -> bool:
        """True when the sketch may go now; after Save, False and `then` runs once the save is done."""
        if not self.document.is_dirty:
            return True
        answer = self.ask_to_save()
        if answer == Button.Discard:
            with contextlib.suppress(OSError):  # one left behind is offered at the next start, never lost
                discard_autosave(self.autosave_target)
            return True
        if answer == Button.Save:
            self.save(then=then)
        return False

    # New and open
    def new(self) -> None:
        if self.may_discard(self.new):
            self._replace(Sketch(), None)

    def ask_open(self) -> None:
        if not self.may_discard(self.ask_open):
            return
        chosen, _ = QFileDialog.getOpenFileName(self.window, "Open a sketch", str(self._folder()), FILE_FILTER)
        if chosen:
            self.open_path(chosen, asked=True)

    def open_path(self, path: str | Path, *, asked: bool = False, recover: bool | None = None) -> JobHandle | None:
        """Load `path` on the file thread, offering a newer autosave of it first (`recover`: the answer,
        when the person already gave it)."""
        path = Path(path).expanduser().resolve()
        if not asked and not self.may_discard(lambda: self.open_path(path, asked=True, recover=recover)):
            return None
        source = path
        try:
            recovery = newer_autosave(path)
        except (OSError, ValueError):  # the open itself says in words what is wrong with the path
            recovery = None
        if recovery is not None and (recover if recover is not None else self.ask_recover(path.name)):
            source = recovery.autosave
        elif recovery is not None:
            with contextlib.suppress(OSError):  # declined: a copy left behind is offered again, never lost
                discard_autosave(path)

        def job(context: JobContext) -> Generator[Progress, None, Loaded]:
            yield Progress(f"Opening {path.name}")
            version = disk_version(path)  # before reading: a change while it reads is then noticed
            return Loaded(load_sketch(source), version)

        return self._submit(job, "open" if source == path else "recover", path)

    def ask_recover(self, name: str) -> bool:
        answer = QMessageBox.question(
            self.window, "Recover unsaved work?",
            f"There is an autosave of {name} newer than the last save (perhaps Sketchpad stopped "
            "unexpectedly). Recover it?", Button.Yes | Button.No, Button.Yes)
        return answer == Button.Yes

    def _replace(self, sketch: Sketch, path: Path | None, *, clean: bool = True,
                 version: DiskVersion | None = None) -> None:
        self.path, self.on_disk, self._noticed = path, version, None
        self.document.replace(sketch, clean=clean)

    # Saving
    def save(self, then: Callable[[], None] | None = None) -> JobHandle | None:
        if self.path is None:
            return self.save_as(then)
        if self.changed_on_disk():
            choice = self.ask_overwrite_changed(self.path)
            if choice == SAVE_AS:
                return self.save_as(then)
            if choice != OVERWRITE:
                return None  # nothing written; the work stays open, unsaved
            return self.save_to(self.path, then, keep_backup=True)  # theirs stays as <name>.bak
        return self.save_to(self.path, then)

    def changed_on_disk(self) -> bool:
        """Whether another program wrote the open sketch's file since it was opened or saved here."""
        return self.path is not None and changed_on_disk(self.path, self.on_disk)

    def ask_overwrite_changed(self, path: Path) -> str:
        """Overwrite, Save As… or Cancel; no choice loses anything (see `save`)."""
        box = QMessageBox(QMessageBox.Icon.Warning, "Changed by another program",
                          f"{path.name} was changed on disk by another program since you opened or saved it "
                          "here.\n\nOverwrite replaces it with your version and keeps the other one as "
                          f"{backup_path(path).name}; Save As… keeps both under different names.",
                          Button.Cancel, self.window)
        overwrite = box.addButton("Overwrite", QMessageBox.ButtonRole.DestructiveRole)
        save_as = box.addButton("Save As…", QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(save_as)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.exec()
        clicked = box.clickedButton()
        box.deleteLater()
        return OVERWRITE if clicked is overwrite else SAVE_AS if clicked is save_as else CANCEL

    def _application_state(self, state: Qt.ApplicationState) -> None:
        """Back in the window: say once per outside change that the file changed (saving will ask)."""
        if state != Qt.ApplicationState.ApplicationActive or self.path is None or not self.changed_on_disk():
            return
        try:
            status = self.path.stat()
        except OSError:
            return
        if (status.st_mtime_ns, status.st_size) != self._noticed:
            self._noticed = (status.st_mtime_ns, status.st_size)
            self.problem.emit(f"{self.path.name} was changed on disk by another program. Saving will ask "
                              "before replacing it; File > Open loads the other version.")

    def save_as(self, then: Callable[[], None] | None = None) -> JobHandle | None:
        start = self.path or self._folder() / f"{self.document.sketch.title or 'Untitled'}{SUFFIX}"
        chosen, _ = QFileDialog.getSaveFileName(self.window, "Save the sketch", str(start), FILE_FILTER)
        if not chosen:
            return None
        return self.save_to(chosen, then)

    def save_to(self, path: str | Path, then: Callable[[], None] | None = None, *,
                keep_backup: bool = False) -> JobHandle:
        path = Path(path).expanduser().resolve()
        if path.suffix != SUFFIX:
            path = path.with_name(path.name + SUFFIX)
        snapshot, untitled = self.document.sketch.snapshot(), self.path is None

        def job(context: JobContext) -> Generator[Progress, None, DiskVersion | None]:
            yield Progress(f"Saving {path.name}")
            save_sketch(snapshot, path, keep_backup=keep_backup)
            version = disk_version(path)
            # The proper save is newer than any autosave, which is then never offered: one that cannot be
            # removed (no permission) does not make a good save look failed.
            for stale in (path, self.untitled) if untitled else (path,):
                with contextlib.suppress(OSError):
                    discard_autosave(stale)
            return version

        return self._submit(job, "save", path, then)

    def submit(self, job: Job, kind: str, path: Path, then: Callable[[], None] | None = None) -> JobHandle:
        """Run a load or save job on the file thread; its result lands as an open ("open"/"recover") or a save."""
        return self._submit(job, kind, path, then)

    def _submit(self, job: Job, kind: str, path: Path, then: Callable[[], None] | None = None) -> JobHandle:
        handle = self.jobs.submit(job)
        revision = self.document.revision
        handle.result.connect(lambda value: self._done(kind, path, revision, then, value))
        handle.error.connect(lambda message, _details: self._failed(kind, path, message))
        return handle

    def _done(self, kind: str, path: Path, revision: int, then: Callable[[], None] | None, value: object) -> None:
        if kind == "save":
            self.path, self.on_disk, self._noticed = path, value, None  # type: ignore[assignment]
            if self.document.revision == revision:  # nothing changed while it was written (takes included)
                self.document.undo_stack.setClean()
            self.update_title()
            self.saved.emit(str(path))
        else:
            untitled = path == self.untitled
            loaded = value if isinstance(value, Loaded) else Loaded(value, None)  # type: ignore[arg-type]
            self._replace(loaded.sketch, None if untitled else path, clean=kind == "open", version=loaded.version)
            self.opened.emit(str(path))
            if untitled:
                return
        stored.remember_recent_file(self.settings, str(path))
        if then is not None:
            then()

    def _failed(self, kind: str, path: Path, message: str) -> None:
        verb = "saved" if kind == "save" else "opened"
        self.problem.emit(f"{path.name} could not be {verb}: {message}")

    def _folder(self) -> Path:
        recent = stored.load_recent_files(self.settings)
        return Path(recent[0]).parent if recent else Path.home()
