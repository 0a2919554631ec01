"""Waveform envelopes for clip blocks: a min/max pyramid per media audio, then per-pixel columns per zoom.

Both are cached: the pyramid per audio array (built once, a few ms for a minute of audio), and the
per-pixel columns in chunks per (audio, zoom), so scrolling reuses what was drawn and only a new zoom
level costs a reduction over the visible part.
"""

from __future__ import annotations

from collections import OrderedDict

import numpy as np

BASE = 64  # frames per bucket at the finest pyramid level
CHUNK = 512  # pixel columns per cached chunk
MAX_CHUNKS = 4096  # ~4096 * 512 * 2 * 4 bytes = 16 MB at most


class Pyramid:
    """Min and max over both channels, at BASE frames per bucket and every power of two above."""

    def __init__(self, audio: np.ndarray) -> None:
        self.audio = audio  # held so the cache key (its id) cannot be reused while cached
        self.frames = audio.shape[1]
        lows, highs = audio.min(axis=0), audio.max(axis=0)
        self.raw = (lows, highs)
        usable = self.frames - self.frames % BASE
        self.levels: list[tuple[np.ndarray, np.ndarray]] = []
        if usable:
            lows, highs = lows[:usable].reshape(-1, BASE).min(axis=1), highs[:usable].reshape(-1, BASE).max(axis=1)
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


class PeakCache:
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
