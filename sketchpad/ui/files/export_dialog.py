"""Export: mix or stems; WAV 16/24/32f, FLAC or OGG; sample rate; all, loop or selection; normalise.

The render runs on a job queue's worker thread from a snapshot taken when Export is pressed; the
dialog shows progress block by block, can cancel between blocks and stems, reports errors in place
(and through `failed`), and opens the folder when done.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QUrl, Signal
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
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sketchpad.core.durable import fit_name
from sketchpad.sketch import FORMATS, ExportOptions, Sketch
from sketchpad.sketch.export import EXPORT_RATES, STEM_NAME_BYTES
from sketchpad.ui.common.jobs import JobHandle, JobQueue, Progress
from sketchpad.ui.files.export_job import ExportRequest, export_job

FORMAT_CHOICES = (("WAV 16-bit", "wav16"), ("WAV 24-bit", "wav24"), ("WAV 32-bit float", "wav32f"),
                  ("FLAC", "flac"), ("OGG Vorbis", "ogg"))


def open_folder(folder: Path) -> None:
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


def safe_name(title: str) -> str:
    """A file or folder name from the sketch's title, short enough for any disk (a title of 100 CJK
    characters is 300 bytes; names may have 255)."""
    safe = re.sub(r"[^\w\- ]+", "_", title).strip() or "sketch"
    return fit_name(safe, STEM_NAME_BYTES).rstrip() or "sketch"


class ExportDialog(QDialog):
    exported = Signal(list)  # paths written
    failed = Signal(str)

    def __init__(self, sketch: Sketch, *, selection: tuple[int, int] | None = None, folder: str | Path | None = None,
                 jobs: JobQueue | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export")
        self.sketch, self.selection = sketch, selection
        self.open_folder: Callable[[Path], None] = open_folder  # replaceable (tests, a sandbox)
        self.jobs = jobs  # the window's export queue, or None: the application's (export_queue())
        self.job: JobHandle | None = None
        self._request: ExportRequest | None = None
        self.mode, self.format, self.rate, self.range = QComboBox(), QComboBox(), QComboBox(), QComboBox()
        self.mode.addItem("Mix (one file)", False)
        self.mode.addItem("Stems (one file per track)", True)
        for text, key in FORMAT_CHOICES:
            self.format.addItem(text, key)
        self.format.setCurrentIndex(1)
        self.rate.addItem(f"{sketch.sample_rate} Hz (the sketch's)", None)
        for rate in EXPORT_RATES:
            if rate != sketch.sample_rate:
                self.rate.addItem(f"{rate} Hz", rate)
        self.range.addItem("Everything", "all")
        self.range.addItem("Loop region", "loop")
        self.range.addItem("Selected clips", "selection")
        self.range.model().item(1).setEnabled(sketch.loop is not None)
        self.range.model().item(2).setEnabled(selection is not None)
        self.normalize = QCheckBox("Normalise the peak to -1 dBFS")
        self.open_when_done = QCheckBox("Open the folder when done")
        self.open_when_done.setChecked(True)
        self.target = QLineEdit(str(Path(folder or Path.home()) / safe_name(sketch.title)))
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
        for label, widget in (("What", self.mode), ("Format", self.format), ("Sample rate", self.rate),
                              ("Range", self.range), ("Save to", row)):
            form.addRow(label, widget)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.normalize)
        layout.addWidget(self.open_when_done)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)

    def request(self) -> ExportRequest:
        """What the current choices ask for; the mix file gets the format's suffix."""
        key = self.format.currentData()
        chosen = self.range.currentData()
        span = self.selection if chosen == "selection" else chosen
        options = ExportOptions(format=key, sample_rate=self.rate.currentData(), range=span,
                                normalize=self.normalize.isChecked())
        stems = bool(self.mode.currentData())
        target = Path(self.target.text()).expanduser()
        if not stems:
            target = target.with_suffix(FORMATS[key].suffix)
        return ExportRequest(self.sketch.snapshot(), stems, target, options)

    def start(self) -> None:
        try:
            self._request = self.request()
        except (ValueError, OSError) as error:
            self._failed(str(error))
            return
        self.export_button.setEnabled(False)
        self.close_button.setText("Cancel")
        self.status.setStyleSheet("")
        self.status.setText("Starting…")
        self.progress.setRange(0, 0)
        job = self.job = (self.jobs or export_queue()).submit(export_job(self._request))
        job.progress.connect(self._progress)
        job.result.connect(self._result)
        job.error.connect(lambda message, _details: self._failed(message))
        job.cancelled.connect(lambda: self._finish("Export cancelled"))

    def _browse(self) -> None:
        if self.mode.currentData():
            chosen = QFileDialog.getExistingDirectory(self, "Folder for the stems", self.target.text())
        else:
            chosen, _ = QFileDialog.getSaveFileName(self, "Export the mix", self.target.text(),
                                                    "Audio (*.wav *.flac *.ogg)")
        if chosen:
            self.target.setText(chosen)

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
        if self.job is not None:
            self.job.cancel()
        super().done(result)


_EXPORTS: list[JobQueue] = []


def export_queue() -> JobQueue:
    """One thread for the exports of dialogs given no queue, for the life of the application."""
    if not _EXPORTS:
        _EXPORTS.append(JobQueue(name="sketchpad-export"))
    return _EXPORTS[0]
