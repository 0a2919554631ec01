"""Channel-count conversion, usable block by block on long files (resampling: core/resample.py)."""

from __future__ import annotations

import numpy as np


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
