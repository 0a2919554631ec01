"""The arrangement as a simple outline of tracks and clips, and a drop target for takes.

A stand-in until the timeline (issue 6) draws clips on a time axis; it follows the sketch through
the sketch's change callbacks, as the timeline will.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QWidget

from sketchpad.sketch import Change, Sketch
from sketchpad.ui.takes import TAKE_MIME


class ArrangementOutline(QTreeWidget):
    takes_dropped = Signal(object, object)  # mime data, track id or None

    def __init__(self, sketch: Sketch, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sketch = sketch
        self.setHeaderLabels(["Timeline", "Start", "Length"])
        self.setColumnWidth(0, 260)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setRootIsDecorated(True)
        self.sketch.subscribe(self._changed)
        self.refresh()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        self.detach()
        super().closeEvent(event)

    def detach(self) -> None:
        if self._changed in self.sketch._listeners:
            self.sketch.unsubscribe(self._changed)

    def _changed(self, _change: Change) -> None:
        self.refresh()

    def refresh(self) -> None:
        self.clear()
        rate = self.sketch.sample_rate
        if not self.sketch.tracks:
            hint = QTreeWidgetItem(["Drag takes here, or press Add to timeline"])
            hint.setFlags(Qt.ItemFlag.NoItemFlags)
            self.addTopLevelItem(hint)
        for track in self.sketch.tracks:
            row = QTreeWidgetItem([track.name, "", f"{track.end / rate:.1f} s"])
            row.setData(0, Qt.ItemDataRole.UserRole, track.id)
            for clip in track.clips:
                child = QTreeWidgetItem([clip.name, f"{clip.start / rate:.1f} s", f"{clip.length / rate:.1f} s"])
                child.setData(0, Qt.ItemDataRole.UserRole, track.id)
                row.addChild(child)
            self.addTopLevelItem(row)
            row.setExpanded(True)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if event.mimeData().hasFormat(TAKE_MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802 - Qt override
        if event.mimeData().hasFormat(TAKE_MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        if not event.mimeData().hasFormat(TAKE_MIME):
            event.ignore()
            return
        item = self.itemAt(event.position().toPoint())
        track_id = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        self.takes_dropped.emit(event.mimeData(), track_id)
        event.acceptProposedAction()
