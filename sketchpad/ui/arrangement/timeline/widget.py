"""The timeline: ruler, track headers, clip area and clip bar over a SketchDocument, and its actions.

It follows the sketch through its change callbacks (updating only what a Change names) and changes
it only by pushing edits onto the document's undo stack. Playback, takes and files stay outside:
the window connects `seek_requested`, `take_dropped` and `files_dropped`, and calls `set_playhead`.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QGridLayout, QMenu, QToolButton, QWidget

from sketchpad.sketch import Change, ChangeKind
from sketchpad.ui.arrangement.timeline.clip_bar import ClipBar
from sketchpad.ui.arrangement.timeline.commands import ClipCommands
from sketchpad.ui.arrangement.timeline.geometry import HEADER_WIDTH, RULER_HEIGHT, ZOOM_STEP
from sketchpad.ui.arrangement.timeline.ruler import Ruler
from sketchpad.ui.arrangement.timeline.track_header import HeaderColumn
from sketchpad.ui.arrangement.timeline.view import TimelineView
from sketchpad.ui.files.document import SketchDocument
from sketchpad.ui.window.actions import MainAction as A

FOLLOW_MARGIN = 0.1  # when the playhead leaves the view, it comes back in this far from the left
ON_SELECTION = (A.DUPLICATE, A.DELETE, A.COPY, A.CUT, A.RENAME_CLIP)  # enabled while clips are selected


class Timeline(ClipCommands, QWidget):
    seek_requested = Signal(int)  # frame
    take_dropped = Signal(object, object, int)  # QMimeData with TAKE_MIME, track id or None, frame
    files_dropped = Signal(list, object, int)  # audio file paths, track id or None, frame
    selection_changed = Signal()
    problem = Signal(str)  # a paste that does not fit this sketch

    def __init__(self, document: SketchDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.sketch = document.sketch
        self.playhead = 0
        self.follow_playhead = True
        self.actions_by_name = self._make_actions()
        self.snap_action = self._snap_action()
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
        self.headers = HeaderColumn(self.sketch, self.push, self.focus_clips)
        self.clip_bar = ClipBar(self.sketch, self.push, self.focus_clips)
        self._layout.addWidget(self.ruler, 0, 1)
        self._layout.addWidget(self.headers, 1, 0)
        self._layout.addWidget(self.view, 1, 1)
        self._layout.addWidget(self.clip_bar, 2, 0, 1, 2)
        self.view.verticalScrollBar().valueChanged.connect(self.headers.set_offset)
        self.view.take_dropped.connect(self.take_dropped)
        self.view.files_dropped.connect(self.files_dropped)
        self.view.selection_changed.connect(self._selection_changed)
        self.view.context_menu_requested.connect(self._clip_menu)
        self.view.rename_requested.connect(self.rename_clip)
        self.view.dragged_below.connect(self.move_to_new_track)
        self.view.nudge = self.nudge_key
        self.view.snap = self.snap_action.isChecked()
        self.ruler.seek_requested.connect(self.seek_requested)
        self.ruler.pressed.connect(self.focus_clips)
        self.sketch.subscribe(self._changed)
        self.update_actions()

    def reload(self) -> None:
        """The document holds another sketch now (New, Open): follow that one instead."""
        self.detach()
        for widget in (self.view, self.ruler, self.headers, self.clip_bar):
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
        if change.what is ChangeKind.TRACKS:
            self.headers.sync()
            self.view.sync_rows()
        elif change.what is ChangeKind.TRACK:
            self.headers.refresh(change.track_ids)
            self.view.update_tracks(change.track_ids)
        elif change.what in (ChangeKind.CLIP, ChangeKind.MEDIA):
            self.view.update_clips(change.clip_ids)
        else:
            self.view.update_extent()
            self.view.viewport().update()
        if change.what in (ChangeKind.TRACKS, ChangeKind.CLIP, ChangeKind.MEDIA):
            self.clip_bar.show_clips(self.selected_clip_ids())  # names and gains after an edit or undo
        self.ruler.update()

    def _selection_changed(self) -> None:
        self.clip_bar.show_clips(self.selected_clip_ids())
        self.update_actions()
        self.selection_changed.emit()

    def focus_clips(self) -> None:
        """Give the keys to the clip area, where every timeline shortcut and the arrows work."""
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    # Actions, for keys here and for the window's menus
    def _make_actions(self) -> dict[A, QAction]:
        specs = {
            A.SPLIT: ("Split at playhead", ("S",), self.split_at_playhead),
            A.DUPLICATE: ("Duplicate", ("Ctrl+D",), self.duplicate_selected),
            A.DELETE: ("Delete", ("Del", "Backspace"), self.delete_selected),
            A.SELECT_ALL: ("Select all clips", ("Ctrl+A",), self.select_all),
            A.COPY: ("Copy", ("Ctrl+C",), self.copy_selected),
            A.CUT: ("Cut", ("Ctrl+X",), self.cut_selected),
            A.PASTE: ("Paste at playhead", ("Ctrl+V",), self.paste),
            A.RENAME_CLIP: ("Rename clip", ("F2",), self.rename_clip),
            A.ADD_TRACK: ("Add track", ("Ctrl+T",), self.add_track),
            A.ZOOM_IN: ("Zoom in", ("+",), self.zoom_in),
            A.ZOOM_OUT: ("Zoom out", ("-",), self.zoom_out),
            A.ZOOM_FIT: ("Zoom to fit", ("0",), self.zoom_to_fit),
        }
        actions = {}
        for name, (text, keys, slot) in specs.items():
            action = QAction(text, self)
            action.setShortcuts([QKeySequence(key) for key in keys])
            # Anywhere in the timeline, its headers and its clip bar; a text field there keeps the keys it
            # types with (Qt asks the focused field first), so "s" in a track name never splits.
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
            actions[name] = action
        return actions

    def _snap_action(self) -> QAction:
        """Snap to grid: drags and loop drawing land on the beat/bar grid (or, without a tempo, on other
        clips' edges); Shift or Alt held during a drag does the opposite for that drag."""
        action = self.actions_by_name[A.SNAP] = QAction("Snap to grid", self)
        action.setIconText("Snap")  # what the corner's button shows; menus show the whole name
        action.setCheckable(True)
        action.setChecked(True)
        action.setShortcut(QKeySequence("N"))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.setToolTip("Snap to grid (N); hold Shift or Alt while dragging to do the opposite")
        action.toggled.connect(self.set_snap)
        self.addAction(action)
        return action

    def set_snap(self, enabled: bool) -> None:
        if self.snap_action.isChecked() != enabled:
            self.snap_action.setChecked(enabled)  # comes back here through `toggled`
            return
        self.view.snap = enabled

    def update_actions(self) -> None:
        chosen = bool(self.selected_clip_ids())
        for name in ON_SELECTION:
            self.actions_by_name[name].setEnabled(chosen)
        self.actions_by_name[A.PASTE].setEnabled(self.clipboard is not None)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        # Fallback when the shortcut map does not see the key (no active window, e.g. offscreen tests).
        pressed = QKeySequence(event.keyCombination())
        for action in self.actions_by_name.values():
            if action.isEnabled() and any(key.matches(pressed) == QKeySequence.SequenceMatch.ExactMatch
                                          for key in action.shortcuts()):
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
        button.setDefaultAction(self.actions_by_name[A.ADD_TRACK])
        button.move(4, 4)
        snap = QToolButton(corner)
        snap.setDefaultAction(self.snap_action)
        fit = QToolButton(corner)
        fit.setDefaultAction(self.actions_by_name[A.ZOOM_FIT])
        fit.move(HEADER_WIDTH - 4 - fit.sizeHint().width(), 4)
        snap.move((button.sizeHint().width() + fit.x() - snap.sizeHint().width()) // 2 + 2, 4)
        for tool in (button, snap, fit):
            tool.clicked.connect(self.focus_clips)
        return corner

    def _clip_menu(self, where: QPointF) -> None:
        self.clip_menu().exec(where.toPoint())

    def clip_menu(self) -> QMenu:
        """What a right-click in the clip area offers (on a clip or on empty space)."""
        menu = QMenu(self)
        for name in (A.RENAME_CLIP, None, A.SPLIT, A.DUPLICATE, A.DELETE, None, A.CUT, A.COPY, A.PASTE, A.SELECT_ALL):
            if name is None:
                menu.addSeparator()
            else:
                menu.addAction(self.actions_by_name[name])
        if self.extra_clip_actions:
            menu.addSeparator()
            menu.addActions(self.extra_clip_actions)
        return menu

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
