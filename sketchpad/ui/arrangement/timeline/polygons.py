"""A QPolygonF whose points numpy can write in place (what pyqtgraph.functions does, without importing
pyqtgraph, whose import costs ~0.5 s before the window can show)."""

from __future__ import annotations

import numpy as np
import shiboken6
from PySide6.QtGui import QPolygonF


def polygon_with_points(count: int) -> tuple[QPolygonF, np.ndarray]:
    """A polygon of `count` points and a float64 [count, 2] view of its memory (x, y)."""
    polygon = QPolygonF()
    polygon.resize(count)
    buffer = shiboken6.VoidPtr(polygon.data(), 2 * count * 8, True)
    return polygon, np.frombuffer(buffer, np.double).reshape((-1, 2))
