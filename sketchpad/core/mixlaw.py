"""The pan, fade and crossfade laws shared by the offline mixdown and the live player.

Both must produce the same numbers, sample for sample, so the law lives in one place below
`sketch/` and `audio/` (numpy only, no state). Gains in decibels: core/decibels.py.
"""

from __future__ import annotations

import math

import numpy as np

from sketchpad.core.decibels import db_to_gain

CENTRE_GAIN = math.sqrt(0.5)  # -3 dB: a centred mono source keeps its power


def audible(mute: bool, solo: bool, anything_soloed: bool) -> bool:
    """Whether a track is heard: not muted, and either nothing is soloed or it is."""
    return not mute and (solo or not anything_soloed)


def pan_gains(pan: float, source_channels: int) -> tuple[float, float]:
    """Left and right factors for a source at `pan` in [-1, +1].

    Mono sources use the constant-power law: theta = (pan + 1) * pi / 4, left = cos, right = sin,
    so the centre is -3 dB on each side. A stereo source's pan is a balance control: the far side is
    attenuated by the same law (scaled so the centre is unity) and the near side never exceeds unity.
    """
    if not -1.0 <= pan <= 1.0 or math.isnan(pan):
        raise ValueError(f"pan must be within -1 and +1, got {pan}")
    theta = (pan + 1.0) * math.pi / 4.0
    left, right = math.cos(theta), math.sin(theta)
    if source_channels == 1:
        return left, right
    if source_channels == 2:
        return min(1.0, left / CENTRE_GAIN), min(1.0, right / CENTRE_GAIN)
    raise ValueError(f"only mono and stereo sources can be panned, got {source_channels} channels")


def track_gains(gain_db: float, pan: float, source_channels: int) -> tuple[float, float]:
    """Left and right factors by which a track's `source_channels`-channel audio enters the mix: its
    gain times the pan law. The mixdown's coefficients and the player's voices are both this."""
    gain = db_to_gain(gain_db)
    left, right = pan_gains(pan, source_channels)
    return gain * left, gain * right


def fade_curve(length: int, *, fade_in: bool) -> np.ndarray:
    """A linear fade of `length` samples (float32); a fade-in starts at 0, a fade-out ends at 0."""
    ramp = np.arange(length, dtype=np.float32) / np.float32(max(length, 1))
    return ramp if fade_in else ramp[::-1].copy()


def crossfade_curve(length: int, *, fade_in: bool) -> np.ndarray:
    """One side of an equal-power crossfade of `length` samples (float32): sin for the clip coming in,
    cos for the one going out, at the middle of each sample, so at every sample of the overlap
    in**2 + out**2 == 1 and two unrelated takes keep their loudness through it (a linear crossfade dips
    3 dB in the middle for them; it only suits the same audio overlapping itself in phase)."""
    phase = (np.arange(length, dtype=np.float64) + 0.5) * (math.pi / 2.0 / max(length, 1))
    return (np.sin(phase) if fade_in else np.cos(phase)).astype(np.float32)
