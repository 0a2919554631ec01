"""Audio brought into a sketch at its rate: clips always hold audio at the sketch sample rate
(reading files is the audio layer's: workflow/importing.py puts the two together)."""

from __future__ import annotations

import numpy as np

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
