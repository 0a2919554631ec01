"""Audio files in a drag-and-drop, for the window (melody) and the timeline (clips) alike."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, QObject
from PySide6.QtWidgets import QWidget

from sketchpad.core.formats import is_audio_file


def file_drop_paths(data: QMimeData | None) -> list[Path]:
    """Local files in a drop that look like audio (anything else is left to the widget under the pointer)."""
    if data is None or not data.hasUrls():
        return []
    paths = [Path(url.toLocalFile()) for url in data.urls() if url.isLocalFile()]
    return [path for path in paths if is_audio_file(path)]


class FileDrops(QObject):
    """An application event filter: audio files dropped anywhere in `window` (except inside `elsewhere`,
    which takes its own drops) go to `dropped`. Widgets such as text fields would otherwise take them."""

    def __init__(self, window: QWidget, elsewhere: QWidget, dropped: Callable[[list[Path]], None]) -> None:
        super().__init__(window)
        self.window, self.elsewhere, self.dropped = window, elsewhere, dropped

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop) and self._ours(watched):
            paths = file_drop_paths(event.mimeData())
            if paths:
                event.acceptProposedAction()
                if kind == QEvent.Type.Drop:
                    self.dropped(paths)
                return True
        return False

    def _ours(self, watched: QObject) -> bool:
        inside = isinstance(watched, QWidget) and (watched is self.window or self.window.isAncestorOf(watched))
        return inside and not (watched is self.elsewhere or self.elsewhere.isAncestorOf(watched))
