"""Tempo and metre as people write them in prompts ("80 bpm", "in 6/8"), and bars as seconds.

The window prefills a sketch's tempo from the prompt that made its first take, and turns a duration in
bars into the seconds a request asks for; the command line can do both alike. Qt-free.
"""

from __future__ import annotations

import re

from sketchpad.core.metre import bar_frames

MIN_TEMPO, MAX_TEMPO = 20.0, 400.0  # the sketch's own bounds (sketch/model.py): anything else is not a tempo
BEAT_UNITS = (1, 2, 4, 8, 16, 32)

# "80 bpm", "80bpm", "80 BPM", "92.5 bpm", "120 beats per minute"; not "1080p" or a bpm without a number.
_TEMPO = re.compile(r"(?<![\w.])(\d{2,3}(?:\.\d+)?)\s*(?:bpm\b|beats\s+per\s+minute\b)", re.IGNORECASE)
# "in 3/4", "6/8 time", "7/8 metre", "time signature 5/4": a bare "1/2" is as likely a half as a metre.
_METRE = re.compile(
    r"(?:\b(?:in|signature)\s+(\d{1,2})\s*/\s*(\d{1,2})\b)|(?:\b(\d{1,2})\s*/\s*(\d{1,2})\s*(?:time|metre|meter)\b)",
    re.IGNORECASE)


def tempo_in(text: str) -> float | None:
    """The first tempo the text names, in BPM, if it lies within what a sketch accepts."""
    for found in _TEMPO.finditer(text):
        value = float(found.group(1))
        if MIN_TEMPO <= value <= MAX_TEMPO:
            return value
    return None


def metre_in(text: str) -> tuple[int, int] | None:
    """The first metre the text names ("in 3/4", "6/8 time") as (beats per bar, beat unit)."""
    for found in _METRE.finditer(text):
        beats, unit = (int(g) for g in (found.group(1, 2) if found.group(1) else found.group(3, 4)))
        if 1 <= beats <= 32 and unit in BEAT_UNITS:
            return beats, unit
    return None


def bars_to_seconds(bars: int, tempo: float, metre: tuple[int, int]) -> float:
    """How long `bars` bars last at `tempo` beats a minute, `metre[0]` beats a bar."""
    if bars < 1:
        raise ValueError(f"ask for at least one bar, not {bars}")
    return bars * bar_frames(tempo, metre[0], 1)


def whole_bars(seconds: float, tempo: float, metre: tuple[int, int]) -> int:
    """The nearest whole number of bars (at least one) to `seconds`."""
    return max(1, round(seconds / bar_frames(tempo, metre[0], 1)))
