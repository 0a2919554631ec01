"""Synthetic material with a known tempo, metre and key, for the analysis tests and bench."""

from __future__ import annotations

import numpy as np

RATE = 32000


def _place(out: np.ndarray, at: float, sound: np.ndarray) -> None:
    start = int(at * RATE)
    end = min(out.size, start + sound.size)
    if start < out.size:
        out[start:end] += sound[:end - start]


def clicks(bpm: float, seconds: float = 30.0, beats_per_bar: int = 4) -> np.ndarray:
    """A metronome: a 1 kHz click each beat, the first of each bar twice as loud. [1, frames]"""
    out = np.zeros(int(seconds * RATE), np.float32)
    tick = (np.sin(2 * np.pi * 1000 * np.arange(300) / RATE) * np.hanning(300)).astype(np.float32)
    for index, at in enumerate(np.arange(0.1, seconds - 0.1, 60.0 / bpm)):
        _place(out, at, tick * (1.0 if index % beats_per_bar == 0 else 0.5))
    return out[None, :]


def drums(bpm: float, seconds: float = 30.0, beats_per_bar: int = 4, swing: float = 2 / 3) -> np.ndarray:
    """Kick on the downbeat (accented) and mid-bar, snare between, hi-hat on swung eighths. [1, frames]"""
    rng = np.random.default_rng(0)
    kick = (np.sin(2 * np.pi * 60 * np.arange(3000) / RATE) * np.exp(-np.arange(3000) / 600)).astype(np.float32)
    snare = (rng.standard_normal(2500) * np.exp(-np.arange(2500) / 500) * 0.6).astype(np.float32)
    hat = (rng.standard_normal(400) * np.exp(-np.arange(400) / 80) * 0.3).astype(np.float32)
    out = np.zeros(int(seconds * RATE), np.float32)
    beat = 60.0 / bpm
    for index, at in enumerate(np.arange(0.1, seconds - 1.0, beat)):
        position = index % beats_per_bar
        if position == 0:
            _place(out, at, kick)
        elif beats_per_bar == 4 and position == 2:
            _place(out, at, kick * 0.8)
        else:
            _place(out, at, snare)
        _place(out, at, hat)
        _place(out, at + beat * swing, hat * 0.7)
    return out[None, :]


def progression(tonic_midi: int, minor: bool, seconds: float = 16.0) -> np.ndarray:
    """I-IV-V-I (i-iv-V-i in minor) as sustained chords of harmonic-rich tones. [1, frames]"""
    third = 3 if minor else 4
    chords = [(0, third, 7), (5, 5 + third, 12), (7, 11, 14), (0, third, 7)]
    out = np.zeros(int(seconds * RATE), np.float32)
    length = seconds / len(chords)
    t = np.arange(int(length * RATE)) / RATE
    envelope = np.minimum(1.0, np.minimum(t / 0.02, (length - t) / 0.05))
    for index, chord in enumerate(chords):
        sound = np.zeros(t.size)
        for step in chord:
            frequency = 440.0 * 2 ** ((tonic_midi + step - 69) / 12)
            sound += sum(np.sin(2 * np.pi * frequency * h * t) / h for h in (1, 2, 3))
        _place(out, index * length, (0.1 * sound * envelope).astype(np.float32))
    return out[None, :]
