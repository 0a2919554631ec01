"""Transport: return to start, play/pause (Space), stop, loop on/off, the metronome, the time, the sketch's
tempo and metre, and the master fader beside the master meter.

Only signals go out; the window connects them to playback and the document, and calls the `set_*` slots
as they report back, so the bar always shows what the player and the sketch hold, not what was last
clicked or typed. The master fader's drag carries one gesture token (one undo step), and so do the
steps of one visit to its value field; a double-click on the fader asks for 0 dB.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSlider, QStyle, QToolButton, QWidget

from sketchpad.core.metre import DEFAULT_METRE, bar_and_beat
from sketchpad.ui.arrangement.stereo_view import StereoBars
from sketchpad.ui.arrangement.tempo_fields import BEAT_UNITS, BeatsField, TempoField
from sketchpad.ui.arrangement.timeline.fields import GainField, Gestures, ResetOnDoubleClick
from sketchpad.ui.arrangement.timeline.geometry import format_time

MASTER_RANGE = (-60, 12)  # dB on the fader; the field beside it takes any gain the sketch allows


def bar_beat(frame: int, sample_rate: int, tempo: float, beats_per_bar: int = DEFAULT_METRE[0]) -> str:
    """1-based bar.beat at `frame`."""
    bar, beat = bar_and_beat(frame, tempo, beats_per_bar, sample_rate)
    return f"{bar}.{beat}"


class TransportBar(QWidget):
    play_requested = Signal()
    pause_requested = Signal()
    stop_requested = Signal()
    rewind_requested = Signal()
    loop_toggled = Signal(bool)
    metronome_toggled = Signal(bool)
    tempo_edited = Signal(object)  # BPM, or None for no tempo
    metre_edited = Signal(object)  # (beats per bar, beat unit)
    master_gain_edited = Signal(float, object)  # dB, gesture token (None: a step of its own)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.playing = False
        self.sample_rate, self.tempo, self.metre, self.frame = 32000, None, DEFAULT_METRE, 0
        self.gestures = Gestures()  # one undo step per drag, and per visit to a value field
        self.play_pause_action = QAction("Play", self)
        self.play_pause_action.setShortcut(QKeySequence(Qt.Key.Key_Space))
        self.play_pause_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.play_pause_action.triggered.connect(self.toggle_play)
        self.addAction(self.play_pause_action)
        self.metronome_action = QAction("Metronome", self)
        self.metronome_action.setIconText("Click")
        self.metronome_action.setCheckable(True)
        self.metronome_action.setShortcut(QKeySequence(Qt.Key.Key_C))
        self.metronome_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.metronome_action.toggled.connect(self._metronome_toggled)
        self._quiet = False  # showing a state the window set, not a person's click
        self.addAction(self.metronome_action)
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
        # Loop and metronome are actions, so the Play menu offers them with their keys (as the buttons do).
        self.loop_action = QAction("Loop", self)
        self.loop_action.setCheckable(True)
        self.loop_action.setToolTip("Play the loop region over and over (L)")
        self.loop_action.setShortcut(QKeySequence(Qt.Key.Key_L))
        self.loop_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.loop_action.toggled.connect(self._loop_toggled)
        self.addAction(self.loop_action)
        self.loop = QToolButton()
        self.loop.setDefaultAction(self.loop_action)
        self.metronome = QToolButton()
        self.metronome.setDefaultAction(self.metronome_action)
        self.time = QLabel()
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.Monospace)
        self.time.setFont(font)
        self.time.setMinimumWidth(140)
        self.leave: Callable[[], None] = self._clear_focus  # Enter or Escape in a field: where the keys go
        self.tempo_field = TempoField(lambda: self.leave())
        self.beats_field = BeatsField(lambda: self.leave())
        self.unit_box = QComboBox()
        self.unit_box.addItems([str(unit) for unit in BEAT_UNITS])
        self.unit_box.setToolTip("The note a beat is: 4 a quarter, 8 an eighth")
        self.unit_box.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.master = QSlider(Qt.Orientation.Horizontal)
        self.master.setRange(*MASTER_RANGE)
        self.master.setMinimumWidth(50)
        self.master.setMaximumWidth(110)
        self.master.setToolTip("Master gain; double-click for 0 dB")
        self.master_field = GainField(lambda: self.leave(), compact=True)
        self.master_field.setToolTip("Master gain in dB: type a value, or double-click the fader for 0 dB")
        self.meter = StereoBars()
        self.meter.setMinimumWidth(40)
        self.meter.setMaximumWidth(140)
        self.meter.setToolTip("Master level, left over right")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(4)
        for widget in (self.rewind, self.play, self.stop, self.loop, self.metronome, self.time, self.tempo_field,
                       self.beats_field, QLabel("/"), self.unit_box):
            layout.addWidget(widget)
        layout.addStretch(1)
        for widget in (self.master, self.master_field, self.meter):
            layout.addWidget(widget)
        self.rewind.clicked.connect(self.rewind_requested)
        self.stop.clicked.connect(self.stop_requested)
        self.tempo_field.valueChanged.connect(lambda _value: self.tempo_edited.emit(self.tempo_field.tempo()))
        self.beats_field.valueChanged.connect(lambda _value: self._metre_edited())
        self.unit_box.activated.connect(lambda _index: self._metre_edited())
        self.master.sliderPressed.connect(self.gestures.begin_drag)
        self.master.sliderReleased.connect(self.gestures.end_drag)
        self.master.valueChanged.connect(lambda value: self.master_gain_edited.emit(float(value), self.gestures.drag()))
        self.master_field.valueChanged.connect(
            lambda value: self.master_gain_edited.emit(float(value), self.gestures.visit()))
        self.master_field.editingFinished.connect(self.gestures.end_visit)
        self.master.installEventFilter(ResetOnDoubleClick(lambda: self.master_gain_edited.emit(0.0, None), self))
        self._show_time()
        self._show_state()
        self.set_timebase(self.sample_rate, None, DEFAULT_METRE)
        self.set_master_gain(0.0)

    def _clear_focus(self) -> None:
        focused = self.focusWidget()
        if focused is not None:
            focused.clearFocus()

    def toggle_play(self) -> None:
        (self.pause_requested if self.playing else self.play_requested).emit()

    # Slots the window calls as playback and the sketch report back
    def set_playing(self, playing: bool) -> None:
        self.playing = playing
        self._show_state()

    def set_position(self, frame: int) -> None:
        self.frame = max(0, int(frame))
        self._show_time()

    def set_timebase(self, sample_rate: int, tempo: float | None, metre: tuple[int, int] | None = None) -> None:
        """The sketch's rate, tempo and (unless None: kept as it is) metre, shown without being sent back."""
        self.sample_rate, self.tempo = sample_rate, tempo
        self.metre = metre or self.metre
        self.tempo_field.show_tempo(tempo)
        self.beats_field.show_value(self.metre[0])
        self.unit_box.setCurrentText(str(self.metre[1]))
        self.metronome_action.setEnabled(tempo is not None)
        self.metronome_action.setToolTip("Metronome: a click on every beat while playing (C)" if tempo is not None
                                         else "Metronome: give the sketch a tempo first")
        self._show_time()

    def set_master_gain(self, gain_db: float) -> None:
        self.master.blockSignals(True)
        self.master.setValue(round(gain_db))
        self.master.blockSignals(False)
        self.master_field.show_value(gain_db)
        self.master.setToolTip(f"Master gain {gain_db:+.1f} dB; double-click for 0 dB")

    def set_metronome(self, enabled: bool) -> None:
        # Not blockSignals: the button follows its action through the action's own signals.
        self._quiet = True
        self.metronome_action.setChecked(enabled)
        self._quiet = False

    def _metronome_toggled(self, enabled: bool) -> None:
        if not self._quiet:
            self.metronome_toggled.emit(enabled)

    def set_loop_enabled(self, enabled: bool) -> None:
        self._quiet = True  # as for the metronome: the button follows the action's own signals
        self.loop_action.setChecked(enabled)
        self._quiet = False

    def _loop_toggled(self, enabled: bool) -> None:
        if not self._quiet:
            self.loop_toggled.emit(enabled)

    def set_levels(self, left_db: float, right_db: float) -> None:
        self.meter.set_levels(left_db, right_db)

    def _metre_edited(self) -> None:
        self.metre_edited.emit((self.beats_field.value(), int(self.unit_box.currentText())))

    def _show_state(self) -> None:
        # An icon, as for the other buttons: "⏸" draws as a box in fonts without the media symbols.
        icon = QStyle.StandardPixmap.SP_MediaPause if self.playing else QStyle.StandardPixmap.SP_MediaPlay
        self.play_pause_action.setIcon(self.style().standardIcon(icon))
        self.play_pause_action.setText("Pause" if self.playing else "Play")
        self.play_pause_action.setToolTip("Pause (Space)" if self.playing else "Play (Space)")

    def _show_time(self) -> None:
        text = format_time(self.frame / self.sample_rate)
        if self.tempo is not None:
            text += f"  bar {bar_beat(self.frame, self.sample_rate, self.tempo, self.metre[0])}"
        self.time.setText(text)
