"""A clip's block drawn into an image: fill, waveform envelope, fades, border, fade handles and name.

The fill, the envelope, the border and the handles are written with numpy straight into the image's
memory; only the fade shading and the name go through a QPainter. A QPainter polyline of the same
envelope (one zig-zag point pair per pixel column) cost about six times as much, and drawing blocks
is what a zoom step waits for (block_cache.py keeps the images and limits how many one paint draws).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QImage, QPainter, QPainterPath

from sketchpad.core.decibels import db_to_gain
from sketchpad.sketch import Clip
from sketchpad.ui.arrangement.timeline.geometry import EDGE_PIXELS
from sketchpad.ui.common.peaks import PeakCache

NAME_HEIGHT = 14
HANDLE = 7  # fade handle square, pixels
FORMAT = QImage.Format.Format_ARGB32_Premultiplied
FADE_SHADE = QColor(0, 0, 0, 60)
NAME_COLOUR = QColor("#10141a")


def premultiplied(colour: QColor) -> int:
    """0xAARRGGBB with the colour channels scaled by alpha, as the image format stores a pixel."""
    alpha = colour.alpha()
    r, g, b = (round(channel * alpha / 255) for channel in (colour.red(), colour.green(), colour.blue()))
    return (alpha << 24) | (r << 16) | (g << 8) | b


@dataclass(frozen=True)
class BlockLook:
    """The pixel values of a block's parts for one colour and state (not the clip, not the zoom)."""

    fill: int
    wave: int
    border: int
    border_width: int


@functools.lru_cache(maxsize=64)
def block_look(colour: str, muted: bool, selected: bool) -> BlockLook:
    """Computed once per palette colour and state: QColor arithmetic is a measurable share of a draw."""
    base = QColor(colour)
    fill = QColor(base)
    fill.setAlpha(90 if muted else 170)
    wave = QColor("#777777") if muted else base.darker(220)
    border = QColor("#ffcc33") if selected else base.darker(150)
    return BlockLook(premultiplied(fill), premultiplied(wave), premultiplied(border), 2 if selected else 1)


SECTION_MARK = np.uint32(0xFF5A3E8C)  # opaque purple, as the take's waveform marks its sections


def triangle(a: QPointF, b: QPointF, c: QPointF) -> QPainterPath:
    # A path, not drawPolygon: PySide6 6.12's drawPolygon(QPolygonF) corrupts None's refcount and
    # crashes the interpreter after a few thousand calls.
    path = QPainterPath(a)
    path.lineTo(b)
    path.lineTo(c)
    path.closeSubpath()
    return path


def pixels_of(image: QImage) -> np.ndarray:
    """The image's pixels as a writable [height, width] uint32 array over its own memory."""
    rows = np.frombuffer(image.bits(), np.uint32).reshape(image.height(), image.bytesPerLine() // 4)
    return rows[:, : image.width()]


def envelope_rows(lows: np.ndarray, highs: np.ndarray, centre: float, half: float, scale: float
                  ) -> tuple[np.ndarray, np.ndarray]:
    """First and last pixel row of each column's envelope. Each column also reaches halfway to its
    neighbours' ends, so a quiet or thin waveform still reads as one connected line."""
    top = centre - highs * scale
    bottom = centre - lows * scale
    if len(top) > 1:
        left = (top[1:] + bottom[:-1]) / 2  # where the line from column k's bottom to k+1's top crosses
        top[1:], bottom[1:] = np.minimum(top[1:], left), np.maximum(bottom[1:], left)
        top[:-1], bottom[:-1] = np.minimum(top[:-1], left), np.maximum(bottom[:-1], left)
    np.clip(top, centre - half, centre + half, out=top)
    np.clip(bottom, centre - half, centre + half, out=bottom)
    return np.floor(top), np.floor(bottom)


def draw_block(clip: Clip, look: BlockLook, peaks: PeakCache, frames_per_pixel: float, block_width: float,
               height: int, x0: int, x1: int, name: str) -> QImage:
    """Columns [x0, x1) of the block (`block_width` pixels wide, column 0 at the clip's start) at
    `frames_per_pixel`, as an image `x1 - x0` wide; `name` (already elided) is written at its left."""
    width = max(x1 - x0, 1)
    image = QImage(width, height, FORMAT)
    pixels = pixels_of(image)
    pixels[:] = look.fill
    _draw_wave(pixels, clip, look, peaks, frames_per_pixel, x0)
    _draw_section_marks(pixels, clip, frames_per_pixel, x0)
    painter = QPainter(image)
    _draw_fades(painter, clip, frames_per_pixel, block_width, height, x0)
    if name:
        painter.setPen(NAME_COLOUR)
        painter.drawText(QRectF(HANDLE + 3, 1, width - 2 * HANDLE - 6, NAME_HEIGHT - 1),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, name)
    painter.end()
    _draw_border(pixels, look, math.ceil(block_width), x0)
    if block_width > 8 * EDGE_PIXELS:
        for x in (clip.fade_in / frames_per_pixel, block_width - clip.fade_out / frames_per_pixel):
            _draw_handle(pixels, round(x - HANDLE / 2) - x0)
    return image


def section_frames(clip: Clip) -> list[int]:
    """Frames of the clip (0 = its first audible frame) where its take's prompt changes: engine/sections.py."""
    rate = clip.media.sample_rate
    marks, previous = [], None
    for start, text in clip.media.params.get("section_starts", ()):
        at = round(float(start) * rate) - clip.trim_in
        if previous is not None and text != previous and 0 < at < clip.length:
            marks.append(at)
        previous = text
    return marks


def _draw_section_marks(pixels: np.ndarray, clip: Clip, frames_per_pixel: float, x0: int) -> None:
    """A dotted line where the prompt changes, so a placed take still shows its form."""
    for frame in section_frames(clip):
        x = round(frame / frames_per_pixel) - x0
        if 0 <= x < pixels.shape[1]:
            pixels[NAME_HEIGHT::3, x] = SECTION_MARK


def _draw_wave(pixels: np.ndarray, clip: Clip, look: BlockLook, peaks: PeakCache, frames_per_pixel: float,
               x0: int) -> None:
    height, width = pixels.shape
    first = math.floor(clip.trim_in / frames_per_pixel) + x0  # the media column under image column 0
    end = min(first + width, math.ceil((clip.trim_in + clip.length) / frames_per_pixel))
    if end <= first:
        return
    lows, highs = peaks.columns(clip.audio, frames_per_pixel, first, end)
    half = (height - NAME_HEIGHT) / 2 - 1
    centre = NAME_HEIGHT + half + 1
    top, bottom = envelope_rows(lows, highs, centre, half, half * db_to_gain(clip.gain_db))
    rows = np.arange(NAME_HEIGHT, height, dtype=np.float32)[:, None]
    band = pixels[NAME_HEIGHT:, : end - first]
    band[(rows >= top) & (rows <= bottom)] = look.wave


def _draw_fades(painter: QPainter, clip: Clip, frames_per_pixel: float, block_width: float, height: int,
                x0: int) -> None:
    if not (clip.fade_in or clip.fade_out):
        return
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QBrush(FADE_SHADE))
    left, right, bottom = -x0, block_width - x0, float(height)
    if clip.fade_in:
        x = left + clip.fade_in / frames_per_pixel
        painter.drawPath(triangle(QPointF(left, 0), QPointF(x, 0), QPointF(left, bottom)))
    if clip.fade_out:
        x = right - clip.fade_out / frames_per_pixel
        painter.drawPath(triangle(QPointF(x, 0), QPointF(right, 0), QPointF(right, bottom)))


def _draw_border(pixels: np.ndarray, look: BlockLook, block_width: int, x0: int) -> None:
    value, thickness = look.border, look.border_width
    pixels[:thickness] = value
    pixels[-thickness:] = value
    width = pixels.shape[1]
    if x0 < thickness:  # the block's left edge is in this image
        pixels[:, : thickness - x0] = value
    right = block_width - x0  # one past the block's last column, in image columns
    if right - thickness < width:
        pixels[:, max(right - thickness, 0) : right] = value


def _draw_handle(pixels: np.ndarray, x: int) -> None:
    width = pixels.shape[1]
    if x + HANDLE <= 0 or x >= width:
        return
    square = pixels[1 : 1 + HANDLE, max(x, 0) : min(x + HANDLE, width)]
    square[:] = 0xFF333333
    inner = pixels[2 : HANDLE, max(x + 1, 0) : min(x + HANDLE - 1, width)]
    inner[:] = 0xFFFFFFFF
