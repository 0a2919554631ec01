"""SketchDocument keeps its followers listening to whichever sketch is open."""

from __future__ import annotations

from sketchpad.sketch import Change, ChangeKind, Sketch
from sketchpad.ui.files.document import SketchDocument


def test_followers_move_to_the_new_sketch_and_stop_when_unfollowing(qapp):
    document = SketchDocument()
    heard: list[Change] = []
    document.follow(heard.append)
    old = document.sketch
    document.replace(Sketch())
    old.notify(Change(ChangeKind.SKETCH))
    document.sketch.notify(Change(ChangeKind.TRACKS))
    document.unfollow(heard.append)
    document.sketch.notify(Change(ChangeKind.SKETCH))
    assert heard == [Change(ChangeKind.TRACKS)]
