"""A melody or a recording with nothing usable says why in a sentence read whole: wrapped to the idea
panel, at the narrowest window, never cut off with "…"."""

from __future__ import annotations

import numpy as np

from tests.ui.fit_checks import widgets_outside


def test_nothing_usable_is_said_whole_and_wrapped(qtbot, window, tiny_models):
    window.resize(1024, 768)
    window.idea.models.select(str(tiny_models.melody))
    slot = window.idea.melody
    name = "Recorded take (3.0 s, from the default microphone at 44100 Hz)"
    slot.set_source(np.zeros((1, 44100 * 3), np.float32), 44100, name)  # silence: nothing to follow
    qtbot.waitUntil(slot.unusable.isVisible, timeout=2_000)
    window.idea.show_melody()
    qtbot.wait(50)
    sentence = slot.unusable.text()
    assert sentence.startswith(f"Nothing usable in {name}: ") and len(sentence) > len(name) + 30
    assert slot.status.text() == f"{name}: nothing usable" and slot.status.toolTip() in ("", slot.status.text())
    label = slot.unusable
    lines = label.height() // label.fontMetrics().lineSpacing()
    assert label.fontMetrics().horizontalAdvance(sentence) > label.width() and lines >= 2  # wrapped, all of it
    assert label.height() >= label.heightForWidth(label.width())
    assert widgets_outside(window) == []
    hum = np.sin(np.arange(44100 * 2) * 2 * np.pi * 220 / 44100).astype(np.float32)[None, :] * 0.3
    slot.set_source(hum, 44100, "hum.wav")
    assert not slot.unusable.isVisible() and "uses" in slot.status.text()
