"""The timeline: ruler, track headers and clip area over a SketchDocument, and the clip commands.

It follows the sketch through its change callbacks (updating only what a Change names) and changes
it only by pushing edits onto the document's undo stack. Playback, takes and files stay outside:
the window connects `seek_requested`, `take_dropped` and `files_dropped`, and calls `set_playhead`.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QGridLayout, QMenu, QToolButton, QWidget

from sketchpad.sketch import AddTrack, Change, DeleteClip, DuplicateClip, Edit, EditGroup, SplitClip, Track
from sketchpad.ui.arrangement.timeline.geometry import HEADER_WIDTH, RULER_HEIGHT, ZOOM_STEP
from sketchpad.ui.arrangement.timeline.ruler import Ruler
from sketchpad.ui.arrangement.timeline.track_header import HeaderColumn
from sketchpad.ui.arrangement.timeline.view import TimelineView
from sketchpad.ui.files.document import SketchDocument

FOLLOW_MARGIN = 0.1  # when the playhead leaves the view, it comes back in this far from the left


class Timeline(QWidget):
    seek_requested = Signal(int)  # frame
    take_dropped = Signal(object, object, int)  # QMimeData with TAKE_MIME, track id or None, frame
    files_dropped = Signal(list, object, int)  # audio file paths, track id or None, frame
    selection_changed = Signal()

    def __init__(self, document: SketchDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.sketch = document.sketch
        self.playhead = 0
        self.follow_playhead = True
        self.actions_by_name = self._make_actions()
        self.extra_clip_actions: list[QAction] = []  # the window's own clip actions (decoder A/B) for the menu
        self._layout = QGridLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(0)
        self._layout.addWidget(self._corner(), 0, 0)
        self._build()

    # Building and rebinding
    def _build(self) -> None:
        self.view = TimelineView(self.sketch, self.push)
        self.ruler = Ruler(self.view, self.push)
        self.headers = HeaderColumn(self.sketch, self.push)
        self._layout.addWidget(self.ruler, 0, 1)
        self._layout.addWidget(self.headers, 1, 0)
        self._layout.addWidget(self.view, 1, 1)
        self.view.verticalScrollBar().valueChanged.connect(self.headers.set_offset)
        self.view.take_dropped.connect(self.take_dropped)
        self.view.files_dropped.connect(self.files_dropped)
        self.view.selection_changed.connect(self.selection_changed)
        self.view.context_menu_requested.connect(self._clip_menu)
        self.ruler.seek_requested.connect(self.seek_requested)
        self.sketch.subscribe(self._changed)

    def reload(self) -> None:
        """The document holds another sketch now (New, Open): follow that one instead."""
        self.detach()
        for widget in (self.view, self.ruler, self.headers):
            self._layout.removeWidget(widget)
            widget.deleteLater()
        self.sketch = self.document.sketch
        self._build()

    def detach(self) -> None:
        self.sketch.unsubscribe(self._changed)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        self.detach()
        super().closeEvent(event)

    def _changed(self, change: Change) -> None:
        if change.what == "tracks":
            self.headers.sync()
            self.view.sync_rows()
        elif change.what == "track":
            self.headers.refresh(change.track_ids)
            self.view.update_tracks(change.track_ids)
        elif change.what in ("clip", "media"):
            self.view.update_clips(change.clip_ids)
        else:
            self.view.update_extent()
            self.view.viewport().update()
        self.ruler.update()

    def push(self, edit: Edit) -> None:
        self.document.push(edit)

    # Actions, for keys here and for the window's menus
    def _make_actions(self) -> dict[str, QAction]:
        specs = {
            "split": ("Split at playhead", "S", self.split_at_playhead),
            "duplicate": ("Duplicate", "Ctrl+D", self.duplicate_selected),
            "delete": ("Delete", QKeySequence.StandardKey.Delete, self.delete_selected),
            "add_track": ("Add track", "Ctrl+T", self.add_track),
            "zoom_in": ("Zoom in", "+", self.zoom_in),
            "zoom_out": ("Zoom out", "-", self.zoom_out),
            "zoom_fit": ("Zoom to fit", "0", self.zoom_to_fit),
        }
        actions = {}
        for name, (text, keys, slot) in specs.items():
            action = QAction(text, self)
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
            actions[name] = action
        return actions

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        # Fallback when the shortcut map does not see the key (no active window, e.g. offscreen tests).
        pressed = QKeySequence(event.keyCombination())
        for action in self.actions_by_name.values():
            if action.shortcut().matches(pressed) == QKeySequence.SequenceMatch.ExactMatch:
                action.trigger()
                return
        if event.key() == Qt.Key.Key_Equal:
            self.zoom_in()
            return
        super().keyPressEvent(event)

    def _corner(self) -> QWidget:
        corner = QWidget()
        corner.setFixedSize(HEADER_WIDTH, RULER_HEIGHT)
        button = QToolButton(corner)
        button.setDefaultAction(self.actions_by_name["add_track"])
        button.move(4, 4)
        fit = QToolButton(corner)
        fit.setDefaultAction(self.actions_by_name["zoom_fit"])
        fit.move(HEADER_WIDTH - 90, 4)
        return corner

    def _clip_menu(self, where: QPointF) -> None:
        menu = QMenu(self)
        for name in ("split", "duplicate", "delete"):
            menu.addAction(self.actions_by_name[name])
        if self.extra_clip_actions:
            menu.addSeparator()
            menu.addActions(self.extra_clip_actions)
        menu.exec(where.toPoint())

    # Selection and the clip commands
    def selected_clip_ids(self) -> list[str]:
        return [clip_id for clip_id, item in self.view.clip_items.items() if item.isSelected()]

    def select_clips(self, clip_ids: list[str]) -> None:
        self.view.scene().clearSelection()
        for clip_id in clip_ids:
            self.view.clip_items[clip_id].setSelected(True)

    def selection_range(self) -> tuple[int, int] | None:
        """From the earliest start to the latest end of the selected clips (for export), or None."""
        clips = [self.sketch.clip(clip_id) for clip_id in self.selected_clip_ids()]
        return (min(c.start for c in clips), max(c.end for c in clips)) if clips else None

    def _push_group(self, edits: list[Edit], label: str) -> None:
        if edits:
            self.push(edits[0] if len(edits) == 1 else EditGroup(edits, label))

    def split_at_playhead(self) -> None:
        """Split the selected clips under the playhead (all clips under it when none is selected)."""
        chosen = set(self.selected_clip_ids())
        edits: list[Edit] = [
            SplitClip(clip.id, self.playhead)
            for _, clip in self.sketch.iter_clips()
            if clip.start < self.playhead < clip.end and (not chosen or clip.id in chosen)
        ]
        self._push_group(edits, "Split clips")

    def duplicate_selected(self) -> None:
        self._push_group([DuplicateClip(clip_id) for clip_id in self.selected_clip_ids()], "Duplicate clips")

    def delete_selected(self) -> None:
        self._push_group([DeleteClip(clip_id) for clip_id in self.selected_clip_ids()], "Delete clips")

    def add_track(self) -> str:
        track = Track(name=f"Track {len(self.sketch.tracks) + 1}")
        self.push(AddTrack(track))
        return track.id

    # Zoom, scroll and the playhead
    def zoom_in(self) -> None:
        self.view.zoom(ZOOM_STEP, self.view.viewport_x(self.playhead) if self._playhead_shown() else None)

    def zoom_out(self) -> None:
        self.view.zoom(1 / ZOOM_STEP, self.view.viewport_x(self.playhead) if self._playhead_shown() else None)

    def zoom_to_fit(self) -> None:
        self.view.zoom_to_fit()

    def _playhead_shown(self) -> bool:
        return 0 <= self.view.viewport_x(self.playhead) <= self.view.viewport().width()

    def set_playhead(self, frame: int) -> None:
        self.playhead = max(0, int(frame))
        self.view.playhead.setPos(self.playhead, 0)
        self.ruler.set_playhead(self.playhead)
        x = self.view.viewport_x(self.playhead)
        width = self.view.viewport().width()
        if self.follow_playhead and not 0 <= x <= width:
            self.view.scroll_by(round(x - width * FOLLOW_MARGIN))
