"""Turning a hummed or imported take into the melody a model is conditioned on."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sketchpad.audio.errors import SilentTakeError
from sketchpad.core.resample import resample

WINDOW_SECONDS = 0.01
SILENCE_BELOW_PEAK_DB = 40.0  # a window this far under the loudest one counts as silence
SILENCE_FLOOR_DBFS = -60.0  # and anything under this is silence however quiet the take is
MARGIN_SECONDS = 0.05  # keep a little room so the first note's attack is not shaved off
TARGET_RMS_DBFS = -20.0
PEAK_CEILING_DBFS = -1.0


@dataclass(frozen=True)
class PreparedMelody:
    samples: np.ndarray  # float32 [1, frames] at sample_rate
    sample_rate: int
    start_seconds: float  # where the used part begins and ends in the original take
    end_seconds: float
    source_seconds: float
    gain_db: float  # the loudness normalisation applied
    capped: bool  # True when the take was longer than the model uses and was cut


def _active_span(mono: np.ndarray, sample_rate: int) -> tuple[int, int]:
    window = max(1, min(len(mono), int(sample_rate * WINDOW_SECONDS)))
    usable = len(mono) - len(mono) % window
    frames = mono[:usable].reshape(-1, window).astype(np.float64)
    rms_db = 10 * np.log10(np.maximum(np.mean(frames * frames, axis=1), 1e-24))
    threshold = max(SILENCE_FLOOR_DBFS, float(rms_db.max()) - SILENCE_BELOW_PEAK_DB)
    loud = np.flatnonzero(rms_db > threshold)
    if len(loud) == 0:
        raise SilentTakeError(f"the take is silent (nothing above {SILENCE_FLOOR_DBFS:.0f} dBFS)")
    margin = int(MARGIN_SECONDS * sample_rate)
    start = max(0, int(loud[0]) * window - margin)
    end = min(len(mono), (int(loud[-1]) + 1) * window + margin)
    return start, end


def prepare_melody(samples: np.ndarray, sample_rate: int, *, target_rate: int,
                   max_seconds: float) -> PreparedMelody:
    """Trim silence, make mono, normalise loudness, cap to `max_seconds` and resample to `target_rate`.

    `samples` is float [channels, frames] or 1-D. Raises SilentTakeError when nothing is above silence.
    """
    data = np.asarray(samples, dtype=np.float32)
    if data.ndim == 1:
        data = data[np.newaxis, :]
    if data.ndim != 2 or data.shape[1] == 0:
        raise SilentTakeError("the take is empty")
    if not np.isfinite(data).all():
        raise ValueError("the take contains NaN or infinite samples")
    mono = data.mean(axis=0, dtype=np.float32) if data.shape[0] > 1 else data[0]
    start, end = _active_span(mono, sample_rate)
    cap = int(round(max_seconds * sample_rate))
    capped = end - start > cap
    end = min(end, start + cap)
    used = mono[start:end].astype(np.float64)
    rms = float(np.sqrt(np.mean(used * used)))
    peak = float(np.max(np.abs(used)))
    gain_db = TARGET_RMS_DBFS - 20 * np.log10(rms)
    # A spiky take would clip at the RMS target; the peak ceiling wins over loudness.
    gain_db = min(gain_db, PEAK_CEILING_DBFS - 20 * np.log10(peak))
    normalised = (used * 10 ** (gain_db / 20)).astype(np.float32)[np.newaxis, :]
    out = resample(normalised, sample_rate, target_rate)
    limit = int(round(max_seconds * target_rate))
    return PreparedMelody(samples=np.ascontiguousarray(out[:, :limit]), sample_rate=int(target_rate),
                          start_seconds=start / sample_rate, end_seconds=end / sample_rate,
                          source_seconds=data.shape[1] / sample_rate, gain_db=float(gain_db), capped=capped)
