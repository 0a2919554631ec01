"""Channel-count conversion and resampling, both usable block by block on long files."""

from __future__ import annotations

import numpy as np
import soxr


def to_channels(block: np.ndarray, channels: int) -> np.ndarray:
    """Convert a [frames, n] block to [frames, channels] (float32).

    Mono is the mean of every channel. Stereo from many channels keeps the first pair: WAV and FLAC put
    front left and right first, and averaging unknown surround layouts would fold the LFE or rear into
    the wrong side.
    """
    have = block.shape[1]
    if have == channels:
        return block
    if channels == 1:
        return block.mean(axis=1, keepdims=True, dtype=np.float32)
    if channels == 2:
        if have == 1:
            return np.repeat(block, 2, axis=1)
        return block[:, :2]
    raise ValueError(f"can convert to mono or stereo only, not to {channels} channels")


class BlockResampler:
    """soxr's streaming resampler for [frames, channels] float32 blocks; a no-op when the rates match."""

    def __init__(self, in_rate: int, out_rate: int, channels: int) -> None:
        self.in_rate, self.out_rate = int(in_rate), int(out_rate)
        self._stream = None
        if self.in_rate != self.out_rate:
            self._stream = soxr.ResampleStream(self.in_rate, self.out_rate, channels, dtype="float32",
                                               quality="HQ")

    def expected_frames(self, in_frames: int) -> int:
        return int(np.ceil(in_frames * self.out_rate / self.in_rate))

    def process(self, block: np.ndarray, *, last: bool = False) -> np.ndarray:
        if self._stream is None:
            return block
        return self._stream.resample_chunk(np.ascontiguousarray(block), last=last)


def resample(samples: np.ndarray, in_rate: int, out_rate: int) -> np.ndarray:
    """Resample a whole [channels, frames] float32 array (short material: takes, previews)."""
    if int(in_rate) == int(out_rate):
        return np.asarray(samples, dtype=np.float32)
    out = soxr.resample(np.ascontiguousarray(samples.T, dtype=np.float32), in_rate, out_rate, quality="HQ")
    return np.ascontiguousarray(out.reshape(out.shape[0], -1).T)
