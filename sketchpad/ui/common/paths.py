"""Where the app keeps its own files (the data folder) and its error log."""

from __future__ import annotations

import datetime
from pathlib import Path

from PySide6.QtCore import QStandardPaths


def data_folder() -> Path:
    folder = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def log_path() -> Path:
    return data_folder() / "sketchpad-errors.log"


def write_log(title: str, details: str) -> Path:
    """Append a dated entry to the error log; returns its path (for the message shown)."""
    path = log_path()
    stamp = datetime.datetime.now().isoformat(timespec="seconds")
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f"--- {stamp} {title}\n{details.rstrip()}\n")
    return path
