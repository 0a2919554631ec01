"""Clips end to end, on a track or a new one named for its place: one rule for an import, kept takes
added to the timeline, a paste and Add Track."""

from __future__ import annotations

import numpy as np

from sketchpad.sketch import ClipMedia, EditGroup, Sketch, Track, end_to_end, media_from_audio, next_track
from tests.sketch.conftest import RATE


def tone(seconds: float) -> ClipMedia:
    return media_from_audio(np.full((1, int(seconds * RATE)), 0.1, np.float32), RATE, RATE)


def test_clips_go_end_to_end_on_a_new_track_named_for_its_place():
    sketch = Sketch(sample_rate=RATE, tracks=[Track(name="Drums")])
    edit, clips = end_to_end(sketch, [(tone(1.0), "a"), (tone(0.5), "b")], None, RATE, "Import audio")
    assert isinstance(edit, EditGroup) and edit.label == "Import audio"
    edit.apply(sketch)
    assert [track.name for track in sketch.tracks] == ["Drums", "Track 2"]
    assert [(clip.name, clip.start, clip.end) for clip in sketch.tracks[1].clips] == [
        ("a", RATE, 2 * RATE), ("b", 2 * RATE, 2 * RATE + RATE // 2)]
    assert [clip.id for clip in clips] == [clip.id for clip in sketch.tracks[1].clips]
    edit.inverse().apply(sketch)
    assert [track.name for track in sketch.tracks] == ["Drums"]


def test_on_a_track_they_follow_its_end_unless_told_where_and_a_gone_track_becomes_a_new_one():
    sketch = Sketch(sample_rate=RATE, tracks=[Track(name="Keys")])
    end_to_end(sketch, [(tone(1.0), "first")], sketch.tracks[0].id, None, "Add")[0].apply(sketch)
    edit, clips = end_to_end(sketch, [(tone(1.0), "second")], sketch.tracks[0].id, None, "Add")
    edit.apply(sketch)
    assert clips[0].start == RATE and edit.label == "Add clip"  # one edit keeps its own label
    edit, _ = end_to_end(sketch, [(tone(1.0), "third")], "no-such-track", None, "Add")
    edit.apply(sketch)
    assert [track.name for track in sketch.tracks] == ["Keys", "Track 2"] and sketch.tracks[1].clips[0].start == 0
    assert next_track(sketch).name == "Track 3" and next_track(sketch, pending=2).name == "Track 5"
