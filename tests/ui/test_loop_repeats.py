"""A loop clip's right edge dragged longer lays whole repeats of it end to end (whole bars), one undo
step per drag; shorter again takes them back; an ordinary clip's edge still trims."""

from __future__ import annotations

import numpy as np
import pytest

from sketchpad.sketch import Clip, ClipMedia, Sketch, Track, mixdown
from sketchpad.ui.arrangement.timeline import Timeline
from tests.sketch.conftest import RATE
from tests.ui.test_timeline import SHIFT, drag, point
from tests.ui.timeline_sketches import shown_timeline

BAR = 2 * RATE  # one bar of 4/4 at 120 bpm


@pytest.fixture
def looping(qtbot) -> Timeline:
    t = np.arange(BAR) / RATE
    loop = ClipMedia(RATE, {"encodec": (0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)[None, :]},
                     origin="generated", tokens=np.zeros((4, 100), np.int16), model="m",
                     params={"loop": {"frames": BAR, "overlap": RATE // 4}})
    sketch = Sketch(tempo=120.0, tracks=[Track(name="Loops", clips=[Clip(loop, start=RATE, name="groove")])])
    with shown_timeline(qtbot, sketch, 1000, 300) as widget:
        yield widget


def test_dragging_a_loops_end_repeats_it_whole_and_undo_takes_the_repeats_back(qtbot, looping):
    sketch, stack = looping.sketch, looping.document.undo_stack
    loop = sketch.tracks[0].clips[0]
    steps = stack.count()
    inside = point(looping, loop.end, 0)
    inside.setX(inside.x() - 2)  # just inside the right edge
    drag(qtbot, looping, inside, point(looping, loop.end + 2.2 * BAR, 0), modifier=SHIFT)
    clips = sorted(sketch.tracks[0].clips, key=lambda c: c.start)
    assert [c.start for c in clips] == [RATE, RATE + BAR, RATE + 2 * BAR]  # two whole repeats, end to end
    assert all(c.media is loop.media and c.length == BAR for c in clips)
    assert stack.count() == steps + 1  # one drag, one undo step
    mix = mixdown(sketch)
    np.testing.assert_array_equal(mix[:, RATE + BAR:RATE + 2 * BAR], mix[:, RATE:RATE + BAR])
    stack.undo()
    assert [c.id for c in sketch.tracks[0].clips] == [loop.id]
    stack.redo()
    assert len(sketch.tracks[0].clips) == 3


def test_an_ordinary_clips_end_still_trims(qtbot, looping):
    sketch = looping.sketch
    plain = ClipMedia(RATE, {"source": np.zeros((1, BAR), np.float32)})
    from sketchpad.sketch import AddClip

    looping.push(AddClip(sketch.tracks[0].id, Clip(plain, start=6 * RATE, name="plain")))
    clip = next(c for c in sketch.tracks[0].clips if c.name == "plain")
    inside = point(looping, clip.end, 0)
    inside.setX(inside.x() - 2)
    drag(qtbot, looping, inside, point(looping, clip.end - RATE // 2, 0), modifier=SHIFT)
    assert sketch.clip(clip.id).trim_out > 0 and len(sketch.tracks[0].clips) == 2
