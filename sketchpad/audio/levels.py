"""Peak and RMS per recorded block, published for a meter that polls from another thread."""

from __future__ import annotations

import collections
from dataclasses import dataclass

import numpy as np

from sketchpad.core.decibels import gain_to_db


@dataclass(frozen=True)
class Level:
    peak: float  # linear, 0..1 for full scale
    rms: float

    @property
    def peak_db(self) -> float:
        return gain_to_db(self.peak)

    @property
    def rms_db(self) -> float:
        return gain_to_db(self.rms)


SILENT = Level(0.0, 0.0)


class LevelFeed:
    """Written by one thread, read by another without locks.

    `latest` is replaced by a new immutable Level (a reference swap is atomic); `drain()` hands over every
    block's level since the last call, so a meter polling slower than blocks arrive still sees each peak.
    """

    def __init__(self, history: int = 256) -> None:
        self.latest: Level = SILENT
        self._pending: collections.deque[Level] = collections.deque(maxlen=history)

    def publish(self, block: np.ndarray) -> Level:
        if block.size == 0:
            return self.latest
        peak = float(np.max(np.abs(block)))
        rms = float(np.sqrt(np.mean(np.square(block, dtype=np.float64))))
        level = Level(peak, rms)
        self.latest = level
        self._pending.append(level)
        return level

    def drain(self) -> list[Level]:
        drained: list[Level] = []
        while True:
            try:
                drained.append(self._pending.popleft())
            except IndexError:
                return drained

    def reset(self) -> None:
        self.latest = SILENT
        self._pending.clear()
