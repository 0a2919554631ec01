"""Property, on the undo path the app uses (the document's QUndoStack): for any sequence of edits,
drags and slider moves merged by gesture included, undoing everything walks back through exactly the
states seen going forward, and redoing everything walks forward again, with the very same clip and
media objects."""

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
from sketchpad.ui.files.document import SketchDocument
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


class Gestures:
    """A gesture token for an edit: none, the current gesture's (it goes on), or a new gesture's."""

    def __init__(self, data: st.DataObject) -> None:
        self.data, self.current = data, 0

    def __call__(self) -> int | None:
        choice = self.data.draw(st.sampled_from(["none", "same", "new"]))
        if choice == "new":
            self.current += 1
        return None if choice == "none" else self.current


def draw_edit(data: st.DataObject, sketch: Sketch, gesture: Gestures) -> Edit | None:
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
        "move": lambda: MoveClip(clip.id, start=data.draw(small), gesture=gesture()),
        "move_across": lambda: MoveClip(clip.id, start=data.draw(small), track_id=track.id, gesture=gesture()),
        "trim": lambda: TrimClip(clip.id, trim_in=data.draw(st.integers(0, 300)), trim_out=data.draw(small),
                                 gesture=gesture()),
        "split": lambda: SplitClip(clip.id, at=data.draw(st.integers(clip.start, clip.end))),
        "duplicate": lambda: DuplicateClip(clip.id, start=data.draw(st.none() | small), track_id=track.id),
        "clip_gain": lambda: SetClipGain(clip.id, gain_db=data.draw(st.floats(-130, 30)), gesture=gesture()),
        "fades": lambda: SetClipFades(clip.id, fade_in=data.draw(small), fade_out=data.draw(small),
                                      gesture=gesture()),
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
        "track_gain": lambda: SetTrackGain(track.id, data.draw(st.floats(-130, 30)), gesture=gesture()),
        "pan": lambda: SetTrackPan(track.id, data.draw(st.floats(-1.2, 1.2)), gesture=gesture()),
        "mute": lambda: SetTrackMute(track.id, data.draw(st.booleans())),
        "solo": lambda: SetTrackSolo(track.id, data.draw(st.booleans())),
        "title": lambda: SetTitle(data.draw(st.text(max_size=4))),
        "tempo": lambda: SetTempo(data.draw(st.none() | st.floats(10, 500))),
        "loop": lambda: SetLoop(data.draw(st.none() | st.tuples(small, small))),
    }
    return edits[kind]()


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), steps=st.integers(1, 25))
def test_undo_then_redo_returns_identical_documents(qapp, data: st.DataObject, steps: int) -> None:
    document = SketchDocument()
    document.replace(build_sketch())
    sketch, stack = document.sketch, document.undo_stack
    gesture = Gestures(data)
    states = [full_state(sketch)]
    for _ in range(steps):
        edit = draw_edit(data, sketch, gesture)
        before = full_state(sketch)
        depth = stack.count()
        try:
            document.push(edit)
        except (ValueError, KeyError):
            assert full_state(sketch) == before  # a refused edit changes nothing
            continue
        if stack.count() == depth:  # merged into the previous step: the same gesture
            states[-1] = full_state(sketch)
        else:
            states.append(full_state(sketch))
    for expected in reversed(states[:-1]):
        stack.undo()
        assert full_state(sketch) == expected
    assert not stack.canUndo()
    for expected in states[1:]:
        stack.redo()
        assert full_state(sketch) == expected
