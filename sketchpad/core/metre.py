"""Beats and bars in frames: the arithmetic the ruler's grid, snapping, the metronome and bar-long
generation share, so a click, a grid line and a snapped clip land on the very same frame.

A beat is one note of the metre's beat unit (a quarter in 4/4, an eighth in 6/8) and the tempo counts
those beats per minute, so the metronome clicks as often as the tempo field says whatever the metre.
"""

from __future__ import annotations

import math

DEFAULT_METRE = (4, 4)


def beat_frames(tempo: float, sample_rate: int) -> float:
    """Length of one beat in frames (a float: 80 BPM at 32 kHz is 24000.0, 70 BPM 27428.57...)."""
    if not tempo > 0:
        raise ValueError(f"a tempo must be positive, got {tempo!r}")
    return 60.0 * sample_rate / tempo


def bar_frames(tempo: float, beats_per_bar: int, sample_rate: int) -> float:
    return beats_per_bar * beat_frames(tempo, sample_rate)


def beat_onset(index: int, beat: float) -> int:
    """The frame beat `index` (0 = the start of the timeline) begins on: rounded half up, never with
    Python's round-half-to-even, so every caller places it alike."""
    return math.floor(index * beat + 0.5)


def beat_at(frame: int, beat: float) -> int:
    """The index of the beat `frame` lies in: the last beat whose onset is at or before it."""
    index = max(0, math.floor(frame / beat))
    while index > 0 and beat_onset(index, beat) > frame:  # float division may land one beat off an onset
        index -= 1
    while beat_onset(index + 1, beat) <= frame:
        index += 1
    return index


def bar_and_beat(frame: int, tempo: float, beats_per_bar: int, sample_rate: int) -> tuple[int, int]:
    """1-based (bar, beat in the bar) that `frame` lies in."""
    beats = beat_at(max(0, frame), beat_frames(tempo, sample_rate))
    return beats // beats_per_bar + 1, beats % beats_per_bar + 1
