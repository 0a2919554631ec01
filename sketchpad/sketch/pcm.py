"""Float audio to fixed-point samples and back, with the scaling libsndfile uses when reading.

Quantising here, rather than letting libsndfile convert floats, makes the error bound ours to
state: plain rounding is within half a step, and 16-bit output gets TPDF dither first so quiet
fades turn into noise instead of distortion. Reading back divides by 2**(bits-1), as
soundfile does for float reads.
"""

from __future__ import annotations

import numpy as np

FULL_SCALE = {16: 2.0**15, 24: 2.0**23}


def quantize(audio: np.ndarray, bits: int, *, rng: np.random.Generator | None = None) -> np.ndarray:
    """float [channels, frames] to integers [frames, channels] for soundfile.

    16 bits: int16. 24 bits: int32 holding the sample in its top 24 bits (what libsndfile expects
    for a PCM_24 file written from int32). With `rng`, triangular (TPDF) dither of +-1 step peak
    is added before rounding. Values beyond full scale are clipped.
    """
    scale = FULL_SCALE[bits]
    # Frame blocks keep the float64 temporaries small for long mixes.
    result = np.empty(audio.shape[::-1], dtype=np.int16 if bits == 16 else np.int32)
    step = 1 << 18
    for first in range(0, audio.shape[1], step):
        chunk = audio[:, first : first + step].T.astype(np.float64) * scale
        if rng is not None:
            chunk += rng.random(chunk.shape) - rng.random(chunk.shape)
        np.rint(chunk, out=chunk)
        np.clip(chunk, -scale, scale - 1, out=chunk)
        values = chunk.astype(np.int32)
        result[first : first + step] = values if bits == 16 else values << 8
    return result


def dequantize(samples: np.ndarray, bits: int) -> np.ndarray:
    """Integers as `quantize` made them ([frames, channels]) to float32 [channels, frames]."""
    values = samples.T.astype(np.float32)
    # int32 PCM_24 samples carry 8 zero bits below; 2**31 undoes both shifts exactly.
    return values * np.float32(1.0 / (2.0**15 if bits == 16 else 2.0**31))
