"""A plain start with a valid autosave of the unsaved sketch and a remembered sketch whose path no
longer works: the question about the unsaved sketch still comes; Yes recovers it."""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import _path  # noqa: E402,F401
from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

from tests.e2e.driving import after_modals, run, wait_until  # noqa: E402

ASKED: list[str] = []


def answer_the_question(then) -> None:
    """Press Yes in the start-up question once it shows (modal: the scenario runs after it)."""
    give_up = time.monotonic() + 60

    def look() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.isVisible():
            ASKED.append(box.text())
            box.button(QMessageBox.StandardButton.Yes).click()
            after_modals(then)
        elif time.monotonic() > give_up:
            then()  # the scenario reports that nothing was asked
        else:
            QTimer.singleShot(50, look)

    QTimer.singleShot(0, look)


def recovered(window, report: dict) -> None:
    report["asked"] = ASKED
    wait_until(lambda: ASKED and window.document.sketch.tracks, "the recovered sketch", timeout=60)
    report["tracks"] = [track.name for track in window.document.sketch.tracks]
    report["title"] = window.windowTitle()


def drive(window) -> None:
    answer_the_question(lambda: run(window, recovered))
