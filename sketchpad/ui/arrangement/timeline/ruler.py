"""The time ruler over the clip area: seconds; with a tempo, numbered bars and beat ticks in the
sketch's metre; the loop region and the playhead.

Click to seek; drag to draw a loop region (on the grid with a tempo while snapping is on; Shift or Alt
does the opposite), which goes through the document as one SetLoop.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from sketchpad.core.metre import beat_frames
from sketchpad.sketch import Edit, SetLoop
from sketchpad.ui.arrangement.timeline.block_image import triangle
from sketchpad.ui.arrangement.timeline.geometry import RULER_HEIGHT, format_time, grid_line, nice_step
from sketchpad.ui.arrangement.timeline.snapping import snap_to_grid
from sketchpad.ui.arrangement.timeline.view import NO_SNAP, TimelineView

DRAG_PIXELS = 4  # less than this between press and release is a click
MIN_BEAT_TICK_PIXELS = 6  # beat ticks closer than this are left out (bars still show)
BAR_LABEL_PIXELS = 36  # bar numbers at least this far apart (every 2nd, 4th... bar when zoomed out)


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
        if sketch.tempo is not None:
            self._paint_bars(painter, beat_frames(sketch.tempo, rate), sketch.metre[0], first, last)
        x = view.viewport_x(self.playhead)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#d04a02"))
        painter.drawPath(triangle(QPointF(x - 6, 0), QPointF(x + 6, 0), QPointF(x, 9)))
        painter.end()

    def _paint_bars(self, painter: QPainter, beat: float, per_bar: int, first: float, last: float) -> None:
        """Bar lines with their numbers and, when there is room, a short tick on every other beat, at the
        frames the metronome clicks on."""
        view, bottom = self.view, self.height()
        bar_pixels = beat * per_bar * view.pixels_per_frame
        every = 2 ** max(0, math.ceil(math.log2(BAR_LABEL_PIXELS / bar_pixels)))  # bars labelled, in bars
        ticks = beat * view.pixels_per_frame >= MIN_BEAT_TICK_PIXELS
        stride = 1 if ticks else per_bar * every  # beats from one line to the next
        index = max(0, math.floor(first / beat / stride)) * stride
        while (frame := grid_line(index, beat)) <= last:
            x = view.viewport_x(frame)
            if index % per_bar:
                painter.drawLine(QPointF(x, bottom - 4), QPointF(x, bottom))
            else:
                painter.drawLine(QPointF(x, bottom - 10), QPointF(x, bottom))
                bar = index // per_bar
                if bar % every == 0:
                    painter.drawText(QPointF(x + 3, bottom - 3), str(bar + 1))
            index += stride

    def _frame(self, x: float, snap: bool) -> int:
        frame = max(0, int(round(self.view.frame_at(x))))
        if snap and self.view.sketch.tempo is not None:
            return snap_to_grid(self.view.sketch, frame, self.view.pixels_per_frame)
        return frame

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
        snap = self.view.snap != bool(event.modifiers() & NO_SNAP)
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
