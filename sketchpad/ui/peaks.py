"""Min/max peak pyramids, so a waveform of any length draws from at most a few thousand points.

Level 0 holds the min and max of every BASE samples; each level above halves the resolution. Drawing
takes only the visible slice at one or two buckets per pixel (two points each): the coarsest level
that is fine enough, or, zoomed in closer than level 0, buckets of the samples themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

BASE = 64  # samples per bucket of the finest level
RAW_PER_PIXEL = 4  # up to this many samples per pixel the samples themselves are drawn


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
        if per_pixel <= RAW_PER_PIXEL:
            x = np.arange(first, last, dtype=np.float64) / self.sample_rate
            return Curve(x, self.samples[first:last])
        if per_pixel < BASE or not self.levels:
            return self._buckets(first, last, int(np.ceil(per_pixel)))
        level = min(int(np.log2(per_pixel / BASE)), len(self.levels) - 1)
        bucket = BASE << level
        lows, highs = self.levels[level]
        a, b = first // bucket, min(len(lows), last // bucket + 1)
        return self._interleave(lows[a:b], highs[a:b], a, bucket)

    def _buckets(self, first: int, last: int, bucket: int) -> Curve:
        """Min/max of the raw samples in buckets of `bucket`, for zooms finer than the pyramid's."""
        a, b = first // bucket, -(-last // bucket)
        starts = np.arange(a, b) * bucket
        chunk = self.samples[a * bucket:min(len(self.samples), b * bucket)]
        offsets = starts - a * bucket
        offsets = offsets[offsets < len(chunk)]
        lows, highs = np.minimum.reduceat(chunk, offsets), np.maximum.reduceat(chunk, offsets)
        return self._interleave(lows, highs, a, bucket)

    def _interleave(self, lows: np.ndarray, highs: np.ndarray, a: int, bucket: int) -> Curve:
        b = a + len(lows)
        y = np.empty(2 * (b - a), dtype=np.float32)
        y[0::2], y[1::2] = lows, highs  # interleaved: the line sweeps each bucket's range
        x = (np.repeat(np.arange(a, b, dtype=np.float64), 2) + np.tile([0.25, 0.75], b - a)) * bucket
        return Curve(x / self.sample_rate, y)
