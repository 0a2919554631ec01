"""Mouse drags on a clip turned into sketch edits, all of one drag sharing one gesture (one undo step).

A gesture remembers the clip as it was when pressed and computes each step from that and the
pointer, so the result never drifts however many moves the drag takes.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from sketchpad.sketch import Clip, Edit, MoveClip, RepeatLoop, SetClipFades, Sketch, TrimClip
from sketchpad.sketch.media import new_id
from sketchpad.ui.arrangement.timeline.snapping import snap_frame, snap_move


@dataclass
class ClipGesture:
    zone: str  # "move", "trim_start", "trim_end", "fade_in", "fade_out"
    clip: Clip  # as pressed
    track_id: str
    anchor: float  # frame under the pointer at the press
    token: object = field(default_factory=object)
    repeats: list[Clip] = field(default_factory=list)  # copies a loop's right edge has laid so far

    def _repeats(self, count: int) -> tuple[Clip, ...]:
        clip = self.clip
        while len(self.repeats) < count:
            self.repeats.append(dataclasses.replace(clip, id=new_id(), start=clip.start + clip.length *
                                                    (len(self.repeats) + 1)))
        return tuple(self.repeats[:count])

    def edit_for(self, sketch: Sketch, frame: float, track_id: str | None, pixels_per_frame: float,
                 snap: bool) -> Edit | None:
        """The edit that puts the clip where the pointer at `frame` (over row `track_id`) says, or None
        if that is where it already is."""
        clip = self.clip
        current = sketch.clip(clip.id)
        delta = int(round(frame - self.anchor))
        if self.zone == "move":
            start = max(0, clip.start + delta)
            if snap:
                start = snap_move(sketch, start, clip.length, pixels_per_frame, clip.id)
            target = track_id or self.track_id
            if start == current.start and target == sketch.find_clip(clip.id)[0].id:
                return None
            return MoveClip(clip.id, start=start, track_id=target, gesture=self.token)
        if self.zone == "trim_start":
            edge = clip.start + delta
            if snap:
                edge = snap_frame(sketch, edge, pixels_per_frame, clip.id)
            edge = min(max(edge, clip.start - clip.trim_in, 0), clip.end - 1)
            trim_in = clip.trim_in + edge - clip.start
            if trim_in == current.trim_in:
                return None
            return TrimClip(clip.id, trim_in=trim_in, trim_out=clip.trim_out, gesture=self.token)
        if self.zone == "trim_end" and is_whole_loop(clip) and (delta > 0 or self.repeats):
            # A loop dragged longer repeats whole: it is a whole number of bars and its end leads into its start.
            count = max(0, round(delta / clip.length))
            made = {id(copy) for copy in self.repeats}
            placed = sum(1 for other in sketch.find_clip(clip.id)[0].clips if id(other) in made)
            if count == placed:
                return None
            return RepeatLoop(clip.id, self._repeats(count), pool=self.repeats, gesture=self.token)
        if self.zone == "trim_end":
            edge = clip.end + delta
            if snap:
                edge = snap_frame(sketch, edge, pixels_per_frame, clip.id)
            edge = max(min(edge, clip.end + clip.trim_out), clip.start + 1)
            trim_out = clip.trim_out - (edge - clip.end)
            if trim_out == current.trim_out:
                return None
            return TrimClip(clip.id, trim_in=clip.trim_in, trim_out=trim_out, gesture=self.token)
        if self.zone == "fade_in":
            fade_in = min(max(int(frame) - current.start, 0), current.length - current.fade_out)
            if fade_in == current.fade_in:
                return None
            return SetClipFades(clip.id, fade_in=fade_in, fade_out=current.fade_out, gesture=self.token)
        if self.zone == "fade_out":
            fade_out = min(max(current.end - int(frame), 0), current.length - current.fade_in)
            if fade_out == current.fade_out:
                return None
            return SetClipFades(clip.id, fade_in=current.fade_in, fade_out=fade_out, gesture=self.token)
        raise ValueError(f"no gesture {self.zone!r}")


def is_whole_loop(clip: Clip) -> bool:
    """A loop take (engine/loops.py) placed whole: dragging its end repeats it rather than trimming."""
    return bool(clip.media.params.get("loop")) and clip.trim_in == 0 and clip.trim_out == 0
