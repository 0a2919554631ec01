"""Tempo, metre and key of a recording, from librosa's onset envelope and chroma.

Tempo: librosa's tempogram gives a first estimate on a grid of whole frames (about 1 % apart near
100 bpm); it is then refined by the period that best explains the onsets of a whole stretch of beats
(the autocorrelation of the onset envelope summed at every multiple of the period, on a grid 50 times
finer), and its octave is chosen by where the onsets fall: the fastest of tempo/2, tempo, 2 x tempo
whose every beat carries onsets wins, so a swung hi-hat does not double the tempo and a kick on 1 and 3
does not halve it. Metre: whether the accents repeat every 3 beats or every 4. Key: Krumhansl and
Kessler's profiles correlated with the recording's mean chroma.

Everything runs at a reduced rate (11025 Hz): the onsets and pitch classes that matter live well below
its Nyquist frequency, and it makes a 3-minute file a fraction of a second of work.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sketchpad.audio.convert import to_channels
from sketchpad.core.resample import resample

ANALYSIS_RATE = 11025
HOP = 128  # 11.6 ms frames: a beat at 180 bpm spans 29 of them
MIN_BPM, MAX_BPM = 50.0, 220.0
KEY_CONFIDENCE = 0.55  # below this the pitch classes fit no key better than noise or drums do
STEADY_RATIO = 2.0  # a tempo's weaker beats must carry this much more onset than the recording's median
MIN_SECONDS = 4.0  # fewer than a few beats cannot show a tempo
NOTES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
# Krumhansl & Kessler (1982): how well each pitch class fits a major and a minor key on C.
_MAJOR = np.array([6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88])
_MINOR = np.array([6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17])


@dataclass(frozen=True)
class Analysis:
    tempo: float | None  # beats per minute; None when no steady beat was found
    beats_per_bar: int | None  # 3 or 4: a guess from the accents
    key: str | None  # "A minor", "Eb major"; None for silence or noise without pitch
    confidence: float  # how strongly the key's profile matches, 0..1 (a correlation)

    @property
    def metre(self) -> str | None:
        return None if self.beats_per_bar is None else f"{self.beats_per_bar}/4"

    def lines(self) -> list[str]:
        """What `sketchpad analyze` prints."""
        return [f"tempo: {'unknown' if self.tempo is None else f'{self.tempo:.1f} bpm'}",
                f"metre: {self.metre or 'unknown'}", f"key: {self.key or 'unknown'}"]


def analyse(samples: np.ndarray, sample_rate: int) -> Analysis:
    """samples: float32 [channels, frames] at any rate."""
    mono = to_channels(np.asarray(samples, dtype=np.float32).T, 1)[:, 0]
    if sample_rate != ANALYSIS_RATE:
        mono = resample(mono[None, :], sample_rate, ANALYSIS_RATE)[0]
    if mono.size < MIN_SECONDS * ANALYSIS_RATE or not np.any(np.abs(mono) > 1e-4):
        return Analysis(None, None, None, 0.0)
    import librosa

    envelope = librosa.onset.onset_strength(y=mono, sr=ANALYSIS_RATE, hop_length=HOP, n_fft=1024)
    tempo, period = _tempo(envelope)
    beats_per_bar = _beats_per_bar(envelope, period) if period else None
    key, confidence = _key(mono)
    return Analysis(tempo, beats_per_bar, key, confidence)


def _autocorrelation(envelope: np.ndarray) -> np.ndarray:
    centred = envelope - envelope.mean()
    size = 1 << int(np.ceil(np.log2(2 * centred.size)))
    spectrum = np.fft.rfft(centred, size)
    correlation = np.fft.irfft(spectrum * np.conj(spectrum), size)[:centred.size]
    return correlation / max(correlation[0], 1e-12)


def _comb(correlation: np.ndarray, period: float) -> float:
    """How well a beat period (in frames, fractional) explains the onsets: the autocorrelation at every
    multiple of it that the recording covers (at most 16), read between frames by interpolation."""
    multiples = np.arange(1, 17) * period
    multiples = multiples[multiples < correlation.size - 1]
    if multiples.size < 2:
        return -np.inf
    return float(np.interp(multiples, np.arange(correlation.size), correlation).mean())


def _beat_strengths(envelope: np.ndarray, period: float) -> np.ndarray:
    """The onset strength at each beat of this period (a frame's slack either side), in the phase
    where the beats carry the most onsets."""
    frames = np.arange(envelope.size)
    best, strengths = -1.0, np.zeros(0)
    for phase in np.linspace(0.0, period, num=max(4, int(period)), endpoint=False):
        positions = np.arange(phase, envelope.size - 1, period)
        around = np.maximum.reduce([np.interp(positions + shift, frames, envelope) for shift in (-1.0, 0.0, 1.0)])
        if around.size and around.mean() > best:
            best, strengths = float(around.mean()), around
    return strengths


def _on_beats(envelope: np.ndarray, period: float) -> float:
    """High only when (nearly) every beat of this period carries an onset: its weakest quarter."""
    strengths = _beat_strengths(envelope, period)
    return float(np.percentile(strengths, 25)) if strengths.size >= 4 else 0.0


def _tempo(envelope: np.ndarray) -> tuple[float | None, float | None]:
    import librosa

    coarse = float(librosa.feature.tempo(onset_envelope=envelope, sr=ANALYSIS_RATE, hop_length=HOP,
                                         max_tempo=MAX_BPM)[0])
    if not np.isfinite(coarse) or coarse <= 0:
        return None, None
    correlation = _autocorrelation(envelope)
    frames_per_minute = 60.0 * ANALYSIS_RATE / HOP
    candidates = []
    for factor in (0.5, 1.0, 2.0):
        bpm = coarse * factor
        if not MIN_BPM <= bpm <= MAX_BPM:
            continue
        periods = frames_per_minute / (bpm * np.linspace(0.97, 1.03, 301))
        scores = [_comb(correlation, period) for period in periods]
        period = float(periods[int(np.argmax(scores))])
        candidates.append((frames_per_minute / period, period, _on_beats(envelope, period)))
    if not candidates:
        return None, None
    strongest = max(score for _bpm, _period, score in candidates)
    if strongest <= STEADY_RATIO * float(np.median(envelope)) or strongest <= 0:
        return None, None  # the beats carry no more onset than anywhere else: no steady beat
    # the fastest tempo whose beats all carry onsets nearly as strong as the best candidate's
    bpm, period, _score = max((c for c in candidates if c[2] >= 0.6 * strongest), key=lambda c: c[0])
    return round(bpm, 2), period


def _beats_per_bar(envelope: np.ndarray, period: float) -> int:
    """3 or 4: the bar length at which one beat of the bar stands out most from the others (the
    downbeat's accent), over every beat of the recording."""
    strengths = _beat_strengths(envelope, period)
    contrast = {}
    for bar in (3, 4):
        usable = strengths[:strengths.size - strengths.size % bar].reshape(-1, bar)
        if usable.shape[0] < 2:
            return 4
        means = usable.mean(axis=0)
        contrast[bar] = (means.max() - np.delete(means, means.argmax()).mean()) / max(means.mean(), 1e-12)
    return 3 if contrast[3] > contrast[4] else 4


def _key(mono: np.ndarray) -> tuple[str | None, float]:
    import librosa

    chroma = librosa.feature.chroma_stft(y=mono, sr=ANALYSIS_RATE, hop_length=4 * HOP, n_fft=4096)
    profile = chroma.mean(axis=1)
    if not np.all(np.isfinite(profile)) or profile.std() < 1e-6:
        return None, 0.0
    best, name = -2.0, None
    for tonic in range(12):
        for mode, template in (("major", _MAJOR), ("minor", _MINOR)):
            score = float(np.corrcoef(profile, np.roll(template, tonic))[0, 1])
            if score > best:
                best, name = score, f"{NOTES[tonic]} {mode}"
    return (name, best) if best > KEY_CONFIDENCE else (None, max(best, 0.0))
