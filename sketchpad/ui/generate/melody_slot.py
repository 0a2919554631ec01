"""The melody slot: record or import a melody, trim it, hear it, and see exactly what will be used."""

from __future__ import annotations

from collections.abc import Callable, Generator
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from sketchpad.audio.errors import AudioDeviceError, SilentTakeError
from sketchpad.audio.files import DecodedAudio, read_audio
from sketchpad.audio.melody import prepare_melody
from sketchpad.core.clock import clock
from sketchpad.core.decibels import SILENCE_DB
from sketchpad.core.formats import dialog_filter
from sketchpad.ui.common.fitting import ElidedLabel, wrapping_label
from sketchpad.ui.common.jobs import Job, JobContext, JobHandle, JobQueue, Progress
from sketchpad.ui.common.level_meter import LevelMeter
from sketchpad.ui.generate.recording import TakeRecorder
from sketchpad.workflow import recordings
from sketchpad.workflow.melody import read_melody

PREVIEW_RATE = 32000  # what the model hears: MusicGen's rate


class MelodySlot(QWidget):
    preview_requested = Signal(object, int)  # samples, sample rate
    problem = Signal(str)  # a message for the person
    changed = Signal()
    source_set = Signal(str, object, int)  # name, samples, sample rate: a melody arrived (file or recording)
    reading = Signal()  # a file or take is being read into the slot

    def __init__(self, takes_folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.samples: np.ndarray | None = None  # the whole source, float32 [channels, frames]
        self.sample_rate = 0
        self.source_name = ""
        self.input_device = ""
        self.max_record_seconds = 60.0
        self.use_seconds: float | None = None  # what the model will take at most; None: all of it
        self.recorder = TakeRecorder(takes_folder, self)
        self.jobs = JobQueue(self, name="sketchpad-melody")  # decoding files: never on the GUI thread
        self.recorder.level.connect(lambda peak, rms: self.meter.set_level(peak, rms))
        self.recorder.elapsed.connect(lambda seconds: self.status.setText(f"Recording {clock(seconds)}"))
        self.recorder.finished.connect(self._take_finished)

        self.why = QLabel()
        self.why.setWordWrap(True)
        self.why.setStyleSheet("color: #666;")
        self.record_button = QPushButton("Record")
        self.stop_button = QPushButton("Stop")
        self.discard_button = QPushButton("Discard")
        self.import_button = QPushButton("Import...")
        self.preview_button = QPushButton("Preview")
        self.clear_button = QPushButton("Clear")
        for button, slot in ((self.record_button, self.start_recording), (self.stop_button, self.stop_recording),
                             (self.discard_button, self.discard_recording), (self.import_button, self.ask_file),
                             (self.preview_button, self.preview), (self.clear_button, self.clear)):
            button.clicked.connect(slot)
        self.meter = LevelMeter()
        self.status = ElidedLabel("No melody")  # a long file name must not widen the panel
        # Why a melody or a recording cannot be used: a sentence to read whole, so it wraps instead.
        self.unusable = wrapping_label(QLabel())
        self.unusable.setStyleSheet("color: #b00020;")
        self.unusable.hide()
        self.wave = None  # built with the first melody: pyqtgraph is slow to import at start-up
        self._trim_timer = QTimer(self, singleShot=True, interval=150)
        self._trim_timer.timeout.connect(self._describe_use)

        self.controls = QWidget()
        inner = QVBoxLayout(self.controls)
        inner.setContentsMargins(0, 0, 0, 0)
        # The two ways in (Record, Import) on the first row: in view without scrolling at 1280×720.
        for row in ((self.record_button, self.stop_button, self.import_button),
                    (self.discard_button, self.preview_button, self.clear_button)):
            buttons = QHBoxLayout()
            for button in row:
                buttons.addWidget(button)
            inner.addLayout(buttons)
        inner.addWidget(self.meter)
        inner.addWidget(self.status)
        inner.addWidget(self.unusable)
        self._inner = inner
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.controls)
        layout.addWidget(self.why)  # below the buttons: a long reason must not push them out of view
        self.set_offered(True, "")
        self._update_buttons()

    # Offered only for melody models
    def set_offered(self, offered: bool, why: str) -> None:
        self.offered = offered
        self.controls.setEnabled(offered)
        self.why.setText(why)
        self.why.setVisible(bool(why))
        self.controls.setToolTip(why)  # the reason is below the buttons: on them too

    # Sources
    def ask_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import a melody", "", dialog_filter())
        if path:
            self.import_file(path)

    def import_file(self, path: str | Path) -> JobHandle:
        """Decode `path` off the GUI thread (a melody may be minutes long); it lands in the slot when read."""
        self.status.setText(f"Reading {Path(path).name}…")

        def job(context: JobContext) -> Generator[Progress, None, DecodedAudio]:
            yield Progress(f"Reading {Path(path).name}")
            return read_melody(path)

        return self._read(job, "The melody could not be imported", lambda decoded: decoded.source_name)

    def offer_interrupted(self, ask: Callable[[str], bool]) -> JobHandle | None:
        """At start: a take a crash cut short is offered back (`ask` the person); old unused takes go."""
        folder = self.recorder.folder
        cut_short = recordings.interrupted(folder) if folder.exists() else []
        handle = None
        if cut_short:
            take = cut_short[0]
            if ask(f"A recording was cut short when Sketchpad stopped ({take.name}). Put it in the melody slot?"):
                def job(context: JobContext) -> Generator[Progress, None, DecodedAudio]:
                    yield Progress("Reading the interrupted take")
                    return read_audio(take)

                handle = self._read(job, "The interrupted take could not be read", lambda _d: "Recovered take")
            for path in cut_short:
                recordings.end(path)
        if folder.exists():
            recordings.sweep(folder, keep=set(cut_short))
        return handle

    def _read(self, job: Job, failure: str, name: Callable[[DecodedAudio], str]) -> JobHandle:
        handle = self.jobs.submit(job)
        self.reading.emit()
        handle.result.connect(lambda decoded: self.set_source(decoded.samples, decoded.sample_rate, name(decoded)))
        handle.error.connect(lambda message, _details: self._read_failed(f"{failure}: {message}"))
        return handle

    def _read_failed(self, message: str) -> None:
        if self.has_melody:
            self._describe_use()  # what was in the slot stays
        else:
            self.status.setText("No melody")
        self.problem.emit(message)

    def set_source(self, samples: np.ndarray, sample_rate: int, name: str) -> None:
        self.samples = np.atleast_2d(np.asarray(samples, dtype=np.float32))
        self.sample_rate, self.source_name = int(sample_rate), name
        self._ensure_wave()
        self.wave.set_audio(self.samples, self.sample_rate)
        self.wave.set_selection(0.0, self.samples.shape[1] / self.sample_rate, final=False)
        self._describe_use()
        self._update_buttons()
        self.changed.emit()
        self.source_set.emit(name, self.samples, self.sample_rate)

    def _ensure_wave(self) -> None:
        if self.wave is None:
            from sketchpad.ui.common.waveform import WaveformView

            self.wave = WaveformView(compact=True)
            self.wave.setFixedHeight(70)
            self.wave.setToolTip("Drag the edges of the shaded part to trim what the model hears")
            self.wave.selection_changed.connect(lambda _sel: self._trim_timer.start())
            self._inner.insertWidget(self._inner.indexOf(self.status), self.wave)

    def clear(self) -> None:
        self.samples, self.sample_rate, self.source_name = None, 0, ""
        self.unusable.hide()
        if self.wave is not None:
            self.wave.clear_audio()
        self.status.setText("No melody")
        self._update_buttons()
        self.changed.emit()

    @property
    def has_melody(self) -> bool:
        return self.samples is not None

    def trimmed(self) -> tuple[np.ndarray, int] | None:
        """The part between the trim handles, at its own rate (prepared for the model on the worker)."""
        if self.samples is None:
            return None
        span = (self.wave.selection() if self.wave else None) or (0.0, self.samples.shape[1] / self.sample_rate)
        first, last = (int(round(value * self.sample_rate)) for value in span)
        return self.samples[:, first:max(last, first + 1)], self.sample_rate

    def set_use_seconds(self, seconds: float) -> None:
        """The most the model will take (the idea panel's duration, capped at the model's window)."""
        if seconds != self.use_seconds:
            self.use_seconds = seconds
            self._describe_use()

    def _describe_use(self) -> None:
        part = self.trimmed()
        if part is None:
            return
        samples, rate = part
        most = self.use_seconds if self.use_seconds is not None else samples.shape[1] / rate
        try:
            prepared = prepare_melody(samples, rate, target_rate=PREVIEW_RATE, max_seconds=most)
        except (SilentTakeError, ValueError) as error:
            self._say_unusable(f"{self.source_name}: nothing usable", f"Nothing usable in {self.source_name}: "
                                                                     f"{error}")
            return
        self.unusable.hide()
        offset = ((self.wave.selection() if self.wave else None) or (0.0, 0.0))[0]
        used = prepared.end_seconds - prepared.start_seconds
        self.status.setText(f"{self.source_name}: uses {used:.1f} s, from {offset + prepared.start_seconds:.2f} "
                            f"to {offset + prepared.end_seconds:.2f} s" + (" (capped)" if prepared.capped else ""))

    def _say_unusable(self, short: str, whole: str) -> None:
        """The status line says it briefly; the sentence below it says it whole, wrapped to the panel."""
        self.status.setText(short)
        self.unusable.setText(whole[:1].upper() + whole[1:])
        self.unusable.show()

    def preview(self) -> None:
        part = self.trimmed()
        if part is not None:
            self.preview_requested.emit(*part)

    # Recording
    def start_recording(self) -> None:
        try:
            self.recorder.start(self.input_device or None, self.max_record_seconds)
        except AudioDeviceError as error:
            self.problem.emit(f"Recording could not start: {error}.")
            return
        self.status.setText("Recording 0:00")
        self.unusable.hide()
        self._update_buttons()

    def stop_recording(self) -> None:
        self.recorder.stop()

    def discard_recording(self) -> None:
        self.recorder.discard()

    def _take_finished(self, result) -> None:
        self.meter.set_level(SILENCE_DB, SILENCE_DB)
        self._update_buttons()
        if result.path is None:
            self._say_unusable("Recording: nothing usable", f"Recording: {result.message}")
            return
        def job(context: JobContext) -> Generator[Progress, None, DecodedAudio]:
            yield Progress("Reading the take back")
            return read_audio(result.path)

        self._read(job, "The recorded take could not be read back",
                   lambda _decoded: f"Recorded take ({result.message})")

    def _update_buttons(self) -> None:
        recording = self.recorder.is_recording
        self.record_button.setEnabled(not recording)
        self.stop_button.setEnabled(recording)
        self.discard_button.setEnabled(recording)
        self.import_button.setEnabled(not recording)
        self.preview_button.setEnabled(self.has_melody and not recording)
        self.clear_button.setEnabled(self.has_melody and not recording)
        self.meter.setVisible(recording)
        if self.wave is not None:
            self.wave.setVisible(self.has_melody)
        self.record_button.setToolTip("Hum or play the melody into the microphone")
        self.status.setAlignment(Qt.AlignmentFlag.AlignLeft)
