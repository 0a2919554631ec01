"""The time ruler over the clip area: seconds, bars when there is a tempo, the loop region, the playhead.

Click to seek; drag to draw a loop region (on the bar grid with a tempo unless Shift or Alt is held),
which goes through the document as one SetLoop.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from sketchpad.sketch import Edit, SetLoop
from sketchpad.ui.arrangement.timeline.block_image import triangle
from sketchpad.ui.arrangement.timeline.geometry import RULER_HEIGHT, bar_frames, format_time, nice_step
from sketchpad.ui.arrangement.timeline.view import NO_SNAP, TimelineView

DRAG_PIXELS = 4  # less than this between press and release is a click


class Ruler(QWidget):
    seek_requested = Signal(int)
    pressed = Signal()  # the timeline gives the keys to the clip area

    def __init__(self, view: TimelineView, push: Callable[[Edit], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view, self.push = view, push
        self.playhead = 0
        self._press_x: float | None = None
        self.dragging: tuple[int, int] | None = None  # the loop being drawn, before it is pushed
        self.setFixedHeight(RULER_HEIGHT)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(False)
        view.view_changed.connect(self.update)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(400, RULER_HEIGHT)

    def set_playhead(self, frame: int) -> None:
        old, self.playhead = self.view.viewport_x(self.playhead), frame
        new = self.view.viewport_x(frame)
        for x in (old, new):  # repaint just the marker's old and new place
            self.update(int(x) - 8, 0, 17, self.height())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#dfe3e8"))
        sketch, view = self.view.sketch, self.view
        rate, ppf = sketch.sample_rate, view.pixels_per_frame
        first, last = view.frame_at(0), view.frame_at(self.width())
        loop = self.dragging or sketch.loop
        if loop is not None:
            left, right = view.viewport_x(loop[0]), view.viewport_x(loop[1])
            painter.fillRect(QRectF(left, self.height() / 2, right - left, self.height() / 2),
                             QColor(47, 111, 179, 120 if self.dragging else 80))
        painter.setPen(QColor("#4a525c"))
        step = nice_step(70 / (ppf * rate))
        tick = math.floor(first / rate / step)
        while tick * step * rate <= last:
            x = view.viewport_x(tick * step * rate)
            painter.drawLine(QPointF(x, 0), QPointF(x, 8))
            painter.drawText(QPointF(x + 3, 12), format_time(tick * step, step))
            tick += 1
        bar = bar_frames(sketch.tempo, rate)
        if bar is not None:
            every = 2 ** max(0, math.ceil(math.log2(36 / (bar * ppf))))  # label bars at least 36 px apart
            index = math.floor(first / bar / every) * every
            while index * bar <= last:
                x = view.viewport_x(index * bar)
                painter.drawLine(QPointF(x, self.height() - 10), QPointF(x, self.height()))
                painter.drawText(QPointF(x + 3, self.height() - 3), str(index + 1))
                index += every
        x = view.viewport_x(self.playhead)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#d04a02"))
        painter.drawPath(triangle(QPointF(x - 6, 0), QPointF(x + 6, 0), QPointF(x, 9)))
        painter.end()

    def _frame(self, x: float, snap: bool) -> int:
        frame = max(0, int(round(self.view.frame_at(x))))
        bar = bar_frames(self.view.sketch.tempo, self.view.sketch.sample_rate)
        return int(round(round(frame / bar) * bar)) if snap and bar is not None else frame

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        self.pressed.emit()
        if event.button() == Qt.MouseButton.LeftButton:
            self._press_x = event.position().x()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if self._press_x is None:
            return
        x = event.position().x()
        if self.dragging is None and abs(x - self._press_x) < DRAG_PIXELS:
            return
        snap = not (event.modifiers() & NO_SNAP)
        a, b = sorted((self._frame(self._press_x, snap), self._frame(x, snap)))
        self.dragging = (a, b)
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if self._press_x is None:
            return
        self.mouseMoveEvent(event)
        loop, self.dragging, press_x = self.dragging, None, self._press_x
        self._press_x = None
        if loop is None:
            self.seek_requested.emit(self._frame(press_x, False))
        elif loop[1] > loop[0] and loop != self.view.sketch.loop:
            self.push(SetLoop(loop))
        self.update()
