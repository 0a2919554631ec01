"""Recording a melody take with the audio layer's Recorder, watched by a GUI timer.

The recorder's own threads do the audio work; this only polls its level feed and frame count (both
written by one thread and read here without locks) and notices when the take ends by itself.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from sketchpad.audio.recorder import Recorder, TakeResult
from sketchpad.workflow import recordings

POLL_MS = 50


class TakeRecorder(QObject):
    level = Signal(float, float)  # peak dB, RMS dB
    elapsed = Signal(float)  # seconds captured
    finished = Signal(object)  # TakeResult

    def __init__(self, folder: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.folder = folder
        self.recorder: Recorder | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)

    @property
    def is_recording(self) -> bool:
        return self.recorder is not None

    def start(self, device: str | None, max_seconds: float) -> None:
        """Raises AudioDeviceError (with a readable message) when there is nothing to record from."""
        self.folder.mkdir(parents=True, exist_ok=True)
        name = datetime.datetime.now().strftime("melody-%Y%m%d-%H%M%S-%f.wav")
        recorder = Recorder(self.folder / name, device=device or None, max_seconds=max_seconds)
        recordings.begin(recorder.path)  # a crash from here on leaves the take marked as interrupted
        try:
            recorder.start()
        except BaseException:
            recordings.end(recorder.path)
            raise
        self.recorder = recorder
        self._timer.start()

    def stop(self) -> TakeResult | None:
        return self._end(cancel=False)

    def discard(self) -> TakeResult | None:
        return self._end(cancel=True)

    def _end(self, *, cancel: bool) -> TakeResult | None:
        recorder, self.recorder = self.recorder, None
        self._timer.stop()
        if recorder is None:
            return None
        result = recorder.cancel() if cancel else recorder.stop()
        recordings.end(recorder.path)
        self.finished.emit(result)
        return result

    def _poll(self) -> None:
        recorder = self.recorder
        if recorder is None:
            return
        levels = recorder.levels.drain()
        if levels:
            loudest = max(levels, key=lambda item: item.peak)
            self.level.emit(loudest.peak_db, loudest.rms_db)
        self.elapsed.emit(recorder.frames_captured / recorder.sample_rate)
        ended = recorder.wait(0)  # the take ended by itself: maximum length, or the device went away
        if ended is not None:
            self.recorder = None
            self._timer.stop()
            recordings.end(recorder.path)
            self.finished.emit(ended)
