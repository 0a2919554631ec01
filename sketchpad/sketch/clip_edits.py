"""Edits that change one clip in place: move, trim, gain, fades, decoder, name, mute.

Every edit records, when applied, the clip it replaced and where it stood, and its revert puts
that very object back at that very index; that is what makes undo exact. A redo puts back the
very clip the first application made. Continuous gestures (move, trim, gain, fades) merge
consecutive edits of the same clip into one undo step.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from sketchpad.sketch.edits import Edit
from sketchpad.sketch.model import Change, ChangeKind, Clip, Sketch, Track


@dataclass(eq=False)
class ClipChange(Edit):
    """Replace one clip by an edited copy of itself (possibly on another track)."""

    clip_id: str
    gesture: object = field(default=None, kw_only=True)
    _before: tuple[str, int, Clip] | None = field(default=None, init=False, repr=False)
    _after: Clip | None = field(default=None, init=False, repr=False)
    mergeable = True

    def _edited(self, clip: Clip) -> Clip:
        raise NotImplementedError

    def _target(self, sketch: Sketch, track: Track) -> Track:
        return track

    def _apply(self, sketch: Sketch) -> Change:
        track, index = sketch.find_clip(self.clip_id)
        old = track.clips[index]
        if self._after is not None and self._before is not None and self._before[2] is old:
            new = self._after  # a redo puts back the very clip the first application made
        else:
            new = self._edited(old)  # raises before anything changes
        target = self._target(sketch, track)
        self._before, self._after = (track.id, index, old), new
        if target is track:
            track.clips[index] = new
        else:
            del track.clips[index]
            target.clips.append(new)
        return Change(ChangeKind.CLIP, tuple(dict.fromkeys((track.id, target.id))), (self.clip_id,))

    def _revert(self, sketch: Sketch) -> Change:
        assert self._before is not None, "revert before apply"
        track_id, index, old = self._before
        current, current_index = sketch.find_clip(self.clip_id)
        del current.clips[current_index]
        sketch.track(track_id).clips.insert(index, old)
        return Change(ChangeKind.CLIP, tuple(dict.fromkeys((current.id, track_id))), (self.clip_id,))

    def merge(self, other: Edit) -> bool:
        if not (
            self.mergeable
            and type(other) is type(self)
            and isinstance(other, ClipChange)
            and other.clip_id == self.clip_id
            and self.gesture is not None
            and other.gesture == self.gesture
        ):
            return False
        for f in dataclasses.fields(self):
            if f.init and f.name not in ("clip_id", "gesture"):
                setattr(self, f.name, getattr(other, f.name))
        self._after = other._after  # exactly the state the drag ended in
        return True


@dataclass(eq=False)
class MoveClip(ClipChange):
    """Place a clip at `start`, optionally on another track (appended to its clips)."""

    start: int = 0
    track_id: str | None = None
    label = "Move clip"

    def _edited(self, clip: Clip) -> Clip:
        return dataclasses.replace(clip, start=self.start)

    def _target(self, sketch: Sketch, track: Track) -> Track:
        return track if self.track_id is None else sketch.track(self.track_id)

    def merge(self, other: Edit) -> bool:
        earlier_track = self.track_id
        if not super().merge(other):
            return False
        if self.track_id is None:  # the later move stayed on its track: the one the earlier move chose
            self.track_id = earlier_track
        return True


@dataclass(eq=False)
class TrimClip(ClipChange):
    """Set both trims; the audio stays where it was on the timeline (trimming the head moves the
    start), and fades longer than what is left are shortened."""

    trim_in: int = 0
    trim_out: int = 0
    label = "Trim clip"

    def _edited(self, clip: Clip) -> Clip:
        start = clip.start + self.trim_in - clip.trim_in
        if start < 0:
            raise ValueError("cannot trim a clip back past the start of the timeline")
        length = clip.source_frames - self.trim_in - self.trim_out
        return dataclasses.replace(
            clip,
            start=start,
            trim_in=self.trim_in,
            trim_out=self.trim_out,
            fade_in=min(clip.fade_in, max(length, 0)),
            fade_out=min(clip.fade_out, max(length, 0)),
        )


@dataclass(eq=False)
class SetClipGain(ClipChange):
    gain_db: float = 0.0
    label = "Clip gain"

    def _edited(self, clip: Clip) -> Clip:
        return dataclasses.replace(clip, gain_db=self.gain_db)


@dataclass(eq=False)
class SetClipFades(ClipChange):
    fade_in: int = 0
    fade_out: int = 0
    label = "Clip fades"

    def _edited(self, clip: Clip) -> Clip:
        return dataclasses.replace(clip, fade_in=self.fade_in, fade_out=self.fade_out)


@dataclass(eq=False)
class SetClipDecoder(ClipChange):
    """Play another decoder's audio of the same tokens (its audio must already be attached)."""

    decoder: str = ""
    label = "Switch decoder"
    mergeable = False

    def _edited(self, clip: Clip) -> Clip:
        return dataclasses.replace(clip, decoder=self.decoder)


@dataclass(eq=False)
class SetClipMuted(ClipChange):
    muted: bool = True
    label = "Mute clip"
    mergeable = False

    def _edited(self, clip: Clip) -> Clip:
        return dataclasses.replace(clip, muted=self.muted)


@dataclass(eq=False)
class RenameClip(ClipChange):
    name: str = ""
    label = "Rename clip"
    mergeable = False

    def _edited(self, clip: Clip) -> Clip:
        return dataclasses.replace(clip, name=self.name)
