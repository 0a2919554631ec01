"""Edits to tracks and sketch settings: add, delete, reorder, rename, gain, pan, mute, solo,
title, tempo, loop; and attaching a newly decoded audio to a clip's media."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np

from sketchpad.sketch.edits import Edit
from sketchpad.sketch.media import frozen_audio
from sketchpad.sketch.model import Change, ChangeKind, Sketch, Track, check_sketch_setting, check_track_setting


@dataclass(eq=False)
class AddTrack(Edit):
    track: Track
    index: int | None = None
    _at: int = field(default=-1, init=False, repr=False)
    label = "Add track"

    def _apply(self, sketch: Sketch) -> Change:
        if any(t.id == self.track.id for t in sketch.tracks):
            raise ValueError(f"the sketch already has a track {self.track.id!r}")
        existing = {clip.id for _, clip in sketch.iter_clips()}
        for clip in self.track.clips:
            if clip.id in existing or clip.media.sample_rate != sketch.sample_rate:
                raise ValueError(f"clip {clip.id!r} clashes with the sketch (id or sample rate)")
        count = len(sketch.tracks)
        self._at = count if self.index is None else min(max(self.index, 0), count)
        sketch.tracks.insert(self._at, self.track)
        return Change(ChangeKind.TRACKS, (self.track.id,))

    def _revert(self, sketch: Sketch) -> Change:
        assert sketch.tracks[self._at] is self.track, "revert out of order"
        del sketch.tracks[self._at]
        return Change(ChangeKind.TRACKS, (self.track.id,))


@dataclass(eq=False)
class DeleteTrack(Edit):
    """Remove a track with its clips; undo puts the same track object back where it was."""

    track_id: str
    _before: tuple[int, Track] | None = field(default=None, init=False, repr=False)
    label = "Delete track"

    def _apply(self, sketch: Sketch) -> Change:
        index = sketch.track_index(self.track_id)
        self._before = (index, sketch.tracks.pop(index))
        return Change(ChangeKind.TRACKS, (self.track_id,))

    def _revert(self, sketch: Sketch) -> Change:
        assert self._before is not None, "revert before apply"
        index, track = self._before
        sketch.tracks.insert(index, track)
        return Change(ChangeKind.TRACKS, (self.track_id,))


@dataclass(eq=False)
class MoveTrack(Edit):
    """Reorder: the track ends up at `index` (clamped to the track list)."""

    track_id: str
    index: int
    _from: int = field(default=-1, init=False, repr=False)
    label = "Reorder tracks"

    def _apply(self, sketch: Sketch) -> Change:
        self._from = sketch.track_index(self.track_id)
        track = sketch.tracks.pop(self._from)
        sketch.tracks.insert(min(max(self.index, 0), len(sketch.tracks)), track)
        return Change(ChangeKind.TRACKS, (self.track_id,))

    def _revert(self, sketch: Sketch) -> Change:
        track = sketch.tracks.pop(sketch.track_index(self.track_id))
        sketch.tracks.insert(self._from, track)
        return Change(ChangeKind.TRACKS, (self.track_id,))


@dataclass(eq=False)
class TrackSetting(Edit):
    """Set one track setting (`setting` names the Track field); knob drags merge."""

    track_id: str
    value: object
    gesture: object = field(default=None, kw_only=True)
    _old: object = field(default=None, init=False, repr=False)
    setting: ClassVar[str] = ""
    mergeable: ClassVar[bool] = False

    def _apply(self, sketch: Sketch) -> Change:
        track = sketch.track(self.track_id)
        value = check_track_setting(self.setting, self.value)
        self._old = getattr(track, self.setting)
        setattr(track, self.setting, value)
        return Change(ChangeKind.TRACK, (self.track_id,))

    def _revert(self, sketch: Sketch) -> Change:
        setattr(sketch.track(self.track_id), self.setting, self._old)
        return Change(ChangeKind.TRACK, (self.track_id,))

    def merge(self, other: Edit) -> bool:
        if (
            self.mergeable
            and type(other) is type(self)
            and isinstance(other, TrackSetting)
            and other.track_id == self.track_id
            and self.gesture is not None
            and other.gesture == self.gesture
        ):
            self.value = other.value
            return True
        return False


class RenameTrack(TrackSetting):
    setting, label = "name", "Rename track"


class SetTrackGain(TrackSetting):
    setting, label, mergeable = "gain_db", "Track gain", True


class SetTrackPan(TrackSetting):
    setting, label, mergeable = "pan", "Track pan", True


class SetTrackMute(TrackSetting):
    setting, label = "mute", "Mute track"


class SetTrackSolo(TrackSetting):
    setting, label = "solo", "Solo track"


@dataclass(eq=False)
class SketchSetting(Edit):
    value: object
    _old: object = field(default=None, init=False, repr=False)
    setting: ClassVar[str] = ""

    def _apply(self, sketch: Sketch) -> Change:
        value = check_sketch_setting(self.setting, self.value, sketch.sample_rate)
        self._old = getattr(sketch, self.setting)
        setattr(sketch, self.setting, value)
        return Change(ChangeKind.SKETCH)

    def _revert(self, sketch: Sketch) -> Change:
        setattr(sketch, self.setting, self._old)
        return Change(ChangeKind.SKETCH)


class SetTitle(SketchSetting):
    setting, label = "title", "Rename sketch"


class SetTempo(SketchSetting):
    setting, label = "tempo", "Tempo"


class SetLoop(SketchSetting):
    setting, label = "loop", "Loop region"


class SetMetre(SketchSetting):
    setting, label = "metre", "Metre"


@dataclass(eq=False)
class SetMasterGain(SketchSetting):
    """The master fader; a fader's travel in one gesture is one undo step."""

    gesture: object = field(default=None, kw_only=True)
    setting: ClassVar[str] = "master_gain_db"
    label = "Master gain"

    def merge(self, other: Edit) -> bool:
        if isinstance(other, SetMasterGain) and self.gesture is not None and other.gesture == self.gesture:
            self.value = other.value
            return True
        return False


@dataclass(eq=False)
class AttachDecoderAudio(Edit):
    """Give a clip's media the audio of another decoder (e.g. MBD, decoded from its tokens).

    The media is shared, so every clip cut from the same tokens gains it; none switches to it
    (that is `SetClipDecoder`). Replacing audio that clips play is refused if their trims and
    fades would no longer fit."""

    clip_id: str
    decoder: str
    audio: np.ndarray
    _old: np.ndarray | None = field(default=None, init=False, repr=False)
    label = "Decode clip"

    def __post_init__(self) -> None:
        # Frozen once, so every redo attaches the very same array.
        self.audio = frozen_audio(self.audio, f"{self.decoder} audio")

    def _apply(self, sketch: Sketch) -> Change:
        media = sketch.clip(self.clip_id).media
        media.check_decoder_name(self.decoder)
        audio = self.audio
        if audio.shape[0] != media.channels:
            raise ValueError(
                f"{self.decoder} audio has {audio.shape[0]} channels, the clip has {media.channels}"
            )
        users = [c for _, c in sketch.iter_clips() if c.media is media and c.decoder == self.decoder]
        for clip in users:
            left = audio.shape[1] - clip.trim_in - clip.trim_out
            if left < max(1, clip.fade_in, clip.fade_out):
                raise ValueError(
                    f"clip {clip.id!r} trims or fades would not fit the new {self.decoder} audio"
                )
        self._old = media.audio.get(self.decoder)
        media.audio[self.decoder] = audio
        return Change(ChangeKind.MEDIA, clip_ids=tuple(c.id for _, c in sketch.iter_clips() if c.media is media))

    def _revert(self, sketch: Sketch) -> Change:
        media = sketch.clip(self.clip_id).media
        if self._old is None:
            del media.audio[self.decoder]
        else:
            media.audio[self.decoder] = self._old
        return Change(ChangeKind.MEDIA, clip_ids=tuple(c.id for _, c in sketch.iter_clips() if c.media is media))
