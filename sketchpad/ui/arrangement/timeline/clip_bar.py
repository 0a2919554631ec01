"""The strip under the clip area that names and sets the gain of the selected clips.

Renaming goes through RenameClip when the name is confirmed (Enter or leaving the field); Escape puts
the name back. Gain goes through SetClipGain on every selected clip at once: a typed value when it is
confirmed, each arrow or wheel step at once, and all the steps of one visit to the field are one undo
step. Enter and Escape hand the keys back to the clip area, so S splits again instead of typing.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from sketchpad.sketch import Edit, GestureGroup, RenameClip, SetClipGain, Sketch
from sketchpad.ui.arrangement.timeline.fields import GainField, Gestures, NameField


class ClipBar(QWidget):
    def __init__(self, sketch: Sketch, push: Callable[[Edit], None], leave: Callable[[], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sketch, self.push, self.leave = sketch, push, leave
        self.clip_ids: list[str] = []
        self.gestures = Gestures()  # one gain step per visit to the field
        self.name = NameField(leave)
        self.name.setPlaceholderText("No clip selected")
        self.name.setToolTip("The selected clip's name (F2 or double-click a clip to rename it)")
        self.gain = GainField(leave)
        self.gain.setToolTip("Gain of the selected clips")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.addWidget(QLabel("Clip"))
        layout.addWidget(self.name, 3)
        layout.addWidget(QLabel("Gain"))
        layout.addWidget(self.gain)
        layout.addStretch(2)
        self.name.returnPressed.connect(self._rename_and_leave)
        self.name.editingFinished.connect(self._rename)
        self.gain.valueChanged.connect(self._set_gain)
        self.gain.editingFinished.connect(self.gestures.end_visit)
        self.show_clips([])

    def show_clips(self, clip_ids: list[str]) -> None:
        """Show the clips `clip_ids` (the selection), as they are in the sketch now."""
        self.clip_ids = [clip_id for clip_id in clip_ids if self._exists(clip_id)]
        clips = [self.sketch.clip(clip_id) for clip_id in self.clip_ids]
        one = len(clips) == 1
        self.name.setEnabled(one)
        self.name.setPlaceholderText("No clip selected" if not clips else f"{len(clips)} clips")
        self.name.show_name(clips[0].name if one else "")
        self.gain.setEnabled(bool(clips))
        if clips:
            self.gain.show_value(clips[0].gain_db)

    def edit_name(self) -> None:
        """Put the keys in the name field, its text selected (F2, double-click on a clip)."""
        if self.name.isEnabled():
            self.name.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self.name.selectAll()

    def _exists(self, clip_id: str) -> bool:
        try:
            self.sketch.find_clip(clip_id)
        except KeyError:
            return False
        return True

    def _rename(self) -> None:
        name = self.name.text().strip()
        if len(self.clip_ids) == 1 and name != self.sketch.clip(self.clip_ids[0]).name:
            self.push(RenameClip(self.clip_ids[0], name=name))

    def _rename_and_leave(self) -> None:
        self._rename()
        self.leave()

    def _set_gain(self, value: float) -> None:
        if not self.clip_ids:
            return
        token = self.gestures.visit()
        edits = [SetClipGain(clip_id, gain_db=float(value), gesture=token) for clip_id in self.clip_ids]
        try:
            self.push(GestureGroup(edits, "Clip gain", gesture=token))
        except (ValueError, KeyError):
            self.show_clips(self.clip_ids)
