"""The window's size, place and splitters: at most the screen at first, as the person left them after.

Qt's saved geometry knows the screen it was on; a window saved on a large screen and restored on a
smaller one (or one since unplugged) is brought back within the available area.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSettings, QSize, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMainWindow, QSplitter

from sketchpad.ui.common import preferences as stored

PREFERRED = QSize(1360, 860)
GEOMETRY = "geometry"
# Before the window manager has framed the window its frame is unknown (Qt reports none): the first size
# leaves room for a title bar and borders this large, and is corrected once the real frame is known.
FRAME_ALLOWANCE = QSize(8, 40)
FRAME_WATCH_MS = (50, 3000)  # after the first show: how often, and how long, to look for the real frame


def available_area(window: QMainWindow) -> QRect:
    screen = window.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, PREFERRED.width(), PREFERRED.height())


def frame_size(window: QMainWindow) -> QSize:
    """What the frame (title bar and borders) adds to the window, as far as Qt knows it now."""
    return window.frameGeometry().size() - window.geometry().size()


def fit_to_screen(window: QMainWindow, allowance: QSize | None = None) -> None:
    """Shrink and move the window so it lies within the screen's available area, frame included (the
    frame is known once the window manager has framed the window: `watch_frame` calls this again then;
    before, `allowance` stands in for an unknown frame)."""
    area = available_area(window)
    frame = frame_size(window)
    if allowance is not None and frame.isNull():
        frame = allowance
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
        fit_to_screen(window, FRAME_ALLOWANCE)  # the first time: room for a frame not known yet
    else:
        fit_to_screen(window)
    for name, splitter in splitters.items():
        state = stored.load_window_state(settings, f"splitters/{name}")
        if state is not None:
            splitter.restoreState(state)


def watch_frame(window: QMainWindow) -> QTimer:
    """After the first show: fit the window again as soon as the window manager has framed it (it
    reparents the window some time after the show, and only then does Qt know the title bar's height).
    Where no frame comes (no window manager) the watch just ends: the size fitted before the
    show stands."""
    timer = QTimer(window)
    timer.setInterval(FRAME_WATCH_MS[0])
    left = [FRAME_WATCH_MS[1] // FRAME_WATCH_MS[0]]

    def look() -> None:
        left[0] -= 1
        framed = not frame_size(window).isNull()
        if framed:
            fit_to_screen(window)
        if framed or left[0] <= 0:
            timer.stop()
            timer.deleteLater()

    timer.timeout.connect(look)
    timer.start()
    QTimer.singleShot(0, timer, look)  # a platform that frames at once (offscreen): fitted before anyone resizes
    return timer


def save(window: QMainWindow, settings: QSettings, splitters: dict[str, QSplitter]) -> None:
    stored.save_window_state(settings, GEOMETRY, window.saveGeometry())
    for name, splitter in splitters.items():
        stored.save_window_state(settings, f"splitters/{name}", splitter.saveState())
