"""The Qt binding the lock file picks must not leak references to None (PySide6 6.12.0 did, on 3.11)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer


def test_void_qt_calls_keep_none_alive(qapp):
    timer = QTimer()
    before = sys.getrefcount(None)
    for _ in range(2000):
        timer.setInterval(5)
    assert before - sys.getrefcount(None) < 50, "every void call loses a reference to None: the app will crash"
