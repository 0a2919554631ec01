"""The one undo path (the document's QUndoStack): a gesture is one step, steps stay apart otherwise,
and the saved state is known."""

from __future__ import annotations

import pytest

from sketchpad.sketch import MoveClip, RenameTrack, SetTrackGain, SetTrackMute, Sketch
from sketchpad.ui.files.document import SketchDocument
from tests.sketch.conftest import build_sketch


@pytest.fixture
def document(qapp) -> SketchDocument:
    document = SketchDocument()
    document.replace(build_sketch())
    return document


def test_a_drag_is_one_undo_step(document: SketchDocument) -> None:
    sketch: Sketch = document.sketch
    clip = sketch.tracks[0].clips[1]
    original = clip.start
    for start in range(6000, 6200):
        document.push(MoveClip(clip.id, start=start, gesture="drag"))
    document.push(MoveClip(clip.id, start=1, track_id=sketch.tracks[1].id, gesture="drag"))
    assert sketch.clip(clip.id).start == 1 and document.undo_stack.count() == 1
    document.undo_stack.undo()
    assert sketch.clip(clip.id) is clip and sketch.find_clip(clip.id)[1] == 1 and clip.start == original
    assert not document.undo_stack.canUndo()
    document.undo_stack.redo()
    assert sketch.find_clip(clip.id)[0] is sketch.tracks[1] and sketch.clip(clip.id).start == 1


def test_gestures_and_kinds_keep_steps_apart(document: SketchDocument) -> None:
    sketch = document.sketch
    clip_id, track_id = sketch.tracks[0].clips[0].id, sketch.tracks[0].id
    document.push(MoveClip(clip_id, start=10, gesture=1))
    document.push(MoveClip(clip_id, start=20, gesture=2))
    document.push(SetTrackGain(track_id, -1.0, gesture=3))
    document.push(SetTrackGain(track_id, -2.0, gesture=3))  # the same slider travel
    document.push(SetTrackGain(track_id, -3.0))  # typed in: a step of its own
    document.push(SetTrackMute(track_id, True))
    document.push(SetTrackMute(track_id, False))
    assert document.undo_stack.count() == 6


def test_the_saved_state_is_known_until_an_edit_moves_away(document: SketchDocument) -> None:
    track_id = document.sketch.tracks[0].id
    document.push(RenameTrack(track_id, "a"))
    document.undo_stack.setClean()
    document.push(RenameTrack(track_id, "b"))
    assert document.is_dirty
    document.undo_stack.undo()
    assert not document.is_dirty
    document.undo_stack.undo()
    document.push(RenameTrack(track_id, "c"))
    assert document.is_dirty and not document.undo_stack.canRedo()
