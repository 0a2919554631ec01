"""Peak, true peak (4x oversampled, as meters do) and samples over full scale; normalisation."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import soxr

from sketchpad.core.decibels import gain_to_db

OVERSAMPLE = 4
_CHUNK = 1 << 16


@dataclass(frozen=True)
class Levels:
    peak: float  # largest |sample|
    true_peak: float  # largest |value| between samples, estimated by 4x oversampling
    over: int  # samples beyond full scale: these clip in a fixed-point file

    @property
    def peak_db(self) -> float:
        return gain_to_db(self.peak)

    @property
    def true_peak_db(self) -> float:
        return gain_to_db(self.true_peak)

    @property
    def clips(self) -> bool:
        """True when a sample or the reconstructed waveform between samples goes past 0 dBFS."""
        return self.over > 0 or self.true_peak > 1.0

    def describe(self) -> str:
        note = f", {self.over} samples over full scale" if self.over else ""
        clip = " (clips)" if self.clips else ""
        return f"peak {self.peak_db:.1f} dBFS, true peak {self.true_peak_db:.1f} dBTP{clip}{note}"


def true_peak(audio: np.ndarray, sample_rate: int) -> float:
    """Largest oversampled |value|, streamed in chunks so memory stays small for long mixes."""
    stream = soxr.ResampleStream(sample_rate, sample_rate * OVERSAMPLE, audio.shape[0], dtype="float32")
    peak = 0.0
    frames = audio.shape[1]
    for first in range(0, frames, _CHUNK):
        chunk = np.ascontiguousarray(audio[:, first : first + _CHUNK].T)
        up = stream.resample_chunk(chunk, last=first + _CHUNK >= frames)
        if up.size:
            peak = max(peak, float(np.abs(up).max()))
    return max(peak, float(np.abs(audio).max(initial=0.0)))


def measure(audio: np.ndarray, sample_rate: int) -> Levels:
    peak = float(np.abs(audio).max(initial=0.0))
    over = int(np.count_nonzero(np.abs(audio) > 1.0))
    return Levels(peak=peak, true_peak=true_peak(audio, sample_rate) if audio.size else 0.0, over=over)


def normalize_gain(levels: Levels, target_db: float = -1.0) -> float:
    """The factor that brings the true peak to `target_db` (1.0 for silence)."""
    if levels.true_peak <= 0.0:
        return 1.0
    return 10.0 ** (target_db / 20.0) / levels.true_peak
