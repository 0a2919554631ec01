"""Resampling with soxr: whole arrays, or block by block for long files."""

from __future__ import annotations

from typing import Literal

import numpy as np
import soxr

Quality = Literal["HQ", "VHQ"]  # HQ: takes, previews, reading files; VHQ: clips placed in a sketch, exports


def resample(samples: np.ndarray, in_rate: int, out_rate: int, *, quality: Quality = "HQ") -> np.ndarray:
    """float32 [channels, frames] from one rate to another (the same array when the rates match)."""
    if int(in_rate) == int(out_rate):
        return np.asarray(samples, dtype=np.float32)
    out = soxr.resample(np.ascontiguousarray(samples.T, dtype=np.float32), in_rate, out_rate, quality=quality)
    return np.ascontiguousarray(np.asarray(out, dtype=np.float32).reshape(-1, samples.shape[0]).T)


class BlockResampler:
    """soxr's streaming resampler for [frames, channels] float32 blocks; a no-op when the rates match."""

    def __init__(self, in_rate: int, out_rate: int, channels: int, *, quality: Quality = "HQ") -> None:
        self.in_rate, self.out_rate = int(in_rate), int(out_rate)
        self._stream = None
        if self.in_rate != self.out_rate:
            self._stream = soxr.ResampleStream(self.in_rate, self.out_rate, channels, dtype="float32",
                                               quality=quality)

    def expected_frames(self, in_frames: int) -> int:
        return int(np.ceil(in_frames * self.out_rate / self.in_rate))

    def process(self, block: np.ndarray, *, last: bool = False) -> np.ndarray:
        if self._stream is None:
            return block
        return self._stream.resample_chunk(np.ascontiguousarray(block), last=last)
