"""The stereo picture: per-track meters and a master view (left/right levels, correlation, goniometer).

Audio blocks come in through `feed` / `feed_track` (on the GUI thread, e.g. from a timer draining
the player's tap); they only update a few numbers and a preallocated ring of goniometer points.
Drawing happens on a ~30 fps timer and only when something arrived, so a fast feed never floods
the event loop.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from sketchpad.core.decibels import gain_to_db
from sketchpad.ui.common.level_meter import FLOOR_DB

if TYPE_CHECKING:
    from sketchpad.ui.arrangement.goniometer import Goniometer

FRAME_MS = 33  # ~30 repaints a second at most
FALL_DB_PER_S = 24.0  # peak bars fall this fast once the signal drops
POINTS = 1024  # goniometer points kept (the latest ones)
POINTS_PER_BLOCK = 256  # at most this many points taken from one block
CORRELATION_SECONDS = 0.3
GONIOMETER_SIZE = 140


class LevelTracker:
    """Peak and RMS per channel with falling peaks: what one meter shows."""

    def __init__(self) -> None:
        self.peak = np.zeros(2)
        self.rms = np.zeros(2)
        self.shown_db = np.full(2, FLOOR_DB)

    def add(self, block: np.ndarray) -> None:
        stereo = block if block.shape[0] == 2 else block[[0, 0]]
        frames = max(stereo.shape[1], 1)
        self.peak = np.maximum(self.peak, np.abs(stereo).max(axis=1))
        self.rms = np.sqrt(np.einsum("ij,ij->i", stereo, stereo, dtype=np.float64) / frames)

    def tick(self, seconds: float) -> None:
        """Peaks since the last tick, with the shown value falling no faster than FALL_DB_PER_S."""
        for side in range(2):
            now = gain_to_db(float(self.peak[side]))
            self.shown_db[side] = max(now, self.shown_db[side] - FALL_DB_PER_S * seconds, FLOOR_DB)
        self.peak[:] = 0.0


class StereoBars(QWidget):
    """Two bars (left over right), dBFS from FLOOR_DB to 0; red past -1 dB."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.levels_db = (FLOOR_DB, FLOOR_DB)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(12)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(120, 14)

    def set_levels(self, left_db: float, right_db: float) -> None:
        levels = (max(left_db, FLOOR_DB), max(right_db, FLOOR_DB))
        if levels != self.levels_db:
            self.levels_db = levels
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#e4e6ea"))
        half = self.height() / 2
        for side, level in enumerate(self.levels_db):
            width = self.width() * (level - FLOOR_DB) / -FLOOR_DB
            colour = QColor("#d9534f") if level > -1.0 else QColor("#3c9d5d")
            painter.fillRect(QRectF(0, side * half + 0.5, width, half - 1), colour)
        painter.end()


class CorrelationMeter(QWidget):
    """-1 (out of phase) .. 0 (wide) .. +1 (mono), as a marker on a bar."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.value = 0.0
        self.setFixedHeight(12)
        self.setToolTip("Correlation: +1 mono, 0 wide, -1 out of phase")

    def set_value(self, value: float) -> None:
        if abs(value - self.value) > 1e-3:
            self.value = value
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#e4e6ea"))
        middle = self.width() / 2
        painter.fillRect(QRectF(middle - 0.5, 0, 1, self.height()), QColor("#9aa3ad"))
        x = middle + self.value * (middle - 3)
        painter.fillRect(QRectF(x - 3, 1, 6, self.height() - 2), QColor("#d9534f" if self.value < 0 else "#2f6fb3"))
        painter.end()


class StereoView(QWidget):
    levels = Signal(float, float)  # master left/right dBFS at each repaint (for the transport's meter)

    def __init__(self, sample_rate: int = 32000, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sample_rate = sample_rate
        self.master = LevelTracker()
        self.tracks: dict[str, LevelTracker] = {}
        self._sums = np.zeros(3)  # decayed L*R, L*L, R*R, for the correlation
        self.correlation = 0.0
        self._x = np.zeros(POINTS, dtype=np.float32)
        self._y = np.zeros(POINTS, dtype=np.float32)
        self._next = 0
        self._dirty = False
        self.master_bars, self.correlation_meter = StereoBars(), CorrelationMeter()
        # pyqtgraph costs ~0.5 s to import: the goniometer is built once the window is up (build_goniometer).
        self.goniometer: Goniometer | None = None
        self._goniometer_slot = QWidget()
        self._goniometer_slot.setFixedSize(GONIOMETER_SIZE, GONIOMETER_SIZE)
        self.track_bars: dict[str, StereoBars] = {}
        self._track_grid = QGridLayout()
        self._track_grid.setSpacing(2)
        layout = QHBoxLayout(self)
        column = QVBoxLayout()
        column.addWidget(QLabel("Master L / R"))
        column.addWidget(self.master_bars)
        column.addWidget(QLabel("Correlation"))
        column.addWidget(self.correlation_meter)
        self.still = QLabel("")  # whose image is shown while nothing plays
        self.still.setStyleSheet("color: #666;")
        self.still.setWordWrap(True)
        self.still.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        column.addWidget(self.still)
        column.addLayout(self._track_grid)
        column.addStretch(1)
        layout.addLayout(column, 1)
        layout.addWidget(self._goniometer_slot, 0, Qt.AlignmentFlag.AlignTop)
        self._timer = QTimer(self)
        self._timer.setInterval(FRAME_MS)
        self._timer.timeout.connect(self._repaint)
        self._timer.start()

    def build_goniometer(self) -> Goniometer:
        """Put the pyqtgraph goniometer where its empty slot was; idempotent."""
        if self.goniometer is None:
            from sketchpad.ui.arrangement.goniometer import Goniometer

            self.goniometer = Goniometer(GONIOMETER_SIZE)
            self.layout().replaceWidget(self._goniometer_slot, self.goniometer)
            self._goniometer_slot.deleteLater()
            self._dirty = True
        return self.goniometer

    def set_tracks(self, tracks: list[tuple[str, str]]) -> None:
        """(track id, name) in order: one small meter each."""
        while self._track_grid.count():
            widget = self._track_grid.takeAt(0).widget()
            if widget is not None:
                widget.hide()  # out of the layout now; it must not linger on top until deleted
                widget.deleteLater()
        self.track_bars = {}
        self.tracks = {track_id: self.tracks.get(track_id, LevelTracker()) for track_id, _ in tracks}
        for row, (track_id, name) in enumerate(tracks):
            self._track_grid.addWidget(QLabel(name), row, 0)
            self.track_bars[track_id] = StereoBars()
            self._track_grid.addWidget(self.track_bars[track_id], row, 1)

    def show_still(self, audio: np.ndarray, name: str) -> None:
        """The stereo image of a whole piece of audio (the selected clip) while nothing plays: its
        correlation and its points spread over the goniometer, without a sound device."""
        self.reset()
        stereo = audio if audio.shape[0] == 2 else audio[[0, 0]]
        if stereo.shape[1] == 0:
            return
        left, right = stereo[0], stereo[1]
        self.master.add(stereo)
        self._sums[:] = (float(np.dot(left, right)), float(np.dot(left, left)), float(np.dot(right, right)))
        step = max(1, stereo.shape[1] // POINTS)
        count = min(POINTS, len(range(0, stereo.shape[1], step)))
        self._x[:count] = (right[::step][:count] - left[::step][:count]) * math.sqrt(0.5)
        self._y[:count] = (right[::step][:count] + left[::step][:count]) * math.sqrt(0.5)
        self._next = count % POINTS
        self.still.setText(f"Image of {name}" if name else "Image of the selected clip")
        self._dirty = True

    def feed(self, block: np.ndarray) -> None:
        """A block of the master output, float32 [channels, frames]."""
        if block.shape[1] == 0:
            return
        if self.still.text():  # playing: the output's picture from now on
            self.reset()
        stereo = block if block.shape[0] == 2 else block[[0, 0]]
        self.master.add(stereo)
        left, right = stereo[0], stereo[1]
        decay = math.exp(-stereo.shape[1] / (self.sample_rate * CORRELATION_SECONDS))
        self._sums *= decay
        self._sums += (float(np.dot(left, right)), float(np.dot(left, left)), float(np.dot(right, right)))
        step = max(1, stereo.shape[1] // POINTS_PER_BLOCK)
        count = len(range(0, stereo.shape[1], step))
        at = np.arange(self._next, self._next + count) % POINTS
        self._x[at] = (right[::step] - left[::step]) * math.sqrt(0.5)
        self._y[at] = (right[::step] + left[::step]) * math.sqrt(0.5)
        self._next = (self._next + count) % POINTS
        self._dirty = True

    def feed_track(self, track_id: str, block: np.ndarray) -> None:
        tracker = self.tracks.get(track_id)
        if tracker is not None and block.shape[1]:
            tracker.add(block)
            self._dirty = True

    def reset(self) -> None:
        """Playback stopped: empty meters, a centred correlation, no dots."""
        self.master = LevelTracker()
        self.tracks = {track_id: LevelTracker() for track_id in self.tracks}
        self._sums[:] = 0.0
        self._x[:] = 0.0
        self._y[:] = 0.0
        self.still.setText("")
        self._dirty = True

    def _repaint(self) -> None:
        if not self._dirty:
            return
        self._dirty = False
        seconds = FRAME_MS / 1000
        self.master.tick(seconds)
        self.master_bars.set_levels(*self.master.shown_db)
        for track_id, tracker in self.tracks.items():
            tracker.tick(seconds)
            self.track_bars[track_id].set_levels(*tracker.shown_db)
        cross, left, right = self._sums
        self.correlation = cross / math.sqrt(left * right) if left * right > 1e-12 else 0.0
        self.correlation_meter.set_value(self.correlation)
        if self.goniometer is not None:
            self.goniometer.dots.setData(self._x, self._y)
        self.levels.emit(*self.master.shown_db)
        if any(level > FLOOR_DB for level in self.master.shown_db) or any(
            level > FLOOR_DB for t in self.tracks.values() for level in t.shown_db
        ):
            self._dirty = True  # keep ticking while the bars fall
