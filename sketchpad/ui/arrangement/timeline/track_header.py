"""Track headers: name, mute, solo, gain and pan (sliders with value fields), beside each row; a column of
them that scrolls with the clip area. Every control sends an undoable edit; a slider drag is one undo
step (one gesture), and so are the steps of one visit to a value field. Double-click a slider to reset
it. A click on a header, or Enter in its fields, hands the keys back to the clip area."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QMenu, QSlider, QToolButton, QWidget

from sketchpad.sketch import (
    DeleteTrack,
    Edit,
    MoveTrack,
    RenameTrack,
    SetTrackGain,
    SetTrackMute,
    SetTrackPan,
    SetTrackSolo,
    Sketch,
    Track,
)
from sketchpad.ui.arrangement.timeline.fields import (
    GainField,
    Gestures,
    NameField,
    PanField,
    ResetOnDoubleClick,
)
from sketchpad.ui.arrangement.timeline.geometry import HEADER_WIDTH, ROW_HEIGHT

GAIN_RANGE = (-60, 12)  # dB on the slider; the field beside it takes any gain the sketch allows


def _toggle(text: str, tip: str) -> QToolButton:
    button = QToolButton()
    button.setText(text)
    button.setToolTip(tip)
    button.setCheckable(True)
    button.setFixedSize(22, 20)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a click leaves the keys where the header puts them
    return button


class TrackHeader(QFrame):
    def __init__(self, sketch: Sketch, track: Track, push: Callable[[Edit], None], leave: Callable[[], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sketch, self.track_id, self.push, self.leave = sketch, track.id, push, leave
        self.gestures = Gestures()  # one undo step per drag, and per visit to a value field
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFixedSize(HEADER_WIDTH, ROW_HEIGHT)
        self.name = NameField(leave)
        self.mute, self.solo = _toggle("M", "Mute"), _toggle("S", "Solo")
        self.gain = QSlider(Qt.Orientation.Horizontal)
        self.gain.setRange(*GAIN_RANGE)
        self.pan = QSlider(Qt.Orientation.Horizontal)
        self.pan.setRange(-100, 100)
        self.gain_field, self.pan_field = GainField(leave, compact=True), PanField(leave)
        layout = QGridLayout(self)
        layout.setContentsMargins(4, 3, 4, 3)
        layout.setHorizontalSpacing(2)
        layout.setVerticalSpacing(3)
        layout.addWidget(self.name, 0, 0, 1, 3)
        layout.addWidget(self.mute, 0, 3)
        layout.addWidget(self.solo, 0, 4)
        layout.addWidget(self.gain, 1, 0)
        layout.addWidget(self.gain_field, 1, 1)
        layout.addWidget(self.pan, 1, 2)
        layout.addWidget(self.pan_field, 1, 3, 1, 2)
        layout.setColumnStretch(0, 3)
        layout.setColumnStretch(2, 2)
        self.refresh(track)
        self.name.editingFinished.connect(self._rename)
        self.name.returnPressed.connect(leave)
        self.gain.installEventFilter(ResetOnDoubleClick(lambda: self._send(SetTrackGain(self.track_id, 0.0)), self))
        self.pan.installEventFilter(ResetOnDoubleClick(lambda: self._send(SetTrackPan(self.track_id, 0.0)), self))
        self.gain_field.valueChanged.connect(
            lambda v: self._send(SetTrackGain(self.track_id, float(v), gesture=self.gestures.visit())))
        self.pan_field.valueChanged.connect(
            lambda v: self._send(SetTrackPan(self.track_id, v / 100, gesture=self.gestures.visit())))
        for field in (self.gain_field, self.pan_field):
            field.editingFinished.connect(self.gestures.end_visit)
        self.mute.toggled.connect(lambda on: self._send(SetTrackMute(self.track_id, on)))
        self.solo.toggled.connect(lambda on: self._send(SetTrackSolo(self.track_id, on)))
        for button in (self.mute, self.solo):
            button.clicked.connect(leave)
        for slider in (self.gain, self.pan):
            slider.sliderPressed.connect(self.gestures.begin_drag)
            slider.sliderReleased.connect(self.gestures.end_drag)
        self.gain.valueChanged.connect(
            lambda v: self._send(SetTrackGain(self.track_id, float(v), gesture=self.gestures.drag())))
        self.pan.valueChanged.connect(
            lambda v: self._send(SetTrackPan(self.track_id, v / 100, gesture=self.gestures.drag())))
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._menu)

    def refresh(self, track: Track) -> None:
        """Show the model's values without sending them back as edits."""
        for widget, setter, value in (
            (self.name, self.name.show_name, track.name),
            (self.mute, self.mute.setChecked, track.mute),
            (self.solo, self.solo.setChecked, track.solo),
            (self.gain, self.gain.setValue, round(track.gain_db)),
            (self.pan, self.pan.setValue, round(track.pan * 100)),
        ):
            widget.blockSignals(True)
            setter(value)
            widget.blockSignals(False)
        self.gain_field.show_value(track.gain_db)
        self.pan_field.show_value(round(track.pan * 100))
        self.gain.setToolTip(f"Gain {track.gain_db:+.1f} dB")
        side = "L" if track.pan < 0 else "R"
        self.pan.setToolTip("Pan centre" if track.pan == 0 else f"Pan {abs(track.pan) * 100:.0f}% {side}")

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        self.leave()  # a click on the header itself: the timeline's keys work from here on
        super().mousePressEvent(event)

    def _send(self, edit: Edit) -> None:
        try:
            self.push(edit)
        except (ValueError, KeyError):
            self.refresh(self.sketch.track(self.track_id))

    def _rename(self) -> None:
        name = self.name.text().strip()
        if name and name != self.sketch.track(self.track_id).name:
            self._send(RenameTrack(self.track_id, name))

    def _menu(self, where: QPoint) -> None:
        self.menu().exec(self.mapToGlobal(where))

    def menu(self) -> QMenu:
        menu = QMenu(self)
        index = self.sketch.track_index(self.track_id)
        up = menu.addAction("Move up", lambda: self._send(MoveTrack(self.track_id, index - 1)))
        up.setEnabled(index > 0)
        down = menu.addAction("Move down", lambda: self._send(MoveTrack(self.track_id, index + 1)))
        down.setEnabled(index < len(self.sketch.tracks) - 1)
        menu.addAction("Delete track", lambda: self._send(DeleteTrack(self.track_id)))
        return menu


class HeaderColumn(QWidget):
    """The headers in track order, moved (not re-made) when tracks change, offset by the vertical scroll."""

    def __init__(self, sketch: Sketch, push: Callable[[Edit], None], leave: Callable[[], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sketch, self.push, self.leave = sketch, push, leave
        self.headers: dict[str, TrackHeader] = {}
        self.offset = 0
        self.setFixedWidth(HEADER_WIDTH)
        self.sync()

    def sync(self) -> None:
        ids = [track.id for track in self.sketch.tracks]
        for track_id in [t for t in self.headers if t not in ids]:
            self.headers.pop(track_id).deleteLater()
        for track in self.sketch.tracks:
            if track.id not in self.headers:
                self.headers[track.id] = TrackHeader(self.sketch, track, self.push, self.leave, self)
                self.headers[track.id].show()
            self.headers[track.id].refresh(track)
        self.set_offset(self.offset)

    def refresh(self, track_ids: tuple[str, ...]) -> None:
        for track_id in track_ids:
            if track_id in self.headers:
                self.headers[track_id].refresh(self.sketch.track(track_id))

    def set_offset(self, offset: int) -> None:
        self.offset = offset
        for row, track in enumerate(self.sketch.tracks):
            self.headers[track.id].move(0, row * ROW_HEIGHT - offset)
