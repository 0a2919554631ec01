"""Clip audio to FLAC and tokens to .npy, and back, losing (almost) nothing and running no code.

FLAC holds fixed-point samples, so float audio is stored as 24-bit with a power-of-two scale that
keeps peaks above 0 dBFS intact (generated audio often overshoots). The round trip error is at most
half a 24-bit step times that scale: AUDIO_TOLERANCE * scale, about 6e-8 for audio within +-1.
Tokens are plain integer .npy; loading refuses pickled objects.
"""

from __future__ import annotations

import io

import numpy as np
import numpy.lib.format as npy
import soundfile as sf

from sketchpad.sketch.media import token_problem
from sketchpad.sketch.pcm import dequantize, quantize

AUDIO_TOLERANCE = 2.0**-24
_READ_FRAMES = 1 << 16
FLAC_MAGIC = b"fLaC"


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
    """float32 [channels, frames]; raises ValueError naming what does not match.

    Read in blocks into the one array the clip keeps, so decoding needs little more memory than the
    audio itself, whatever the member claims."""
    if bytes(data[:4]) != FLAC_MAGIC:  # before libsndfile guesses at other formats (and its MP3 reader prints)
        raise ValueError("does not decode as FLAC: it does not start as FLAC does")
    try:
        with sf.SoundFile(io.BytesIO(data)) as handle:
            if handle.format != "FLAC":
                raise ValueError(f"is {handle.format}, not FLAC")
            if handle.samplerate != sample_rate or handle.channels != channels or handle.frames != frames:
                raise ValueError(
                    f"holds {handle.channels} channels x {handle.frames} frames at {handle.samplerate} Hz, "
                    f"the document says {channels} x {frames} at {sample_rate} Hz"
                )
            audio = np.empty((channels, frames), np.float32)
            done = 0
            while done < frames:
                block = handle.read(min(_READ_FRAMES, frames - done), dtype="int32", always_2d=True)
                if not len(block):
                    break
                audio[:, done : done + len(block)] = dequantize(block, 24)
                done += len(block)
    except ValueError:
        raise
    except Exception:  # noqa: BLE001 - whatever libsndfile makes of damaged bytes, it is damage
        raise ValueError("does not decode as FLAC: its bytes are damaged") from None
    if done != frames:
        raise ValueError(f"decodes to {done} frames, expected {frames}")
    if scale != 1.0:
        audio *= np.float32(scale)
    return audio


def encode_tokens(tokens: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, np.ascontiguousarray(tokens), allow_pickle=False)
    return buffer.getvalue()


def decode_tokens(data: bytes) -> np.ndarray:
    """An integer [codebooks, frames] array; raises ValueError for anything else, pickles included.

    The header is checked against the member's size before numpy allocates what the header claims."""
    stream = io.BytesIO(data)
    try:
        version = npy.read_magic(stream)
        if version not in ((1, 0), (2, 0)):
            raise ValueError(f"is .npy version {version[0]}.{version[1]}, which Sketchpad does not write")
        read_header = npy.read_array_header_1_0 if version == (1, 0) else npy.read_array_header_2_0
        shape, _fortran, dtype = read_header(stream)
    except Exception:  # noqa: BLE001 - numpy's own message quotes the damaged bytes
        raise ValueError("is not a plain .npy array (its header is damaged)") from None
    if dtype.hasobject:
        raise ValueError("is not a plain .npy array: it holds pickled Python objects, which are never loaded")
    if len(shape) != 2 or dtype.kind not in "iu":
        raise ValueError(f"is not an integer [codebooks, frames] array ({dtype} {shape})")
    if shape[0] * shape[1] * dtype.itemsize != len(data) - stream.tell():
        raise ValueError(f"is cut short or padded: its header says {shape[0]} x {shape[1]} {dtype}")
    problem = token_problem(dtype, shape)
    if problem is not None:
        raise ValueError(f"holds {problem}")
    try:
        tokens = np.load(io.BytesIO(data), allow_pickle=False)
    except Exception:  # noqa: BLE001 - whatever numpy makes of damaged bytes, it is damage
        raise ValueError("is not a plain .npy array (it does not load)") from None
    if not isinstance(tokens, np.ndarray) or tokens.ndim != 2 or tokens.dtype.kind not in "iu":
        raise ValueError(f"is not an integer [codebooks, frames] array ({tokens.dtype} {tokens.shape})")
    return tokens
