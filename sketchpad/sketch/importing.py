"""Bringing audio in at the sketch's rate: clips always hold audio at the sketch sample rate."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import soundfile as sf
import soxr

from sketchpad.sketch.media import SOURCE, ClipMedia, Origin


def resample(audio: np.ndarray, from_rate: int, to_rate: int) -> np.ndarray:
    """float32 [channels, frames] from one rate to another with soxr's very-high-quality filter."""
    if from_rate == to_rate:
        return audio
    converted = soxr.resample(np.ascontiguousarray(audio.T), from_rate, to_rate, quality="VHQ")
    return np.ascontiguousarray(np.asarray(converted, dtype=np.float32).reshape(-1, audio.shape[0]).T)


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
        sketch_rate, {SOURCE: resample(audio, rate, sketch_rate)}, origin=origin, source_file=source_file
    )


def import_audio_file(path: str | os.PathLike[str], sketch_rate: int) -> ClipMedia:
    """Read a sound file (mono or stereo) into media at the sketch rate; keeps its file name."""
    data, rate = sf.read(path, dtype="float32", always_2d=True)
    if data.shape[1] > 2:
        raise ValueError(f"{Path(path).name} has {data.shape[1]} channels; only mono and stereo import")
    return media_from_audio(data.T, rate, sketch_rate, source_file=Path(path).name)
