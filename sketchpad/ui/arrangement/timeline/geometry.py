"""Shared sizes and the arithmetic between frames, pixels, seconds and bars.

The scene is laid out in frames horizontally and pixels vertically; zoom is the view's x scale
(pixels per frame), so zooming never moves an item and costs the same for 10 clips or 10,000.
"""

from __future__ import annotations

import math

from sketchpad.core import metre as beats

ROW_HEIGHT = 64
RULER_HEIGHT = 34
HEADER_WIDTH = 210
Metre = tuple[int, int]  # beats per bar, beat unit
ZOOM_STEP = 1.25
MIN_PPS = 0.5  # pixels per second, zoomed all the way out
MAX_PIXELS_PER_FRAME = 4.0  # zoomed all the way in: a frame is 4 pixels wide
SNAP_PIXELS = 10  # how close an edge must come to another clip's edge to stick to it
EDGE_PIXELS = 6  # grab zone at each end of a clip for trimming
TAIL_SECONDS = 30  # empty room after the last clip, so there is somewhere to drag to
MIN_BEAT_PIXELS = 24  # beats narrower than this: the grid (and snapping, and nudging) goes by bars
MIN_GRID_PIXELS = 8  # grid lines never closer than this


def bar_frames(tempo: float | None, sample_rate: int, metre: Metre = beats.DEFAULT_METRE) -> float | None:
    """Length of one bar in frames, or None without a tempo."""
    if tempo is None:
        return None
    return beats.bar_frames(tempo, metre[0], sample_rate)


def grid_step(tempo: float | None, sample_rate: int, pixels_per_frame: float,
              metre: Metre = beats.DEFAULT_METRE) -> float:
    """Frames between the grid lines drawn at this zoom, what a drag snaps to and an arrow key nudges
    by: with a tempo a beat, or a bar once beats are closer than MIN_BEAT_PIXELS (then 2, 4... bars as
    they crowd); without, round seconds about 80 pixels apart. Never closer than MIN_GRID_PIXELS."""
    if tempo is not None:
        step = beats.beat_frames(tempo, sample_rate)
        if step * pixels_per_frame < MIN_BEAT_PIXELS:
            step *= metre[0]
    else:
        step = nice_step(80 / (pixels_per_frame * sample_rate)) * sample_rate
    while step * pixels_per_frame < MIN_GRID_PIXELS:
        step *= 2
    return step


def grid_line(index: int, step: float) -> int:
    """The frame grid line `index` lies on (beats: the frame the metronome clicks on)."""
    return beats.beat_onset(index, step)


def clamp_scale(pixels_per_frame: float, sample_rate: int) -> float:
    return min(max(pixels_per_frame, MIN_PPS / sample_rate), MAX_PIXELS_PER_FRAME)


def nice_step(min_seconds: float) -> float:
    """The smallest 'round' interval in seconds (1, 2, 5 x 10^k, or 15/30/60... for minutes) >= min_seconds."""
    for step in (0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600):
        if step >= min_seconds:
            return float(step)
    return 600.0 * math.ceil(min_seconds / 600.0)


def format_time(seconds: float, step: float = 0.001) -> str:
    """m:ss with as many decimals as the tick step needs."""
    decimals = 0 if step >= 1 else min(3, max(1, -math.floor(math.log10(step) + 1e-9)))
    minutes, rest = divmod(max(seconds, 0.0), 60.0)
    width = 3 + decimals if decimals else 2
    return f"{int(minutes)}:{rest:0{width}.{decimals}f}"
