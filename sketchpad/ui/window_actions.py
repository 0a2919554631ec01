"""Small helpers the main window uses for drops."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData

AUDIO_SUFFIXES = {".wav", ".flac", ".ogg", ".oga", ".mp3", ".aif", ".aiff", ".au", ".w64", ".caf"}


def file_drop_paths(data: QMimeData | None) -> list[Path]:
    """Local files in a drop that look like audio (anything else is left to the widget under the pointer)."""
    if data is None or not data.hasUrls():
        return []
    paths = [Path(url.toLocalFile()) for url in data.urls() if url.isLocalFile()]
    return [path for path in paths if path.suffix.lower() in AUDIO_SUFFIXES]
