"""The Qt application: a plain main window until the UI issues fill it."""

from __future__ import annotations

from collections.abc import Sequence


def run_app(argv: Sequence[str]) -> int:
    from PySide6.QtWidgets import QApplication, QMainWindow

    from sketchpad import __version__

    app = QApplication(list(argv))
    app.setApplicationName("Sketchpad")
    app.setOrganizationName("Sketchpad")
    window = QMainWindow()
    window.setWindowTitle(f"Sketchpad {__version__}")
    window.resize(1100, 700)
    window.show()
    return app.exec()
