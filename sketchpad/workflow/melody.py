"""The melody a model is conditioned on, prepared the same way for the window and the command line."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from sketchpad.audio.files import DecodedAudio, read_audio
from sketchpad.audio.melody import prepare_melody
from sketchpad.engine.errors import InvalidRequestError
from sketchpad.engine.request import AudioInput

MAX_MELODY_FILE_S = 600.0  # longer files are refused: a melody is a hummed phrase, not an album


def read_melody(path: str | Path) -> DecodedAudio:
    """A melody file as the person gave it (every channel, its own rate); AudioFileError if unusable."""
    return read_audio(path, max_seconds=MAX_MELODY_FILE_S)


def melody_for_model(samples: np.ndarray, sample_rate: int, *, model_rate: int, window_seconds: float,
                     duration: float) -> AudioInput:
    """Trim silence, normalise, cap to what the model uses (its window, the duration) and resample."""
    try:
        prepared = prepare_melody(samples, sample_rate, target_rate=model_rate,
                                  max_seconds=min(duration, window_seconds))
    except ValueError as error:  # a silent or empty take, invalid samples
        raise InvalidRequestError(f"The melody cannot be used: {error}.") from error
    return AudioInput(prepared.samples, prepared.sample_rate)
