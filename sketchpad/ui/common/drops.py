"""Audio files in a drag-and-drop, for the window (melody) and the timeline (clips) alike."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData

from sketchpad.core.formats import is_audio_file


def file_drop_paths(data: QMimeData | None) -> list[Path]:
    """Local files in a drop that look like audio (anything else is left to the widget under the pointer)."""
    if data is None or not data.hasUrls():
        return []
    paths = [Path(url.toLocalFile()) for url in data.urls() if url.isLocalFile()]
    return [path for path in paths if is_audio_file(path)]
