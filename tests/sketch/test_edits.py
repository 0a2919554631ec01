"""Each edit does what it says, its inverse restores the very same objects, drags merge."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from sketchpad.sketch import (
    AddClip,
    AddTrack,
    AttachDecoderAudio,
    Change,
    ChangeKind,
    Clip,
    DeleteClip,
    DeleteTrack,
    DuplicateClip,
    EditGroup,
    GestureGroup,
    MoveClip,
    MoveTrack,
    RenameClip,
    RenameTrack,
    SetClipDecoder,
    SetClipFades,
    SetClipGain,
    SetLoop,
    SetTempo,
    SetTitle,
    SetTrackGain,
    SetTrackMute,
    SetTrackPan,
    SetTrackSolo,
    Sketch,
    SplitClip,
    Track,
    TrimClip,
)
from tests.sketch.conftest import generated_media, noise, state


def roundtrip(sketch: Sketch, edit) -> dict:
    """Apply, check undo restores the state exactly (same objects), redo again; return the edited state."""
    before_state, before_tracks = state(sketch), [(t, list(t.clips)) for t in sketch.tracks]
    edit.apply(sketch)
    after = state(sketch)
    edit.inverse().apply(sketch)
    assert state(sketch) == before_state
    assert all(t is u and c == t.clips for (t, c), u in zip(before_tracks, sketch.tracks, strict=True))
    edit.apply(sketch)
    assert state(sketch) == after
    return after


def test_move_clip_within_and_across_tracks(sketch: Sketch) -> None:
    drums, voice, _ = sketch.tracks
    clip = drums.clips[1]
    roundtrip(sketch, MoveClip(clip.id, start=777))
    assert sketch.clip(clip.id).start == 777 and drums.clips[1].id == clip.id
    roundtrip(sketch, MoveClip(clip.id, start=10, track_id=voice.id))
    assert sketch.find_clip(clip.id) == (voice, 1) and len(drums.clips) == 2


def test_trim_keeps_audio_in_place_and_shortens_fades(sketch: Sketch) -> None:
    clip = sketch.tracks[0].clips[0]  # start 0, trim_in 100, fade_in 200, fade_out 300
    roundtrip(sketch, TrimClip(clip.id, trim_in=150, trim_out=3700))
    trimmed = sketch.clip(clip.id)
    assert (trimmed.start, trimmed.length, trimmed.fade_in, trimmed.fade_out) == (50, 150, 150, 150)
    with pytest.raises(ValueError, match="past the start"):
        TrimClip(clip.id, trim_in=0, trim_out=0).apply(sketch)


def test_split_makes_two_clips_sharing_media_that_play_the_same(sketch: Sketch) -> None:
    from sketchpad.sketch import mixdown

    before = mixdown(sketch)
    clip = sketch.tracks[0].clips[0]
    split = SplitClip(clip.id, at=1000)
    roundtrip(sketch, split)
    left, right = sketch.tracks[0].clips[0:2]
    assert (left.id, right.id, left.end, right.start) == (clip.id, split.new_id, 1000, 1000)
    assert left.media is right.media is clip.media
    assert (left.fade_in, left.fade_out, right.fade_in, right.fade_out) == (200, 0, 0, 300)
    assert np.allclose(mixdown(sketch)[:, :900], before[:, :900], atol=1e-6)  # away from the old fade
    with pytest.raises(ValueError, match="not inside"):
        SplitClip(clip.id, at=0).apply(sketch)


def test_duplicate_shares_media_and_lands_after(sketch: Sketch) -> None:
    clip = sketch.tracks[1].clips[0]
    dup = DuplicateClip(clip.id)
    roundtrip(sketch, dup)
    copy = sketch.clip(dup.new_id)
    assert copy.start == clip.end and copy.media is clip.media and copy.audio is clip.audio


def test_add_and_delete_clip(sketch: Sketch) -> None:
    spare = sketch.tracks[2]
    new = Clip(generated_media(seed=9), start=42)
    roundtrip(sketch, AddClip(spare.id, new))
    assert spare.clips == [new]
    with pytest.raises(ValueError, match="already has a clip"):
        AddClip(spare.id, new).apply(sketch)
    gone = sketch.tracks[0].clips[1]
    roundtrip(sketch, DeleteClip(gone.id))
    assert gone.id not in [c.id for _, c in sketch.iter_clips()]


def test_clip_settings(sketch: Sketch) -> None:
    clip = sketch.tracks[0].clips[0]
    roundtrip(sketch, SetClipGain(clip.id, gain_db=-9.0))
    roundtrip(sketch, SetClipFades(clip.id, fade_in=10, fade_out=20))
    roundtrip(sketch, SetClipDecoder(clip.id, decoder="mbd"))
    roundtrip(sketch, RenameClip(clip.id, name="renamed"))
    assert dataclasses.astuple(sketch.clip(clip.id))[4:9] == (-9.0, 10, 20, "mbd", "renamed")
    with pytest.raises(ValueError, match="gain"):
        SetClipGain(clip.id, gain_db=float("nan")).apply(sketch)


def test_track_edits(sketch: Sketch) -> None:
    drums, voice, spare = sketch.tracks
    roundtrip(sketch, RenameTrack(drums.id, "Beats"))
    roundtrip(sketch, SetTrackGain(drums.id, -6.0))
    roundtrip(sketch, SetTrackPan(drums.id, 1.0))
    roundtrip(sketch, SetTrackMute(voice.id, True))
    roundtrip(sketch, SetTrackSolo(spare.id, True))
    assert (drums.name, drums.gain_db, drums.pan, voice.mute, spare.solo) == ("Beats", -6.0, 1.0, True, True)
    roundtrip(sketch, MoveTrack(spare.id, 0))
    assert sketch.tracks == [spare, drums, voice]
    roundtrip(sketch, DeleteTrack(drums.id))
    assert sketch.tracks == [spare, voice]
    new = Track(name="New")
    roundtrip(sketch, AddTrack(new, index=1))
    assert sketch.tracks[1] is new
    with pytest.raises(ValueError, match="pan"):
        SetTrackPan(voice.id, -2.0).apply(sketch)


def test_sketch_settings(sketch: Sketch) -> None:
    roundtrip(sketch, SetTitle("Tune"))
    roundtrip(sketch, SetTempo(None))
    roundtrip(sketch, SetLoop((0, 10)))
    assert (sketch.title, sketch.tempo, sketch.loop) == ("Tune", None, (0, 10))


def test_attaching_decoder_audio_reaches_every_clip_of_the_media(sketch: Sketch) -> None:
    clip = sketch.tracks[0].clips[2]  # encodec only
    mbd = noise(2, clip.source_frames, seed=5)
    roundtrip(sketch, AttachDecoderAudio(clip.id, "mbd", mbd))
    assert np.shares_memory(clip.media.audio["mbd"], mbd)
    SetClipDecoder(clip.id, decoder="mbd").apply(sketch)
    SetClipFades(clip.id, fade_in=100, fade_out=0).apply(sketch)
    with pytest.raises(ValueError, match="would not fit"):
        AttachDecoderAudio(clip.id, "mbd", noise(2, 5)).apply(sketch)
    with pytest.raises(ValueError, match="channels"):
        AttachDecoderAudio(clip.id, "mbd", noise(1, 4000)).apply(sketch)


def test_a_failing_group_changes_nothing(sketch: Sketch) -> None:
    before = state(sketch)
    clip = sketch.tracks[0].clips[0]
    group = EditGroup([SetClipGain(clip.id, gain_db=-3.0), MoveClip("missing", start=1)], "Two things")
    with pytest.raises(KeyError):
        group.apply(sketch)
    assert state(sketch) == before


def test_listeners_are_told_what_changed(sketch: Sketch) -> None:
    heard: list[Change] = []
    sketch.subscribe(heard.append)
    drums, voice, _ = sketch.tracks
    clip = drums.clips[0]
    MoveClip(clip.id, start=5, track_id=voice.id).apply(sketch)
    SetTrackMute(voice.id, True).apply(sketch)
    assert heard == [Change(ChangeKind.CLIP, (drums.id, voice.id), (clip.id,)), Change(ChangeKind.TRACK, (voice.id,))]


def moves(sketch: Sketch, starts: list[int], gesture: object) -> GestureGroup:
    """One press of a nudge: the first clip of each of the first two tracks to these starts."""
    clips = [sketch.tracks[0].clips[0], sketch.tracks[1].clips[0]]
    return GestureGroup([MoveClip(clip.id, start=start, gesture=gesture) for clip, start in zip(clips, starts,
                                                                                              strict=True)],
                        "Nudge clips", gesture=gesture)


def test_a_gesture_group_folds_its_followers_into_one_step(sketch: Sketch) -> None:
    before, token = state(sketch), object()
    first = moves(sketch, [10, 1300], token)
    first.apply(sketch)
    for step in range(2, 5):  # three more presses of the same burst
        later = moves(sketch, [10 * step, 1300 + 10 * step], token)
        later.apply(sketch)
        assert first.merge(later)
    assert [edit.start for edit in first.edits] == [40, 1340]
    after = state(sketch)
    first.inverse().apply(sketch)  # one undo step: back to before the first press
    assert state(sketch) == before
    first.apply(sketch)
    assert state(sketch) == after and first.label == "Nudge clips"


def test_a_gesture_group_merges_only_the_same_gesture_of_the_same_clips(sketch: Sketch) -> None:
    token = object()
    clip, other = sketch.tracks[0].clips[0], sketch.tracks[1].clips[0]
    first = moves(sketch, [10, 1300], token)
    first.apply(sketch)
    refused = [
        moves(sketch, [20, 1310], object()),  # another gesture
        GestureGroup(list(moves(sketch, [20, 1310], token).edits), "Nudge clips"),  # no gesture at all
        EditGroup(list(moves(sketch, [20, 1310], token).edits), "Nudge clips"),  # not a gesture group
        GestureGroup([MoveClip(clip.id, start=20, gesture=token)], gesture=token),  # fewer members
        GestureGroup([MoveClip(other.id, start=20, gesture=token), MoveClip(clip.id, start=1310, gesture=token)],
                     gesture=token),  # the same clips in another order
        GestureGroup([MoveClip(clip.id, start=20, gesture=token), SetClipGain(other.id, gain_db=-1.0,
                                                                             gesture=token)],
                     gesture=token),  # another kind of change
        GestureGroup([MoveClip(clip.id, start=20, gesture=token), MoveClip(other.id, start=1310)],
                     gesture=token),  # a member outside the gesture
    ]
    for follower in refused:
        assert not first.merge(follower)
    # Every pair is checked before any merges: a refused follower leaves even the first member alone.
    assert [edit.start for edit in first.edits] == [10, 1300]
    assert not GestureGroup([RenameClip(clip.id, "a", gesture=token)], gesture=token).merge(
        GestureGroup([RenameClip(clip.id, "b", gesture=token)], gesture=token))  # renames never merge
    none = GestureGroup(list(moves(sketch, [20, 1310], None).edits))
    assert not none.merge(GestureGroup(list(moves(sketch, [30, 1320], None).edits)))  # no gesture: no merge
