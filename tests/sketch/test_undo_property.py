"""Property: for any sequence of edits (merged drags included), undoing everything walks back
through exactly the states seen going forward, and redoing everything walks forward again, with
the very same clip and media objects."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sketchpad.sketch import (
    AddClip,
    AddTrack,
    AttachDecoderAudio,
    Clip,
    DeleteClip,
    DeleteTrack,
    DuplicateClip,
    Edit,
    History,
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
from tests.sketch.conftest import build_sketch, generated_media, noise, state

KINDS = [
    "add_clip",
    "delete_clip",
    "move",
    "move_across",
    "trim",
    "split",
    "duplicate",
    "clip_gain",
    "fades",
    "decoder",
    "rename_clip",
    "attach",
    "add_track",
    "delete_track",
    "move_track",
    "rename_track",
    "track_gain",
    "pan",
    "mute",
    "solo",
    "title",
    "tempo",
    "loop",
]


def full_state(sketch: Sketch) -> tuple:
    """`state` plus object identity of every track, clip, media and array."""
    identity = [
        (id(t), [(id(c), id(c.media), tuple(id(a) for a in c.media.audio.values())) for c in t.clips])
        for t in sketch.tracks
    ]
    return state(sketch), identity


def draw_edit(data: st.DataObject, sketch: Sketch) -> Edit | None:
    kind = data.draw(st.sampled_from(KINDS))
    small = st.integers(0, 3000)
    clips = [c for _, c in sketch.iter_clips()]
    if kind == "add_track" or not sketch.tracks:
        return AddTrack(Track(name=data.draw(st.text(max_size=5))), index=data.draw(st.integers(-1, 5)))
    track = data.draw(st.sampled_from(sketch.tracks))
    if kind == "add_clip" or not clips:
        media = generated_media(data.draw(st.sampled_from([1, 2])), 400, seed=data.draw(st.integers(0, 5)))
        return AddClip(
            track.id, Clip(media, start=data.draw(small)), index=data.draw(st.none() | st.integers(0, 3))
        )
    clip = data.draw(st.sampled_from(clips))
    edits = {
        "delete_clip": lambda: DeleteClip(clip.id),
        "move": lambda: MoveClip(clip.id, start=data.draw(small)),
        "move_across": lambda: MoveClip(clip.id, start=data.draw(small), track_id=track.id),
        "trim": lambda: TrimClip(clip.id, trim_in=data.draw(st.integers(0, 300)), trim_out=data.draw(small)),
        "split": lambda: SplitClip(clip.id, at=data.draw(st.integers(clip.start, clip.end))),
        "duplicate": lambda: DuplicateClip(clip.id, start=data.draw(st.none() | small), track_id=track.id),
        "clip_gain": lambda: SetClipGain(clip.id, gain_db=data.draw(st.floats(-130, 30))),
        "fades": lambda: SetClipFades(clip.id, fade_in=data.draw(small), fade_out=data.draw(small)),
        "decoder": lambda: SetClipDecoder(
            clip.id, decoder=data.draw(st.sampled_from(["encodec", "mbd", "x"]))
        ),
        "rename_clip": lambda: RenameClip(clip.id, name=data.draw(st.text(max_size=4))),
        "attach": lambda: AttachDecoderAudio(
            clip.id, "mbd", noise(clip.channels, data.draw(st.integers(1, 600)))
        ),
        "delete_track": lambda: DeleteTrack(track.id),
        "move_track": lambda: MoveTrack(track.id, data.draw(st.integers(-1, 5))),
        "rename_track": lambda: RenameTrack(track.id, data.draw(st.text(max_size=4))),
        "track_gain": lambda: SetTrackGain(track.id, data.draw(st.floats(-130, 30))),
        "pan": lambda: SetTrackPan(track.id, data.draw(st.floats(-1.2, 1.2))),
        "mute": lambda: SetTrackMute(track.id, data.draw(st.booleans())),
        "solo": lambda: SetTrackSolo(track.id, data.draw(st.booleans())),
        "title": lambda: SetTitle(data.draw(st.text(max_size=4))),
        "tempo": lambda: SetTempo(data.draw(st.none() | st.floats(10, 500))),
        "loop": lambda: SetLoop(data.draw(st.none() | st.tuples(small, small))),
    }
    return edits[kind]()


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), steps=st.integers(1, 25))
def test_undo_then_redo_returns_identical_documents(data: st.DataObject, steps: int) -> None:
    sketch = build_sketch()
    history = History(sketch)
    states = [full_state(sketch)]
    for _ in range(steps):
        edit = draw_edit(data, sketch)
        before = full_state(sketch)
        depth = len(history._done)
        try:
            history.push(edit, merge=data.draw(st.booleans()))
        except (ValueError, KeyError):
            assert full_state(sketch) == before  # a refused edit changes nothing
            continue
        if len(history._done) == depth:  # merged into the previous step
            states[-1] = full_state(sketch)
        else:
            states.append(full_state(sketch))
    for expected in reversed(states[:-1]):
        history.undo()
        assert full_state(sketch) == expected
    assert not history.can_undo
    for expected in states[1:]:
        history.redo()
        assert full_state(sketch) == expected
