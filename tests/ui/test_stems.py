"""Split into Stems on the real window with the real engine (the tiny htdemucs): four tracks under the
clip's track, aligned with it, the original muted, the mix unchanged, one undo step."""

from __future__ import annotations

import numpy as np

from sketchpad.sketch import mixdown
from tests.ui.conftest import GENERATE_TIMEOUT_MS, hum_file
from tests.ui.test_arrangement_window import import_file


def test_a_clip_splits_into_four_aligned_stems_that_mix_back_to_it(qtbot, window, tmp_path):
    sketch = window.document.sketch
    first = import_file(qtbot, window, hum_file(tmp_path), None, 8000)[0]
    before = mixdown(window.document.sketch)
    clip = window.document.sketch.clip(first)
    window.timeline.select_clips([first])
    steps = window.document.undo_stack.count()
    with qtbot.waitSignal(window.stems.landed, timeout=GENERATE_TIMEOUT_MS):
        window.actions["split_stems"].trigger()
    sketch = window.document.sketch
    assert window.document.undo_stack.count() == steps + 1
    names = [track.name for track in sketch.tracks]
    base = clip.name
    assert names[1:5] == [f"{base} Drums", f"{base} Bass", f"{base} Other", f"{base} Vocals"]
    assert sketch.clip(first).muted
    for track in sketch.tracks[1:5]:
        (stem,) = track.clips
        assert stem.start == clip.start and stem.length == clip.length
    after = mixdown(sketch)
    assert after.shape == before.shape
    assert np.abs(after - before).max() < 1e-4  # the stems add up to the clip they replace
    window.document.undo_stack.undo()
    assert len(window.document.sketch.tracks) == 1 and not window.document.sketch.clip(first).muted
