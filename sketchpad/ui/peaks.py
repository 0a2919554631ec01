"""Min/max peak pyramids, so a waveform of any length draws from at most a few thousand points.

Level 0 holds the min and max of every BASE samples; each level above halves the resolution. Drawing
picks the coarsest level that still gives about two buckets per pixel, and only the visible slice.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

BASE = 64  # below this many samples per bucket, the raw samples are drawn


@dataclass(frozen=True)
class Curve:
    x: np.ndarray  # seconds
    y: np.ndarray


class PeakPyramid:
    """Peaks of one channel at rate `sample_rate`."""

    def __init__(self, samples: np.ndarray, sample_rate: int) -> None:
        self.samples = np.asarray(samples, dtype=np.float32)
        self.sample_rate = int(sample_rate)
        self.levels: list[tuple[np.ndarray, np.ndarray]] = []
        usable = len(self.samples) - len(self.samples) % BASE
        if usable >= BASE:
            blocks = self.samples[:usable].reshape(-1, BASE)
            lows, highs = blocks.min(axis=1), blocks.max(axis=1)
            self.levels.append((lows, highs))
            while len(lows) >= 4:
                even = len(lows) - len(lows) % 2
                lows = np.minimum(lows[:even:2], lows[1:even:2])
                highs = np.maximum(highs[:even:2], highs[1:even:2])
                self.levels.append((lows, highs))

    @property
    def seconds(self) -> float:
        return len(self.samples) / self.sample_rate

    def curve(self, start_s: float, end_s: float, pixels: int) -> Curve:
        """The points to draw for [start_s, end_s] on a plot `pixels` wide."""
        total = len(self.samples)
        first = max(0, int(start_s * self.sample_rate) - 1)
        last = min(total, int(np.ceil(end_s * self.sample_rate)) + 1)
        if last <= first:
            return Curve(np.zeros(0), np.zeros(0, dtype=np.float32))
        per_pixel = (last - first) / max(pixels, 1)
        if per_pixel <= BASE * 2 or not self.levels:
            x = np.arange(first, last, dtype=np.float64) / self.sample_rate
            return Curve(x, self.samples[first:last])
        level = min(int(np.log2(per_pixel / (BASE * 2))), len(self.levels) - 1)
        bucket = BASE << level
        lows, highs = self.levels[level]
        a, b = first // bucket, min(len(lows), last // bucket + 1)
        y = np.empty(2 * (b - a), dtype=np.float32)
        y[0::2], y[1::2] = lows[a:b], highs[a:b]  # interleaved: the line sweeps each bucket's range
        x = (np.repeat(np.arange(a, b, dtype=np.float64), 2) + np.tile([0.25, 0.75], b - a)) * bucket
        return Curve(x / self.sample_rate, y)
