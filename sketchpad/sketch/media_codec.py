"""Clip audio to FLAC and tokens to .npy, and back, losing (almost) nothing and running no code.

FLAC holds fixed-point samples, so float audio is stored as 24-bit with a power-of-two scale that
keeps peaks above 0 dBFS intact (generated audio often overshoots). The round trip error is at most
half a 24-bit step times that scale: AUDIO_TOLERANCE * scale, about 6e-8 for audio within +-1.
Tokens are plain integer .npy; loading refuses pickled objects.
"""

from __future__ import annotations

import io

import numpy as np
import soundfile as sf

from sketchpad.sketch.pcm import dequantize, quantize

AUDIO_TOLERANCE = 2.0**-24


def storage_scale(audio: np.ndarray) -> float:
    """The smallest power of two that brings every sample safely inside 24-bit full scale."""
    peak = float(np.abs(audio).max(initial=0.0))
    scale = 1.0
    while peak / scale >= 1.0 - 2.0**-23:
        scale *= 2.0
    return scale


def encode_audio(audio: np.ndarray, sample_rate: int) -> tuple[bytes, float]:
    scale = storage_scale(audio)
    samples = quantize(audio / np.float32(scale) if scale != 1.0 else audio, 24)
    buffer = io.BytesIO()
    sf.write(buffer, samples, sample_rate, format="FLAC", subtype="PCM_24")
    return buffer.getvalue(), scale


def decode_audio(data: bytes, *, sample_rate: int, channels: int, frames: int, scale: float) -> np.ndarray:
    """float32 [channels, frames]; raises ValueError naming what does not match."""
    try:
        with sf.SoundFile(io.BytesIO(data)) as handle:
            if handle.format != "FLAC":
                raise ValueError(f"is {handle.format}, not FLAC")
            if handle.samplerate != sample_rate or handle.channels != channels or handle.frames != frames:
                raise ValueError(
                    f"holds {handle.channels} channels x {handle.frames} frames at {handle.samplerate} Hz, "
                    f"the document says {channels} x {frames} at {sample_rate} Hz"
                )
            samples = handle.read(dtype="int32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError, EOFError) as error:
        raise ValueError(f"does not decode as FLAC ({error})") from None
    if samples.shape[0] != frames:
        raise ValueError(f"decodes to {samples.shape[0]} frames, expected {frames}")
    audio = dequantize(samples, 24)
    if scale != 1.0:
        audio *= np.float32(scale)
    return audio


def encode_tokens(tokens: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, np.ascontiguousarray(tokens), allow_pickle=False)
    return buffer.getvalue()


def decode_tokens(data: bytes) -> np.ndarray:
    """An integer [codebooks, frames] array; raises ValueError for anything else, pickles included."""
    try:
        tokens = np.load(io.BytesIO(data), allow_pickle=False)
    except (ValueError, OSError, EOFError) as error:
        raise ValueError(f"is not a plain .npy array ({error})") from None
    if not isinstance(tokens, np.ndarray) or tokens.ndim != 2 or tokens.dtype.kind not in "iu":
        raise ValueError(f"is not an integer [codebooks, frames] array ({tokens.dtype} {tokens.shape})")
    return tokens
