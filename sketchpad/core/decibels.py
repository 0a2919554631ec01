"""Decibels, with one floor for silence everywhere (levels, meters, the gain range)."""

from __future__ import annotations

import math

SILENCE_DB = -120.0  # what silence reads as, and the quietest gain a clip or track can be set to
MAX_GAIN_DB = 24.0


def db_to_gain(db: float) -> float:
    """Decibels to a linear amplitude factor; -inf dB is silence."""
    if db == -math.inf:
        return 0.0
    return float(10.0 ** (db / 20.0))


def gain_to_db(gain: float) -> float:
    """A linear amplitude (a gain, a peak, an RMS) in decibels, never below SILENCE_DB."""
    return max(SILENCE_DB, 20.0 * math.log10(gain)) if gain > 0 else SILENCE_DB


def check_gain_db(value: float, what: str = "gain") -> float:
    """Gains are finite dB values in a range a person could mean; anything else is absurd."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{what} must be a finite number of dB, got {value!r}")
    if not SILENCE_DB <= value <= MAX_GAIN_DB:
        raise ValueError(f"{what} must lie between {SILENCE_DB:g} and +{MAX_GAIN_DB:g} dB, got {value}")
    return float(value)
