"""Images of clip blocks, kept for reuse and drawn within a time budget per paint of the clip area.

A block's image depends on the clip, its look and the zoom, never on the scroll position: scrolling,
and zooming back to a level seen before, only copy pixels. A zoom step to a new level must draw every
block in view; past the budget, the rest show their latest image stretched to the new width (or a plain
block) for one frame, and the view paints again at once to draw them, so no step holds the window for
long however many clips come into view.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable

from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage

CACHE_BYTES = 64 * 1024 * 1024  # block images kept, all clips together (a 1600 x 1000 view is ~6 MB)
DRAW_BUDGET_S = 0.012  # drawing new block images, per paint of the clip area


class BlockImages:
    """Least recently used images dropped first past `limit` bytes; new ones drawn only while a paint
    pass (between `begin_paint` and `end_paint`) has budget left, and always outside one."""

    def __init__(self, limit: int = CACHE_BYTES, budget_s: float = DRAW_BUDGET_S) -> None:
        self.limit, self.budget_s = limit, budget_s
        self.bytes = 0
        self.deferred: list[QRectF] = []  # where blocks of the latest pass showed a stand-in (viewport pixels)
        self._deadline = math.inf
        self._drawn = 0  # in this pass: at least one is always drawn, so every paint makes progress
        self._images: OrderedDict[Hashable, QImage] = OrderedDict()

    def begin_paint(self) -> None:
        self._deadline = time.perf_counter() + self.budget_s
        self.deferred = []
        self._drawn = 0

    def end_paint(self) -> None:
        self._deadline = math.inf

    def get(self, key: Hashable, draw: Callable[[], QImage], where: QRectF) -> QImage | None:
        """The image for `key`, drawn now if it is not kept; None if this pass's budget is spent (then
        `where` it goes is remembered, for the next paint)."""
        image = self._images.get(key)
        if image is not None:
            self._images.move_to_end(key)
            return image
        if self._drawn and time.perf_counter() > self._deadline:
            self.deferred.append(where)
            return None
        image = draw()
        self._drawn += 1
        self._images[key] = image
        self.bytes += image.sizeInBytes()
        while self.bytes > self.limit and len(self._images) > 1:
            _, dropped = self._images.popitem(last=False)
            self.bytes -= dropped.sizeInBytes()
        return image

    def __len__(self) -> int:
        return len(self._images)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._images
