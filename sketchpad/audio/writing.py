"""Writing audio files so a crash or power cut leaves either the old file or the new one, never a torn one."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import soundfile as sf

from sketchpad.core.durable import write_atomically
from sketchpad.core.formats import container_for


def write_audio(path: str | os.PathLike[str], samples: np.ndarray, sample_rate: int, *,
                subtype: str | None = None) -> Path:
    """Write float `samples` ([channels, frames] or 1-D mono) atomically and durably; returns the path.

    The format follows the suffix (.wav, .flac, .ogg, ...); `subtype` is soundfile's (PCM_16, PCM_24,
    FLOAT, VORBIS, ...), defaulting to the format's own default.
    """
    path = Path(path)
    container = container_for(path)  # soundfile would guess from the suffix; the temporary name has none
    data = np.asarray(samples, dtype=np.float32)
    if data.ndim == 1:
        data = data[np.newaxis, :]
    if data.ndim != 2 or data.shape[0] == 0:
        raise ValueError(f"{path.name}: samples must be [channels, frames], got shape {data.shape}")
    if not np.isfinite(data).all():
        raise ValueError(f"{path.name}: refusing to write NaN or infinite samples")
    # soundfile wants [frames, channels]; the transposed view is written without a copy of our own.
    return write_atomically(
        path, lambda handle: sf.write(handle, data.T, int(sample_rate), subtype=subtype, format=container))
