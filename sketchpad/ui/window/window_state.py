"""The window's size, place and splitters: at most the screen at first, as the person left them after.

Qt's saved geometry knows the screen it was on; a window saved on a large screen and restored on a
smaller one (or one since unplugged) is brought back within the available area.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSettings, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMainWindow, QSplitter

from sketchpad.ui.common import preferences as stored

PREFERRED = QSize(1360, 860)
GEOMETRY = "geometry"


def available_area(window: QMainWindow) -> QRect:
    screen = window.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, PREFERRED.width(), PREFERRED.height())


def fit_to_screen(window: QMainWindow) -> None:
    """Shrink and move the window so it lies within the screen's available area, frame included (the
    frame is known once the window is shown: call again then)."""
    area = available_area(window)
    frame = window.frameGeometry().size() - window.geometry().size()  # title bar and borders
    window.resize(min(window.width(), area.width() - frame.width()),
                  min(window.height(), area.height() - frame.height()))
    outer = window.frameGeometry()
    x = max(area.left(), min(outer.x(), area.right() + 1 - outer.width()))
    y = max(area.top(), min(outer.y(), area.bottom() + 1 - outer.height()))
    if (x, y) != (outer.x(), outer.y()):
        window.move(x, y)


def restore(window: QMainWindow, settings: QSettings, splitters: dict[str, QSplitter]) -> None:
    """The saved geometry and splitters, or the preferred size (at most the screen) the first time."""
    geometry = stored.load_window_state(settings, GEOMETRY)
    if geometry is None or not window.restoreGeometry(geometry):
        window.resize(PREFERRED)
    fit_to_screen(window)
    for name, splitter in splitters.items():
        state = stored.load_window_state(settings, f"splitters/{name}")
        if state is not None:
            splitter.restoreState(state)


def save(window: QMainWindow, settings: QSettings, splitters: dict[str, QSplitter]) -> None:
    stored.save_window_state(settings, GEOMETRY, window.saveGeometry())
    for name, splitter in splitters.items():
        stored.save_window_state(settings, f"splitters/{name}", splitter.saveState())
