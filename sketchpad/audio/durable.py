"""Writing audio files so a crash or power cut leaves either the old file or the new one, never a torn one."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import soundfile as sf

from sketchpad.durable import write_atomically

# soundfile picks the container from the suffix; the temporary name has none, so name it here.
_FORMATS = {".wav": "WAV", ".flac": "FLAC", ".ogg": "OGG", ".mp3": "MP3", ".aiff": "AIFF", ".aif": "AIFF",
            ".w64": "W64", ".rf64": "RF64", ".caf": "CAF"}


def write_audio(path: str | os.PathLike[str], samples: np.ndarray, sample_rate: int, *,
                subtype: str | None = None) -> Path:
    """Write float `samples` ([channels, frames] or 1-D mono) atomically and durably; returns the path.

    The format follows the suffix (.wav, .flac, .ogg, ...); `subtype` is soundfile's (PCM_16, PCM_24,
    FLOAT, VORBIS, ...), defaulting to the format's own default.
    """
    path = Path(path)
    container = _FORMATS.get(path.suffix.lower())
    if container is None:
        raise ValueError(f"{path.name}: cannot tell the audio format from the suffix {path.suffix!r}")
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
