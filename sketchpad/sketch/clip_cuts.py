"""Edits that add or remove clips: add, delete, split, duplicate. Each keeps the clip objects it
made, so redo restores the same objects and undo removes exactly them."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from sketchpad.sketch.edits import Edit
from sketchpad.sketch.media import new_id
from sketchpad.sketch.model import Change, ChangeKind, Clip, Sketch


def _check_fits(sketch: Sketch, clip: Clip) -> None:
    if clip.media.sample_rate != sketch.sample_rate:
        raise ValueError(
            f"clip audio is at {clip.media.sample_rate} Hz but the sketch is at {sketch.sample_rate} Hz; "
            "resample it on import"
        )
    if any(other.id == clip.id for _, other in sketch.iter_clips()):
        raise ValueError(f"the sketch already has a clip {clip.id!r}")


@dataclass(eq=False)
class AddClip(Edit):
    """Put a new clip on a track, at `index` in its clip order (appended by default)."""

    track_id: str
    clip: Clip
    index: int | None = None
    _at: int = field(default=-1, init=False, repr=False)
    label = "Add clip"

    def _apply(self, sketch: Sketch) -> Change:
        track = sketch.track(self.track_id)
        _check_fits(sketch, self.clip)
        self._at = len(track.clips) if self.index is None else min(max(self.index, 0), len(track.clips))
        track.clips.insert(self._at, self.clip)
        return Change(ChangeKind.CLIP, (track.id,), (self.clip.id,))

    def _revert(self, sketch: Sketch) -> Change:
        track = sketch.track(self.track_id)
        assert track.clips[self._at] is self.clip, "revert out of order"
        del track.clips[self._at]
        return Change(ChangeKind.CLIP, (track.id,), (self.clip.id,))


@dataclass(eq=False)
class DeleteClip(Edit):
    clip_id: str
    _before: tuple[str, int, Clip] | None = field(default=None, init=False, repr=False)
    label = "Delete clip"

    def _apply(self, sketch: Sketch) -> Change:
        track, index = sketch.find_clip(self.clip_id)
        self._before = (track.id, index, track.clips.pop(index))
        return Change(ChangeKind.CLIP, (track.id,), (self.clip_id,))

    def _revert(self, sketch: Sketch) -> Change:
        assert self._before is not None, "revert before apply"
        track_id, index, clip = self._before
        sketch.track(track_id).clips.insert(index, clip)
        return Change(ChangeKind.CLIP, (track_id,), (self.clip_id,))


@dataclass(eq=False)
class SplitClip(Edit):
    """Cut a clip at timeline position `at`: the left part keeps the id and the fade-in, the right
    part (id `new_id`, right after it in the track's order) keeps the fade-out."""

    clip_id: str
    at: int
    new_id: str = field(default_factory=new_id)
    _before: tuple[str, int, Clip] | None = field(default=None, init=False, repr=False)
    _parts: tuple[Clip, Clip, Clip] | None = field(default=None, init=False, repr=False)
    label = "Split clip"

    def _apply(self, sketch: Sketch) -> Change:
        track, index = sketch.find_clip(self.clip_id)
        clip = track.clips[index]
        if self._parts is not None and self._parts[0] is clip:
            self._before = (track.id, index, clip)
            track.clips[index : index + 1] = self._parts[1:]
            return Change(ChangeKind.CLIP, (track.id,), (self.clip_id, self.new_id))
        if not clip.start < self.at < clip.end:
            raise ValueError(f"split point {self.at} is not inside the clip ({clip.start}..{clip.end})")
        head = self.at - clip.start
        left = dataclasses.replace(
            clip, trim_out=clip.trim_out + clip.length - head, fade_in=min(clip.fade_in, head), fade_out=0
        )
        right = dataclasses.replace(
            clip,
            id=self.new_id,
            start=self.at,
            trim_in=clip.trim_in + head,
            fade_in=0,
            fade_out=min(clip.fade_out, clip.length - head),
        )
        _check_fits(sketch, right)
        self._before, self._parts = (track.id, index, clip), (clip, left, right)
        track.clips[index : index + 1] = [left, right]
        return Change(ChangeKind.CLIP, (track.id,), (self.clip_id, self.new_id))

    def _revert(self, sketch: Sketch) -> Change:
        assert self._before is not None, "revert before apply"
        track_id, index, clip = self._before
        sketch.track(track_id).clips[index : index + 2] = [clip]
        return Change(ChangeKind.CLIP, (track_id,), (self.clip_id, self.new_id))


@dataclass(eq=False)
class DuplicateClip(Edit):
    """Copy a clip (sharing its media) to `start` (default: right after it) on `track_id`
    (default: its own track), appended to that track's clips."""

    clip_id: str
    start: int | None = None
    track_id: str | None = None
    new_id: str = field(default_factory=new_id)
    _added: AddClip | None = field(default=None, init=False, repr=False)
    _source: Clip | None = field(default=None, init=False, repr=False)
    label = "Duplicate clip"

    def _apply(self, sketch: Sketch) -> Change:
        track, index = sketch.find_clip(self.clip_id)
        clip = track.clips[index]
        start = clip.end if self.start is None else self.start
        if self._added is None or self._added.clip.start != start or self._source is not clip:
            copy = dataclasses.replace(clip, id=self.new_id, start=start)
            self._added, self._source = AddClip(self.track_id or track.id, copy), clip
        return self._added._apply(sketch)

    def _revert(self, sketch: Sketch) -> Change:
        assert self._added is not None, "revert before apply"
        return self._added._revert(sketch)


@dataclass(eq=False)
class RepeatLoop(Edit):
    """A loop clip followed by `copies` of itself end to end (its right edge dragged by whole loops).

    One drag makes one undo step: every step of the gesture says the whole set of copies it wants, its
    application replaces the copies an earlier step of the same gesture placed (they are found in
    `pool`, which the gesture shares), and `merge` keeps the state before the first step."""

    clip_id: str
    copies: tuple[Clip, ...]
    pool: list[Clip] = field(default_factory=list, kw_only=True)  # every copy this gesture ever made
    gesture: object = field(default=None, kw_only=True)
    _before: list[tuple[int, Clip]] = field(default_factory=list, init=False, repr=False)
    _track_id: str = field(default="", init=False, repr=False)
    label = "Repeat loop"

    def _apply(self, sketch: Sketch) -> Change:
        track, _index = sketch.find_clip(self.clip_id)
        pooled = {id(clip) for clip in self.pool}
        self._before = [(at, clip) for at, clip in enumerate(track.clips) if id(clip) in pooled]
        for at, _clip in reversed(self._before):
            del track.clips[at]
        for copy in self.copies:
            _check_fits(sketch, copy)
        track.clips.extend(self.copies)
        self._track_id = track.id
        return Change(ChangeKind.CLIP, (track.id,), (self.clip_id, *(clip.id for clip in self.copies)))

    def _revert(self, sketch: Sketch) -> Change:
        track = sketch.track(self._track_id)
        mine = {id(clip) for clip in self.copies}
        track.clips[:] = [clip for clip in track.clips if id(clip) not in mine]
        for at, clip in self._before:
            track.clips.insert(at, clip)
        return Change(ChangeKind.CLIP, (track.id,), (self.clip_id, *(clip.id for clip in self.copies)))

    def merge(self, other: Edit) -> bool:
        if not (isinstance(other, RepeatLoop) and other.clip_id == self.clip_id and self.gesture is not None
                and other.gesture is self.gesture):
            return False
        self.copies = other.copies  # the state the drag ended in; `_before` stays the state before it began
        return True
