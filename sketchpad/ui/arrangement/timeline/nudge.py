"""Arrow keys nudge the selected clips: left and right by the grid (a pixel with Shift or Alt), up and
down a track. The presses of one burst are one undo step.

A burst is the presses that follow each other on the same clips within BURST_SECONDS, with nothing else
pushed in between: each press pushes a GestureGroup of moves under the burst's token, and the document
folds it into the step the first press made.
"""

from __future__ import annotations

import math
import time

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack

from sketchpad.sketch import GestureGroup, MoveClip, Sketch
from sketchpad.ui.arrangement.timeline.geometry import grid_step

BURST_SECONDS = 1.0  # a pause longer than this between presses starts a new undo step
KEYS = {Qt.Key.Key_Left: (-1, 0), Qt.Key.Key_Right: (1, 0), Qt.Key.Key_Up: (0, -1), Qt.Key.Key_Down: (0, 1)}
FINE = Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.AltModifier


def nudge_group(sketch: Sketch, clip_ids: list[str], frames: int, rows: int, token: object) -> GestureGroup | None:
    """Moves of the clips by `frames` and `rows` together (held at the timeline's start and at the first
    and last track, so they keep their distances), or None if that moves nothing."""
    placed = [(sketch.track_index(sketch.find_clip(clip_id)[0].id), sketch.clip(clip_id)) for clip_id in clip_ids]
    if not placed:
        return None
    frames = max(frames, -min(clip.start for _, clip in placed))
    top, bottom = min(row for row, _ in placed), max(row for row, _ in placed)
    rows = min(max(rows, -top), len(sketch.tracks) - 1 - bottom)
    if frames == 0 and rows == 0:
        return None
    moves = [MoveClip(clip.id, start=clip.start + frames, track_id=sketch.tracks[row + rows].id, gesture=token)
             for row, clip in placed]
    return GestureGroup(moves, "Nudge clips" if len(moves) > 1 else "Nudge clip", gesture=token)


class NudgeBursts:
    """Which burst a press belongs to: the same clips, soon after the last press, and nothing done to
    the undo stack since (another edit, an undo or a redo all end the burst)."""

    def __init__(self, stack: QUndoStack) -> None:
        self.stack = stack
        self.token = object()
        self._clips: frozenset[str] = frozenset()
        self._at = -math.inf
        self._touched = True
        stack.indexChanged.connect(self._stack_changed)

    def token_for(self, clip_ids: list[str]) -> object:
        now = time.monotonic()
        clips = frozenset(clip_ids)
        if clips != self._clips or now - self._at > BURST_SECONDS or self._touched:
            self.token = object()
        self._clips, self._at = clips, now
        return self.token

    def pushed(self) -> None:
        self._touched = False  # after the stack's own signal for this push

    def _stack_changed(self, _index: int) -> None:
        self._touched = True


def nudge_amount(key: int, modifiers: Qt.KeyboardModifier, sketch: Sketch, pixels_per_frame: float
                 ) -> tuple[int, int] | None:
    """Frames and rows an arrow key moves by, or None for any other key."""
    if key not in KEYS:
        return None
    across, down = KEYS[key]
    step = (1 / pixels_per_frame if modifiers & FINE
            else grid_step(sketch.tempo, sketch.sample_rate, pixels_per_frame, sketch.metre))
    return across * max(1, round(step)), down
