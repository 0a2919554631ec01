"""One clip on the timeline: a block with its waveform, name, fades, and grab zones.

The view scales x (pixels per frame), so the item lives in frames and paints in device pixels:
it maps its rectangle through the painter's transform, resets it, and copies an image of the block
(block_image.py) drawn once per zoom level and kept by the view (block_cache.py). Text and line widths
therefore never stretch with the zoom, and a scroll step draws no block it has drawn before.
"""

from __future__ import annotations

import itertools
import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetrics, QImage, QPainter, QTransform
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from sketchpad.sketch import Clip
from sketchpad.ui.arrangement.timeline.block_cache import BlockImages
from sketchpad.ui.arrangement.timeline.block_image import HANDLE, BlockLook, block_look, draw_block
from sketchpad.ui.arrangement.timeline.geometry import EDGE_PIXELS, ROW_HEIGHT
from sketchpad.ui.common.peaks import PeakCache

PALETTE = ("#4f81bd", "#9bbb59", "#c0504d", "#8064a2", "#4bacc6", "#f79646", "#2c8c7a", "#b5699b")
MARGIN = 2  # gap between a block and its row's edges
CACHE_MAX_PIXELS = 2048  # blocks up to this wide are drawn whole, once per zoom level; wider, the part shown
NAME_MIN_PIXELS = 24  # narrower blocks show no name
_versions = itertools.count()  # a new number whenever an item's pixels change for any zoom


class ClipItem(QGraphicsItem):
    def __init__(self, clip: Clip, row: int, colour: str, peaks: PeakCache, images: BlockImages) -> None:
        super().__init__()
        self.peaks, self.images = peaks, images
        self.clip = clip
        self.row = row
        self.colour = QColor(colour)
        self.muted = False
        self._version = next(_versions)
        self._latest: QImage | None = None  # the stand-in while this zoom's image waits
        self._rect = QRectF()
        self._elided: tuple[tuple[int, str], str] = ((-1, ""), "")
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.set_clip(clip, row, colour, muted=False)

    def set_clip(self, clip: Clip, row: int, colour: str, *, muted: bool) -> None:
        """Follow the model: a new clip value, row, colour or mute state."""
        self.prepareGeometryChange()
        if clip is not self.clip or colour != self.colour.name() or muted != self.muted:
            self._version = next(_versions)  # images of the old look age out of the cache unused
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
        left, top = round(block.left()), round(block.top())
        painter.setTransform(QTransform())  # cheaper than save/restore: the transform is all that changes
        if block.width() > CACHE_MAX_PIXELS:  # wider than the screen, or nearly: draw only the part shown
            shown = block.intersected(screen.adjusted(-2, 0, 2, 0))
            x0 = max(math.floor(shown.left() - block.left()), 0)
            x1 = min(math.ceil(shown.right() - block.left()), math.ceil(block.width()))
            image = draw_block(self.clip, self._look(), self.peaks, frames_per_pixel, block.width(),
                               round(block.height()), x0, x1, self._name(painter, x1 - x0))
            painter.drawImage(QPointF(left + x0, top), image)
        else:
            self._paint_whole(painter, block, QRectF(left, top, math.ceil(block.width()), round(block.height())),
                              frames_per_pixel)
        painter.setTransform(transform)

    def _paint_whole(self, painter: QPainter, block: QRectF, target: QRectF, frames_per_pixel: float) -> None:
        """The whole block's image at this zoom, drawn once and kept: scrolling and zooming back reuse it."""
        width = int(target.width())

        def draw() -> QImage:
            return draw_block(self.clip, self._look(), self.peaks, frames_per_pixel, block.width(),
                              int(target.height()), 0, width, self._name(painter, width))

        image = self.images.get(self._key(frames_per_pixel), draw, target)
        if image is not None:
            self._latest = image
            painter.drawImage(target.topLeft(), image)
        elif self._latest is not None:  # this paint's drawing budget is spent: the previous zoom, stretched
            painter.drawImage(target, self._latest)
        else:
            fill = QColor(self.colour)
            fill.setAlpha(170)
            painter.fillRect(target, fill)

    def _key(self, frames_per_pixel: float) -> tuple[int, float, bool]:
        return self._version, frames_per_pixel, self.isSelected()

    def is_drawn(self, pixels_per_frame: float) -> bool:
        """Whether the block's image at this zoom is kept (so a paint only copies it)."""
        return self._key(1.0 / pixels_per_frame) in self.images

    def _look(self) -> BlockLook:
        return block_look(self.colour.name(), self.muted, self.isSelected())

    def _name(self, painter: QPainter, width: int) -> str:
        """The clip's name cut to fit `width` pixels of block (eliding is a measurable share of a draw)."""
        if width < NAME_MIN_PIXELS:
            return ""
        room = width - 2 * HANDLE - 6
        if self._elided[0] != (room, self.clip.name):
            metrics = QFontMetrics(painter.font())
            text = metrics.elidedText(self.clip.name or "clip", Qt.TextElideMode.ElideRight, room)
            self._elided = ((room, self.clip.name), text)
        return self._elided[1]
