"""Importing audio onto a sketch without a tempo says its tempo, metre and key and offers them as one
click, one undo step; a melody import says the same; a sketch with a tempo is told, not offered."""

from __future__ import annotations

import soundfile as sf

from sketchpad.sketch import SetTempo
from tests.audio.music import RATE, drums, progression
from tests.ui.test_arrangement_window import import_file


def _groove(folder, name="groove.wav", bpm=97):
    path = folder / name
    sf.write(path, (drums(bpm, seconds=20)[0] + progression(57, True, seconds=20)[0]) * 0.5, RATE)
    return path


def test_an_import_offers_its_tempo_and_one_click_applies_it_as_one_step(qtbot, window, tmp_path):
    with qtbot.waitSignal(window.tempo_offer.analysed, timeout=60_000):
        import_file(qtbot, window, _groove(tmp_path), None, 0)
    banner = window.banner
    assert "“groove.wav” sounds like 97.0 bpm, in 4/4, A minor" in banner.text and "no tempo yet" in banner.text
    assert banner.action_button.isVisible() and banner.action_button.text() == "Use 97 bpm, 4/4"
    steps = window.document.undo_stack.count()
    banner.action_button.click()
    sketch = window.document.sketch
    assert sketch.tempo == 97.0 and sketch.metre == (4, 4) and window.document.undo_stack.count() == steps + 1
    assert banner.text == "" and window.transport.tempo_field.value() == 97.0
    window.document.undo_stack.undo()
    assert window.document.sketch.tempo is None


def test_a_sketch_with_a_tempo_is_told_and_a_melody_import_says_the_same(qtbot, window, tmp_path):
    window.timeline.push(SetTempo(120.0))
    with qtbot.waitSignal(window.tempo_offer.analysed, timeout=60_000):
        import_file(qtbot, window, _groove(tmp_path, bpm=133), None, 0)
    assert "133.0 bpm" in window.banner.text and not window.banner.action_button.isVisible()
    assert window.document.sketch.tempo == 120.0
    with qtbot.waitSignal(window.tempo_offer.analysed, timeout=60_000) as found:
        window.idea.melody.set_source(progression(60, False)[0][None, :], RATE, "tune.wav")
    assert found.args[1].key == "C major" and "“tune.wav” sounds like C major" in window.banner.text
