"""Bringing audio in at the sketch's rate: clips always hold audio at the sketch sample rate."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import soundfile as sf

from sketchpad.core.resample import resample
from sketchpad.sketch.media import SOURCE, ClipMedia, Origin


def media_from_audio(
    audio: np.ndarray,
    rate: int,
    sketch_rate: int,
    *,
    origin: Origin = "imported",
    source_file: str | None = None,
) -> ClipMedia:
    """Media for an imported or recorded take, resampled to the sketch rate."""
    audio = np.asarray(audio, dtype=np.float32)
    if audio.ndim == 1:
        audio = audio[None, :]
    return ClipMedia(
        sketch_rate, {SOURCE: resample(audio, rate, sketch_rate, quality="VHQ")}, origin=origin, source_file=source_file
    )


def import_audio_file(path: str | os.PathLike[str], sketch_rate: int) -> ClipMedia:
    """Read a sound file (mono or stereo) into media at the sketch rate; keeps its file name."""
    data, rate = sf.read(path, dtype="float32", always_2d=True)
    if data.shape[1] > 2:
        raise ValueError(f"{Path(path).name} has {data.shape[1]} channels; only mono and stereo import")
    return media_from_audio(data.T, rate, sketch_rate, source_file=Path(path).name)
