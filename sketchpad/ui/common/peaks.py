"""Min/max peak pyramids: a waveform of any length drawn from a few points per pixel.

Level 0 holds the min and max (over every channel) of each BASE frames; each level above halves the
resolution. `columns` gives the min and max of pixel columns at any zoom from the coarsest level that
is still fine enough (or from the samples themselves, zoomed in closer than level 0). The timeline
caches columns per clip (timeline/view.py's PeakCache); the waveform view draws `curve`.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

BASE = 64  # frames per bucket at the finest level
RAW_PER_PIXEL = 4  # up to this many frames per pixel, the samples themselves are drawn
CHUNK = 512  # pixel columns per cached chunk
MAX_CHUNKS = 4096  # ~4096 * 512 * 2 * 4 bytes = 16 MB at most


class Pyramid:
    """Peaks of `audio` ([channels, frames] or [frames]): min and max over the channels."""

    def __init__(self, audio: np.ndarray) -> None:
        self.audio = audio  # held so a cache keyed by its id cannot see the id reused while cached
        data = np.atleast_2d(np.asarray(audio, dtype=np.float32))
        self.frames = data.shape[1]
        # Over the channels with pairwise minimum/maximum, and down the levels by halving strided views:
        # numpy's reductions along a short axis (`.min(axis=0)` of [2, n], `.min(axis=1)` of [n, 64])
        # are several times slower, and building pyramids is what opening a big sketch waits for.
        lows, highs = np.minimum.reduce(data, axis=0), np.maximum.reduce(data, axis=0)
        self.raw = (lows, highs)
        usable = self.frames - self.frames % BASE
        self.levels: list[tuple[np.ndarray, np.ndarray]] = []
        if usable:
            lows, highs = lows[:usable], highs[:usable]
            for _ in range(BASE.bit_length() - 1):  # BASE frames per bucket: log2(BASE) halvings
                lows, highs = np.minimum(lows[0::2], lows[1::2]), np.maximum(highs[0::2], highs[1::2])
            self.levels.append((lows, highs))
            while len(lows) >= 2:
                even = len(lows) - len(lows) % 2
                lows, highs = np.minimum(lows[:even:2], lows[1:even:2]), np.maximum(highs[:even:2], highs[1:even:2])
                self.levels.append((lows, highs))

    def columns(self, frames_per_pixel: float, first: int, last: int) -> tuple[np.ndarray, np.ndarray]:
        """Min and max of pixel columns [first, last), column k covering frames [k*fpp, (k+1)*fpp)."""
        level = int(np.log2(frames_per_pixel / BASE)) if frames_per_pixel >= BASE else -1
        level = min(level, len(self.levels) - 1)
        lows, highs = self.raw if level < 0 else self.levels[level]
        bucket = 1 if level < 0 else BASE << level
        count = len(lows)
        edges = (np.arange(first, last + 1, dtype=np.float64) * (frames_per_pixel / bucket)).astype(np.int64)
        edges = np.minimum(edges, count)
        starts = edges[:-1]
        valid = starts < count
        out_lo = np.zeros(last - first, dtype=np.float32)
        out_hi = np.zeros(last - first, dtype=np.float32)
        if valid.any():
            index = starts[valid]
            # reduceat runs each segment up to the next index and the last one to the array's end,
            # so cut the array at the last column's end; columns narrower than a bucket repeat it
            stop = min(max(int(edges[len(index)]), int(index[-1]) + 1), count)
            out_lo[valid] = np.minimum.reduceat(lows[:stop], index)
            out_hi[valid] = np.maximum.reduceat(highs[:stop], index)
        return out_lo, out_hi


@dataclass(frozen=True)
class Curve:
    x: np.ndarray  # seconds
    y: np.ndarray


def curve(pyramid: Pyramid, sample_rate: int, start_s: float, end_s: float, pixels: int) -> Curve:
    """The points to draw for [start_s, end_s] on a plot `pixels` wide: the samples when zoomed in,
    else each pixel's minimum and maximum (the line sweeps each column's range)."""
    first = max(0, int(start_s * sample_rate) - 1)
    last = min(pyramid.frames, int(np.ceil(end_s * sample_rate)) + 1)
    if last <= first:
        return Curve(np.zeros(0), np.zeros(0, dtype=np.float32))
    per_pixel = (last - first) / max(pixels, 1)
    if per_pixel <= RAW_PER_PIXEL:
        return Curve(np.arange(first, last, dtype=np.float64) / sample_rate, pyramid.raw[1][first:last])
    a, b = int(first // per_pixel), int(np.ceil(last / per_pixel))
    lows, highs = pyramid.columns(per_pixel, a, b)
    y = np.empty(2 * (b - a), dtype=np.float32)
    y[0::2], y[1::2] = lows, highs
    x = (np.repeat(np.arange(a, b, dtype=np.float64), 2) + np.tile([0.25, 0.75], b - a)) * per_pixel
    return Curve(np.minimum(x, pyramid.frames) / sample_rate, y)


class PeakCache:
    """Pyramids per audio array and pixel columns in chunks per (audio, zoom): scrolling reuses what was
    drawn, and only a new zoom level costs a reduction over the visible part."""

    def __init__(self) -> None:
        self._pyramids: dict[int, Pyramid] = {}
        self._chunks: OrderedDict[tuple[int, float, int], tuple[np.ndarray, np.ndarray]] = OrderedDict()

    def pyramid(self, audio: np.ndarray) -> Pyramid:
        key = id(audio)
        found = self._pyramids.get(key)
        if found is None or found.audio is not audio:
            found = self._pyramids[key] = Pyramid(audio)
        return found

    def columns(
        self, audio: np.ndarray, frames_per_pixel: float, first: int, last: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """Envelope of pixel columns [first, last) of `audio` drawn at `frames_per_pixel`."""
        pyramid = self.pyramid(audio)
        parts_lo, parts_hi = [], []
        for chunk in range(first // CHUNK, (last - 1) // CHUNK + 1):
            key = (id(audio), frames_per_pixel, chunk)
            cached = self._chunks.get(key)
            if cached is None:
                cached = pyramid.columns(frames_per_pixel, chunk * CHUNK, (chunk + 1) * CHUNK)
                self._chunks[key] = cached
                if len(self._chunks) > MAX_CHUNKS:
                    self._chunks.popitem(last=False)
            else:
                self._chunks.move_to_end(key)
            lo = max(first - chunk * CHUNK, 0)
            hi = min(last - chunk * CHUNK, CHUNK)
            parts_lo.append(cached[0][lo:hi])
            parts_hi.append(cached[1][lo:hi])
        return np.concatenate(parts_lo), np.concatenate(parts_hi)

    def forget(self, keep: set[int]) -> None:
        """Drop pyramids of audio no longer on the timeline (ids in `keep` stay)."""
        for key in [k for k in self._pyramids if k not in keep]:
            del self._pyramids[key]
        for key in [k for k in self._chunks if k[0] not in keep]:
            del self._chunks[key]
