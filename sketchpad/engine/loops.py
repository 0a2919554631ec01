"""Seamless loops: a take made a little longer than the loop, its overshoot folded into its start.

The model cannot be asked for audio whose end leads back into its beginning, so the engine generates
`LOOP_OVERLAP_S` past the loop's length and crossfades that overshoot into the loop's first samples
with an equal-power curve. At the seam the loop's last sample is followed by what the model itself
generated after it (the overshoot's first sample, at full weight), so the wrap-around is as continuous
as any two neighbouring samples of the take; the crossfade then hands over to the take's own start.
A hard cut to whole bars (what others do) jumps from the end's level and phase to the start's: a click.

The fold is applied wherever audio is made from the tokens (the first decode and a later decoder
switch), from the loop's `frames` and `overlap` kept in the take's parameters.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sketchpad.engine.errors import InvalidRequestError

LOOP_OVERLAP_S = 1.0  # generated past the loop's end, folded into its start
SLACK = 4096  # frames a decoder may return short of the take (a codec's last frame): padded with silence


def overlap_seconds(duration: float) -> float:
    """The overshoot for a loop of `duration` seconds: a second, or a quarter of a short loop."""
    return min(LOOP_OVERLAP_S, duration / 4)


def loop_params(duration: float, sample_rate: int) -> dict[str, int]:
    return {"frames": round(duration * sample_rate), "overlap": round(overlap_seconds(duration) * sample_rate)}


def fold(audio: np.ndarray, loop: dict[str, Any]) -> np.ndarray:
    """The loop from a take generated past its end: float32 [channels, loop["frames"]]."""
    try:
        frames, overlap = int(loop["frames"]), int(loop["overlap"])
    except (KeyError, TypeError, ValueError) as error:
        raise InvalidRequestError(f"A loop is described by whole frames and overlap, not {loop!r}.") from error
    if not 0 < overlap <= frames or audio.ndim != 2 or frames > audio.shape[1] + SLACK:
        raise InvalidRequestError(f"A loop of {frames} frames cannot fold an overlap of {overlap} from "
                                  f"{audio.shape[-1]} frames of audio.")
    if audio.shape[1] < frames + overlap:  # a decoder may return a few samples short: fold what there is
        overlap = max(0, audio.shape[1] - frames)
    out = np.array(audio[:, :frames], dtype=np.float32)
    if out.shape[1] < frames:
        out = np.pad(out, ((0, 0), (0, frames - out.shape[1])))
    if overlap:
        t = (np.arange(overlap, dtype=np.float64) + 0.5) / overlap
        fade_in = np.sin(0.5 * np.pi * t).astype(np.float32)
        fade_out = np.cos(0.5 * np.pi * t).astype(np.float32)
        out[:, :overlap] = out[:, :overlap] * fade_in + audio[:, frames:frames + overlap] * fade_out
    return out
