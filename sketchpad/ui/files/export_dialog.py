"""Export: mix or stems; WAV 16/24/32f, FLAC, OGG or MP3 (with its bitrate); sample rate; all, loop or
selection; normalise.

The render runs on a job queue's worker thread from a snapshot taken when Export is pressed; the
dialog shows progress block by block, can cancel between blocks and stems, reports errors in place
(and through `failed`), and opens the folder when done. Before anything is rendered the place is
checked (a mix needs a file, stems a folder) and, when files would be replaced, the person is asked.
Its format, mode, range and folder are remembered (`settings`) after each successful export.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sketchpad.core.durable import fit_name
from sketchpad.sketch import FORMATS, MP3_BITRATES, ExportOptions, Sketch, existing_outputs, plan_export
from sketchpad.sketch.export import DEFAULT_MP3_BITRATE, EXPORT_RATES, MP3_RATES, STEM_NAME_BYTES, with_format_suffix
from sketchpad.ui.common.jobs import JobHandle, JobQueue, Progress
from sketchpad.ui.common.preferences import ExportChoices, load_export_choices, save_export_choices
from sketchpad.ui.files.export_job import ExportRequest, export_job

FORMAT_CHOICES = (("WAV 16-bit", "wav16"), ("WAV 24-bit", "wav24"), ("WAV 32-bit float", "wav32f"),
                  ("FLAC", "flac"), ("OGG Vorbis", "ogg"), ("MP3", "mp3"))
RANGE_CHOICES = (("Everything", "all"), ("Loop region", "loop"), ("Selected clips", "selection"))
_SUFFIXES = frozenset(spec.suffix for spec in FORMATS.values())


def open_folder(folder: Path) -> None:
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


def safe_name(title: str) -> str:
    """A file or folder name from the sketch's title, short enough for any disk (a title of 100 CJK
    characters is 300 bytes; names may have 255)."""
    safe = re.sub(r"[^\w\- ]+", "_", title).strip() or "sketch"
    return fit_name(safe, STEM_NAME_BYTES).rstrip() or "sketch"


def _is_folder(text: str) -> bool:
    try:
        return text.endswith(("/", os.sep)) or Path(text).is_dir()
    except (OSError, ValueError):
        return False


class ExportDialog(QDialog):
    exported = Signal(list)  # paths written
    failed = Signal(str)

    def __init__(self, sketch: Sketch, *, selection: tuple[int, int] | None = None, folder: str | Path | None = None,
                 settings: QSettings | None = None, jobs: JobQueue | None = None,
                 parent: QWidget | None = None) -> None:
        """`folder` is the sketch's own (where it is saved); without one, the folder of the last export."""
        super().__init__(parent)
        self.setWindowTitle("Export")
        self.sketch, self.selection, self.settings = sketch, selection, settings
        self.open_folder: Callable[[Path], None] = open_folder  # replaceable (tests, a sandbox)
        self.jobs = jobs  # the window's export queue, or None: the application's (export_queue())
        self.job: JobHandle | None = None
        self.question: QMessageBox | None = None  # "replace?", while it is open
        self._request: ExportRequest | None = None
        self._choices: ExportChoices | None = None  # what a successful export will remember
        self.mode, self.format, self.rate, self.range = QComboBox(), QComboBox(), QComboBox(), QComboBox()
        self.bitrate = QComboBox()
        self.mode.addItem("Mix (one file)", False)
        self.mode.addItem("Stems (one file per track)", True)
        for text, key in FORMAT_CHOICES:
            self.format.addItem(text, key)
        for kbps in MP3_BITRATES:
            self.bitrate.addItem(f"{kbps} kbps", kbps)
        self.bitrate.setCurrentIndex(self.bitrate.findData(DEFAULT_MP3_BITRATE))
        self.bitrate.setToolTip("MP3 only: a constant bitrate; higher sounds closer to the mix and takes more room")
        self.rate.addItem(f"{sketch.sample_rate} Hz (the sketch's)", None)
        for rate in EXPORT_RATES:
            if rate != sketch.sample_rate:
                self.rate.addItem(f"{rate} Hz", rate)
        for text, key in RANGE_CHOICES:
            self.range.addItem(text, key)
        self.range.model().item(1).setEnabled(sketch.loop is not None)
        self.range.model().item(2).setEnabled(selection is not None)
        self.normalize = QCheckBox("Normalise the peak to -1 dBFS")
        self.open_when_done = QCheckBox("Open the folder when done")
        self.open_when_done.setChecked(True)
        self.target = QLineEdit()
        self.target.setMinimumWidth(360)  # room for a path a person can read
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.target, 1)
        row.addWidget(browse)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.export_button = self.buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.export_button.clicked.connect(self.start)
        self.close_button.clicked.connect(self._close_or_cancel)
        form = QFormLayout()
        for label, widget in (("What", self.mode), ("Format", self.format), ("MP3 bitrate", self.bitrate),
                              ("Sample rate", self.rate), ("Range", self.range), ("Save to", row)):
            form.addRow(label, widget)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.normalize)
        layout.addWidget(self.open_when_done)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self._take_choices(load_export_choices(settings) if settings is not None else ExportChoices(), folder)
        self.format.currentIndexChanged.connect(self._format_changed)
        self.mode.currentIndexChanged.connect(self._sync_target)

    def _take_choices(self, choices: ExportChoices, folder: str | Path | None) -> None:
        """The last export's choices; a range this sketch cannot give (no loop, nothing selected) is "all"."""
        _choose(self.format, choices.format, "wav24")
        self.mode.setCurrentIndex(self.mode.findData(bool(choices.stems)))
        _choose(self.bitrate, choices.bitrate, DEFAULT_MP3_BITRATE)
        chosen = self.range.findData(choices.range)
        self.range.setCurrentIndex(chosen if chosen > 0 and self.range.model().item(chosen).isEnabled() else 0)
        remembered = os.path.expanduser(choices.folder) if choices.folder else ""
        self.place = Path(folder or (remembered if remembered and _is_folder(remembered) else Path.home()))
        self.target.setText(str(self.place / safe_name(self.sketch.title)))
        self._format_changed()

    def _format_changed(self) -> None:
        """The bitrate applies to MP3 alone, and MP3 holds only some rates: a sketch at another rate is
        exported at 48 kHz."""
        mp3 = self.format.currentData() == "mp3"
        self.bitrate.setEnabled(mp3)
        own_rate_fits = not mp3 or self.sketch.sample_rate in MP3_RATES
        self.rate.model().item(0).setEnabled(own_rate_fits)
        if not own_rate_fits and self.rate.currentIndex() == 0:
            self.rate.setCurrentIndex(self.rate.findData(48000))
        self._sync_target()

    def _sync_target(self) -> None:
        """Show what will be written: the mix file with the format's suffix, the stems' folder without one.
        A path typed as a folder (ending in a separator) is left for Export to refuse."""
        text = self.target.text().strip()
        if not text or text.endswith(("/", os.sep)):
            return
        path = Path(text)
        if self.mode.currentData():
            path = path.with_suffix("") if path.suffix.lower() in _SUFFIXES else path
        else:
            path = with_format_suffix(path, FORMATS[self.format.currentData()].suffix)
        self.target.setText(str(path))

    def request(self) -> ExportRequest:
        """What the current choices ask for; ValueError, in words, when they cannot be exported (a folder
        for the mix, a file for the stems, nowhere at all, a range that is empty). A relative path is
        taken inside the dialog's folder; a mix file gets the format's suffix."""
        key = self.format.currentData()
        chosen = self.range.currentData()
        span = self.selection if chosen == "selection" else chosen
        options = ExportOptions(format=key, sample_rate=self.rate.currentData(), range=span,
                                normalize=self.normalize.isChecked(), bitrate=self.bitrate.currentData())
        stems = bool(self.mode.currentData())
        text = os.path.expanduser(self.target.text().strip())
        if text.startswith("~"):  # expanduser leaves a user it does not know
            raise ValueError(f"there is no home folder {text.split(os.sep)[0]} on this computer; choose the place "
                             "with Browse…")
        if text and not os.path.isabs(text):
            text = os.path.join(self.place, text)
        plan = plan_export(self.sketch, text, stems, options, name_the_format=True)
        return ExportRequest(self.sketch.snapshot(), plan)

    def start(self) -> None:
        """Export, after asking when files would be replaced (Cancel there leaves everything as it was)."""
        try:
            request = self.request()
        except ValueError as error:
            self._failed(str(error))
            return
        existing = existing_outputs(request.sketch, request.plan)
        if not existing:
            self._submit(request)
            return
        self._ask(request, existing)

    def _ask(self, request: ExportRequest, existing: list[Path]) -> None:
        """A window-modal question (not exec(): the event loop, progress and tests go on)."""
        if request.stems:
            listed = ", ".join(path.name for path in existing[:3]) + (" …" if len(existing) > 3 else "")
            many = len(existing) != 1
            text = (f"{len(existing)} of these stems already exist{'' if many else 's'} in {request.folder}: "
                    f"{listed}.")
            more = f"Replace {'them' if many else 'it'}? Other files in the folder stay as they are."
        else:
            text, more = f"{request.target.name} already exists in {request.folder}.", "Replace it?"
        question = self.question = QMessageBox(QMessageBox.Icon.Warning, "Replace existing files?", text,
                                               QMessageBox.StandardButton.Cancel, self)
        question.setInformativeText(more)
        replace = question.addButton("Replace", QMessageBox.ButtonRole.AcceptRole)
        question.setDefaultButton(QMessageBox.StandardButton.Cancel)
        question.setWindowModality(Qt.WindowModality.WindowModal)
        question.finished.connect(lambda _result: self._answered(request, question.clickedButton() is replace))
        question.open()

    def _answered(self, request: ExportRequest, replace: bool) -> None:
        if self.question is not None:
            self.question.deleteLater()
        self.question = None
        if replace:
            self._submit(request)
        else:
            self.status.setStyleSheet("")
            self.status.setText("Not exported: the existing files are as they were.")

    def _submit(self, request: ExportRequest) -> None:
        self._request = request
        self._choices = ExportChoices(format=request.options.format, folder=str(request.target.parent),
                                      range=self.range.currentData(), stems=request.stems,
                                      bitrate=int(self.bitrate.currentData()))
        self.export_button.setEnabled(False)
        self.close_button.setText("Cancel")
        self.status.setStyleSheet("")
        self.status.setText("Starting…")
        self.progress.setRange(0, 0)
        job = self.job = (self.jobs or export_queue()).submit(export_job(request))
        job.progress.connect(self._progress)
        job.result.connect(self._result)
        job.error.connect(lambda message, _details: self._failed(message))
        job.cancelled.connect(lambda: self._finish("Export cancelled"))

    def _browse(self) -> None:
        start = self.target.text()
        if self.mode.currentData():
            chosen = QFileDialog.getExistingDirectory(self, "Folder for the stems", start)
        else:  # Export asks before replacing (and names every stem it would), so this dialog does not
            text = self.format.currentText()
            chosen, _ = QFileDialog.getSaveFileName(
                self, "Export the mix", start, f"{text} (*{FORMATS[self.format.currentData()].suffix})",
                options=QFileDialog.Option.DontConfirmOverwrite)
        if chosen:
            self.target.setText(chosen)
            self._sync_target()

    def _progress(self, progress: Progress) -> None:
        self.status.setText(progress.stage)
        if progress.total:
            self.progress.setRange(0, progress.total)
            self.progress.setValue(progress.done)

    def _result(self, results: list) -> None:
        assert self._request is not None
        paths = [result.path for result in results]
        self._finish(f"Exported {len(paths)} file{'s' if len(paths) != 1 else ''} to {self._request.folder}")
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        if self.settings is not None and self._choices is not None:
            save_export_choices(self.settings, self._choices)
        self.exported.emit(paths)
        if self.open_when_done.isChecked() and paths:
            self.open_folder(self._request.folder)

    def _failed(self, message: str) -> None:
        self._finish(f"Export failed: {message}")
        self.status.setStyleSheet("color: #b00020")
        self.failed.emit(message)

    def _finish(self, text: str) -> None:
        self.job = None
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.status.setText(text)
        self.export_button.setEnabled(True)
        self.close_button.setText("Close")

    def _close_or_cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()  # stops between blocks or stems; the dialog stays to say so
        else:
            self.reject()

    def done(self, result: int) -> None:
        if self.question is not None:  # closing the dialog answers its question: replace nothing
            self.question.reject()
        if self.job is not None:
            self.job.cancel()
        super().done(result)


_EXPORTS: list[JobQueue] = []


def export_queue() -> JobQueue:
    """One thread for the exports of dialogs given no queue, for the life of the application."""
    if not _EXPORTS:
        _EXPORTS.append(JobQueue(name="sketchpad-export"))
    return _EXPORTS[0]


def _choose(box: QComboBox, remembered: object, default: object) -> None:
    """The remembered item, or the default where the box no longer offers it."""
    index = box.findData(remembered)
    box.setCurrentIndex(index if index >= 0 else box.findData(default))
