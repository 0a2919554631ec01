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


class LevelMeter:
    """Peak, true peak and overs of audio heard block by block ([channels, frames] float32), so a mix
    of any length is measured in the memory of one block; `measure` is one block of everything."""

    def __init__(self, sample_rate: int, channels: int = 2) -> None:
        self._oversampler = soxr.ResampleStream(sample_rate, sample_rate * OVERSAMPLE, channels, dtype="float32")
        self.peak, self.true_peak, self.over, self.frames = 0.0, 0.0, 0, 0

    def add(self, block: np.ndarray, *, last: bool = False) -> None:
        if block.size:
            magnitude = np.abs(block)
            self.peak = max(self.peak, float(magnitude.max()))
            self.over += int(np.count_nonzero(magnitude > 1.0))
            self.frames += block.shape[1]
        for first in range(0, max(block.shape[1], 1), _CHUNK):
            chunk = np.ascontiguousarray(block[:, first : first + _CHUNK].T)
            up = self._oversampler.resample_chunk(chunk, last=last and first + _CHUNK >= block.shape[1])
            if up.size:
                self.true_peak = max(self.true_peak, float(np.abs(up).max()))

    def levels(self) -> Levels:
        if not self.frames:
            return Levels(peak=0.0, true_peak=0.0, over=0)
        return Levels(peak=self.peak, true_peak=max(self.true_peak, self.peak), over=self.over)


def true_peak(audio: np.ndarray, sample_rate: int) -> float:
    """Largest oversampled |value|, streamed in chunks so memory stays small for long mixes."""
    return measure(audio, sample_rate).true_peak


def measure(audio: np.ndarray, sample_rate: int) -> Levels:
    meter = LevelMeter(sample_rate, audio.shape[0])
    meter.add(audio, last=True)
    return meter.levels()


def normalize_gain(levels: Levels, target_db: float = -1.0) -> float:
    """The factor that brings the true peak to `target_db` (1.0 for silence)."""
    if levels.true_peak <= 0.0:
        return 1.0
    return 10.0 ** (target_db / 20.0) / levels.true_peak
