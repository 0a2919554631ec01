"""One clip on the timeline: a block with its waveform, name, fades, and grab zones.

The view scales x (pixels per frame), so the item lives in frames and paints in device pixels:
it maps its rectangle through the painter's transform, resets it, and draws only the part that is
on screen, from the peak cache. Text and line widths therefore never stretch with the zoom.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from sketchpad.core.decibels import db_to_gain
from sketchpad.sketch import Clip
from sketchpad.ui.arrangement.timeline.geometry import EDGE_PIXELS, ROW_HEIGHT
from sketchpad.ui.arrangement.timeline.polygons import polygon_with_points
from sketchpad.ui.common.peaks import PeakCache

PALETTE = ("#4f81bd", "#9bbb59", "#c0504d", "#8064a2", "#4bacc6", "#f79646", "#2c8c7a", "#b5699b")
NAME_HEIGHT = 14
HANDLE = 7  # fade handle square, pixels
MARGIN = 2  # gap between a block and its row's edges
CACHE_MAX_PIXELS = 2048  # blocks up to this wide are drawn once per zoom level into a pixmap
CACHED_LEVELS = 4


def triangle(a: QPointF, b: QPointF, c: QPointF) -> QPainterPath:
    # A path, not drawPolygon: PySide6 6.12's drawPolygon(QPolygonF) corrupts None's refcount and
    # crashes the interpreter after a few thousand calls.
    path = QPainterPath(a)
    path.lineTo(b)
    path.lineTo(c)
    path.closeSubpath()
    return path


class ClipItem(QGraphicsItem):
    def __init__(self, clip: Clip, row: int, colour: str, peaks: PeakCache) -> None:
        super().__init__()
        self.peaks = peaks
        self.clip = clip
        self.row = row
        self.colour = QColor(colour)
        self.muted = False
        self._cache: dict[tuple[float, bool, bool], QPixmap] = {}  # a few zoom levels of the whole block
        self._rect = QRectF()
        self._elided: tuple[tuple[int, str], str] = ((-1, ""), "")
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.set_clip(clip, row, colour, muted=False)

    def set_clip(self, clip: Clip, row: int, colour: str, *, muted: bool) -> None:
        """Follow the model: a new clip value, row, colour or mute state."""
        self.prepareGeometryChange()
        if clip is not self.clip or colour != self.colour.name() or muted != self.muted:
            self._cache.clear()
        self.clip, self.row, self.colour, self.muted = clip, row, QColor(colour), muted
        self._rect = QRectF(0, MARGIN, clip.length, ROW_HEIGHT - 2 * MARGIN)
        self.setPos(clip.start, row * ROW_HEIGHT)
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt override
        return self._rect

    def zone_at(self, scene_x: float, scene_y: float, pixels_per_frame: float) -> str:
        """What a press here grabs: a fade handle, an edge (trim), or the body (move)."""
        clip = self.clip
        x = (scene_x - clip.start) * pixels_per_frame  # pixels from the block's left edge
        width = clip.length * pixels_per_frame
        top = scene_y - self.row * ROW_HEIGHT - MARGIN
        if top <= HANDLE + 4 and width > 4 * EDGE_PIXELS:
            if abs(x - clip.fade_in * pixels_per_frame) <= HANDLE:
                return "fade_in"
            if abs(x - (clip.length - clip.fade_out) * pixels_per_frame) <= HANDLE:
                return "fade_out"
        edge = min(EDGE_PIXELS, width / 4)
        if x <= edge:
            return "trim_start"
        if x >= width - edge:
            return "trim_end"
        return "move"

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        transform = painter.transform()
        block = transform.mapRect(self._rect)
        screen = QRectF(widget.rect()) if widget is not None else block
        if not block.intersects(screen):
            return
        frames_per_pixel = 1.0 / transform.m11()
        painter.save()
        painter.resetTransform()
        if block.width() <= CACHE_MAX_PIXELS:
            painter.drawPixmap(QPointF(round(block.left()), round(block.top())), self._pixmap(block, frames_per_pixel))
        else:  # wider than the screen, or nearly: draw only the part that shows
            self._render(painter, block, block.intersected(screen.adjusted(-2, 0, 2, 0)), frames_per_pixel)
        painter.restore()

    def _pixmap(self, block: QRectF, frames_per_pixel: float) -> QPixmap:
        """The whole block at this zoom, drawn once: scrolling and zooming back reuse it."""
        key = (frames_per_pixel, self.isSelected(), self.muted)
        pixmap = self._cache.get(key)
        if pixmap is None:
            local = QRectF(0, 0, max(math.ceil(block.width()), 1), math.ceil(block.height()))
            pixmap = QPixmap(int(local.width()), int(local.height()))
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            self._render(painter, local, local, frames_per_pixel)
            painter.end()
            if len(self._cache) >= CACHED_LEVELS:
                del self._cache[next(iter(self._cache))]
            self._cache[key] = pixmap
        return pixmap

    def _render(self, painter: QPainter, block: QRectF, shown: QRectF, frames_per_pixel: float) -> None:
        fill = QColor(self.colour)
        fill.setAlpha(90 if self.muted else 170)
        painter.fillRect(shown, fill)
        self._paint_wave(painter, block, shown, frames_per_pixel)
        self._paint_fades(painter, block, shown, frames_per_pixel)
        selected = self.isSelected()
        border = QPen(QColor("#ffcc33") if selected else self.colour.darker(150), 2 if selected else 1)
        border.setCosmetic(True)
        painter.setPen(border)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(block.intersected(shown.adjusted(-2, 0, 2, 0)).adjusted(0.5, 0.5, -0.5, -0.5))
        self._paint_name(painter, block, shown)

    def _paint_wave(self, painter: QPainter, block: QRectF, shown: QRectF, frames_per_pixel: float) -> None:
        clip = self.clip
        offset = clip.trim_in / frames_per_pixel  # media column under the block's left edge
        first_col = max(math.floor(shown.left() - block.left() + offset), math.floor(offset))
        last_col = min(math.ceil(shown.right() - block.left() + offset),
                       math.ceil((clip.trim_in + clip.length) / frames_per_pixel))
        if last_col <= first_col:
            return
        lows, highs = self.peaks.columns(clip.audio, frames_per_pixel, first_col, last_col)
        top = block.top() + NAME_HEIGHT
        half = (block.bottom() - top) / 2 - 1
        centre = top + half + 1
        scale = half * db_to_gain(clip.gain_db)
        # One zig-zag polyline (top of column k, bottom of column k, top of k+1...) written straight
        # into a QPolygonF's memory: at one column per pixel it reads as a filled envelope.
        count = last_col - first_col
        polygon, points = polygon_with_points(2 * count)
        xs = np.arange(first_col - offset + block.left() + 0.5, last_col - offset + block.left(), 1.0)[:count]
        points[0::2, 0] = xs
        points[1::2, 0] = xs
        points[0::2, 1] = highs
        points[1::2, 1] = lows
        ys = points[:, 1]
        ys *= -scale
        ys += centre
        if scale > half:
            np.clip(ys, centre - half, centre + half, out=ys)
        pen = QPen(self.colour.darker(220) if not self.muted else QColor("#777777"), 1)
        pen.setCosmetic(True)
        painter.setPen(pen)
        painter.drawPolyline(polygon)

    def _paint_fades(self, painter: QPainter, block: QRectF, shown: QRectF, frames_per_pixel: float) -> None:
        clip = self.clip
        shade = QColor(0, 0, 0, 60)
        fade_in_x = block.left() + clip.fade_in / frames_per_pixel
        fade_out_x = block.right() - clip.fade_out / frames_per_pixel
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(shade))
        if clip.fade_in:
            painter.drawPath(triangle(block.topLeft(), QPointF(fade_in_x, block.top()), block.bottomLeft()))
        if clip.fade_out:
            painter.drawPath(triangle(QPointF(fade_out_x, block.top()), block.topRight(), block.bottomRight()))
        if block.width() > 8 * EDGE_PIXELS:
            painter.setBrush(QColor("#ffffff"))
            painter.setPen(QPen(QColor("#333333"), 1))
            for x in (fade_in_x, fade_out_x):
                if shown.left() - HANDLE <= x <= shown.right() + HANDLE:
                    painter.drawRect(QRectF(x - HANDLE / 2, block.top() + 1, HANDLE, HANDLE))

    def _paint_name(self, painter: QPainter, block: QRectF, shown: QRectF) -> None:
        if shown.width() < 24:
            return
        painter.setPen(QColor("#10141a"))
        left = max(block.left(), shown.left()) + HANDLE + 3  # the name follows a block scrolled half off screen
        area = QRectF(left, block.top() + 1, shown.right() - left - HANDLE - 3, NAME_HEIGHT - 1)
        width = int(area.width())
        if self._elided[0] != (width, self.clip.name):  # eliding is a measurable share of a paint
            text = painter.fontMetrics().elidedText(self.clip.name or "clip", Qt.TextElideMode.ElideRight, width)
            self._elided = ((width, self.clip.name), text)
        painter.drawText(area, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self._elided[1])
