"""Drops onto the clip area: takes from the takes list, and audio files, reported with where they
landed. The widget only reports; the window turns takes and files into clips (engine and file work
stay out of the timeline)."""

from __future__ import annotations

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent

from sketchpad.ui.common.drops import file_drop_paths
from sketchpad.ui.takes.panel import TAKE_MIME


def accepts(data: QMimeData) -> bool:
    return data.hasFormat(TAKE_MIME) or bool(file_drop_paths(data))


class DropMixin:
    """For the timeline view: needs `take_dropped`, `files_dropped`, `frame_at` and `track_id_at`."""

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if accepts(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802 - Qt override
        self.dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        data = event.mimeData()
        position = event.position()
        frame = max(0, int(round(self.frame_at(position.x()))))
        track_id = self.track_id_at(self.mapToScene(position.toPoint()).y())
        if data.hasFormat(TAKE_MIME):
            self.take_dropped.emit(data, track_id, frame)
        elif paths := [str(path) for path in file_drop_paths(data)]:
            self.files_dropped.emit(paths, track_id, frame)
        else:
            event.ignore()
            return
        event.acceptProposedAction()
