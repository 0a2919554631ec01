"""Transport: return to start, play/pause (Space), stop, loop on/off, the time, and the master meter.

Only signals go out; the window connects them to playback and calls the `set_*` slots as playback
reports back, so the bar always shows what the player is doing, not what was last clicked.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QStyle, QToolButton, QWidget

from sketchpad.ui.arrangement.stereo_view import StereoBars
from sketchpad.ui.arrangement.timeline.geometry import BEATS_PER_BAR, format_time


def bar_beat(frame: int, sample_rate: int, tempo: float) -> str:
    """1-based bar.beat at `frame`, in 4/4."""
    beats = int(frame / sample_rate * tempo / 60.0)
    return f"{beats // BEATS_PER_BAR + 1}.{beats % BEATS_PER_BAR + 1}"


class TransportBar(QWidget):
    play_requested = Signal()
    pause_requested = Signal()
    stop_requested = Signal()
    rewind_requested = Signal()
    loop_toggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.playing = False
        self.sample_rate, self.tempo, self.frame = 32000, None, 0
        self.play_pause_action = QAction("Play", self)
        self.play_pause_action.setShortcut(QKeySequence(Qt.Key.Key_Space))
        self.play_pause_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.play_pause_action.triggered.connect(self.toggle_play)
        self.addAction(self.play_pause_action)
        self.rewind, self.play, self.stop = QToolButton(), QToolButton(), QToolButton()
        self.rewind.setText("Return to start")
        # Icons from the style: not every desktop font has the media symbols (they draw as boxes).
        self.rewind.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_MediaSkipBackward))
        self.rewind.setToolTip("Return to start (Home)")
        self.rewind.setShortcut(QKeySequence(Qt.Key.Key_Home))
        self.play.setDefaultAction(self.play_pause_action)
        self.stop.setText("Stop")
        self.stop.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_MediaStop))
        self.stop.setToolTip("Stop")
        self.loop = QToolButton()
        self.loop.setText("Loop")
        self.loop.setCheckable(True)
        self.loop.setToolTip("Play the loop region over and over (L)")
        self.loop.setShortcut(QKeySequence(Qt.Key.Key_L))
        self.time = QLabel()
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.Monospace)
        self.time.setFont(font)
        self.time.setMinimumWidth(150)
        self.meter = StereoBars()
        self.meter.setMaximumWidth(160)
        self.meter.setToolTip("Master level, left over right")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        for widget in (self.rewind, self.play, self.stop, self.loop, self.time):
            layout.addWidget(widget)
        layout.addStretch(1)
        layout.addWidget(self.meter)
        self.rewind.clicked.connect(self.rewind_requested)
        self.stop.clicked.connect(self.stop_requested)
        self.loop.toggled.connect(self.loop_toggled)
        self._show_time()
        self._show_state()

    def toggle_play(self) -> None:
        (self.pause_requested if self.playing else self.play_requested).emit()

    # Slots the window calls as playback reports back
    def set_playing(self, playing: bool) -> None:
        self.playing = playing
        self._show_state()

    def set_position(self, frame: int) -> None:
        self.frame = max(0, int(frame))
        self._show_time()

    def set_timebase(self, sample_rate: int, tempo: float | None) -> None:
        self.sample_rate, self.tempo = sample_rate, tempo
        self._show_time()

    def set_loop_enabled(self, enabled: bool) -> None:
        self.loop.blockSignals(True)
        self.loop.setChecked(enabled)
        self.loop.blockSignals(False)

    def set_levels(self, left_db: float, right_db: float) -> None:
        self.meter.set_levels(left_db, right_db)

    def _show_state(self) -> None:
        # An icon, as for the other buttons: "⏸" draws as a box in fonts without the media symbols.
        icon = QStyle.StandardPixmap.SP_MediaPause if self.playing else QStyle.StandardPixmap.SP_MediaPlay
        self.play_pause_action.setIcon(self.style().standardIcon(icon))
        self.play_pause_action.setText("Pause" if self.playing else "Play")
        self.play_pause_action.setToolTip("Pause (Space)" if self.playing else "Play (Space)")

    def _show_time(self) -> None:
        text = format_time(self.frame / self.sample_rate)
        if self.tempo is not None:
            text += f"  bar {bar_beat(self.frame, self.sample_rate, self.tempo)}"
        self.time.setText(text)
