"""The star that marks a take: drawn, not a "★" character, which some desktop fonts draw as a box."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap, QPolygonF

SIZE = 16
GOLD = QColor(230, 170, 20)


def star_icon(filled: bool) -> QIcon:
    """A gold five-pointed star; unfilled, an empty pixmap of the same size, so the names stay aligned."""
    pixmap = QPixmap(SIZE, SIZE)
    pixmap.fill(Qt.GlobalColor.transparent)
    if filled:
        centre, outer, inner = SIZE / 2, SIZE / 2 - 0.5, SIZE / 5
        radii = [outer if k % 2 == 0 else inner for k in range(10)]  # the points, then the notches
        points = [QPointF(centre + r * math.sin(k * math.pi / 5), centre + 0.6 - r * math.cos(k * math.pi / 5))
                  for k, r in enumerate(radii)]
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(GOLD.darker(130), 1))
        painter.setBrush(GOLD)
        painter.drawPolygon(QPolygonF(points))
        painter.end()
    return QIcon(pixmap)
