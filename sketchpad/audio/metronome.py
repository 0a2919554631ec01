"""The metronome: a click on every beat, accented on the first beat of each bar, added to what the player
plays and never to the mix (so never to an export).

The clicks are two short preallocated sounds; the callback adds them where beats fall in its block,
at the frames `core.metre.beat_onset` gives, the very frames the ruler draws its beat lines at. Adding
them costs a few array views a block, nothing allocated.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sketchpad.core.metre import beat_frames, beat_onset

CLICK_SECONDS = 0.03
ACCENT_HZ, BEAT_HZ = 1760.0, 1320.0  # the bar's first beat higher, as most metronomes do
ACCENT_LEVEL, BEAT_LEVEL = 0.5, 0.3  # peak; the click does not go through the master fader


@dataclass(frozen=True)
class Click:
    """What the callback needs to click: immutable, swapped in whole by the GUI thread."""

    accent: np.ndarray  # float32 [frames], the first beat of a bar
    beat: np.ndarray  # float32 [frames], every other beat
    beat_frames: float  # frames from one beat to the next
    beats_per_bar: int


def click_sound(sample_rate: int, frequency: float, level: float) -> np.ndarray:
    """A short sine ping with a fast exponential decay: heard over a mix, gone before the next beat."""
    t = np.arange(int(CLICK_SECONDS * sample_rate)) / sample_rate
    ping = np.sin(2 * np.pi * frequency * t) * np.exp(-t / (CLICK_SECONDS / 5))
    attack = min(len(t), max(1, sample_rate // 2000))  # half a millisecond: no step at the onset
    ping[:attack] *= np.linspace(0.0, 1.0, attack, endpoint=False)
    return (level * ping).astype(np.float32)


def make_click(sample_rate: int, tempo: float, beats_per_bar: int) -> Click:
    accent = click_sound(sample_rate, ACCENT_HZ, ACCENT_LEVEL)
    beat = click_sound(sample_rate, BEAT_HZ, BEAT_LEVEL)
    for sound in (accent, beat):
        sound.flags.writeable = False
    return Click(accent, beat, beat_frames(tempo, sample_rate), beats_per_bar)


def add_clicks(click: Click, position: int, out: np.ndarray) -> None:
    """Add the clicks that sound in frames [position, position + n) of the timeline to `out` ([2, n])."""
    n = out.shape[1]
    stop = position + n
    length = click.accent.shape[0]
    step = click.beat_frames
    index = max(0, math.floor((position - length) / step))  # the earliest beat whose click may still ring
    while True:
        onset = beat_onset(index, step)
        if onset >= stop:
            return
        first, last = max(onset, position), min(onset + length, stop)
        if first < last:
            sound = click.accent if index % click.beats_per_bar == 0 else click.beat
            src = sound[first - onset:last - onset]
            for side in (0, 1):
                dst = out[side, first - position:last - position]
                np.add(dst, src, out=dst)
        index += 1
