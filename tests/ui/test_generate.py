"""Generating with the tiny model through the real window: takes, variations, cancel, progress."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.conftest import GENERATE_TIMEOUT_MS, assert_seconds, generate


def test_prompt_and_ctrl_return_make_a_take_of_the_asked_duration(qtbot, window, tiny_models):
    results = generate(qtbot, window, prompt="gentle ukulele grooves", duration=1.5)
    assert len(results) == 1
    take = window.takes.current
    assert take is not None and take.result is results[0]
    assert_seconds(take.result.audio, take.result.sample_rate, 1.5)
    assert take.prompt == "gentle ukulele grooves"
    assert take.model == str(tiny_models.mono.resolve())
    assert take.seed == window.idea.seed.value()
    text = window.takes.list.currentItem().text()
    assert text.startswith("Take: gentle ukulele grooves") and "1.5 s" in text and "EnCodec" in text
    assert window.waveform.take is take and window.waveform.view.duration > 1.4
    assert window.idea.progress.stage.text().startswith("Done")
    assert "mono" in window.statusBar().model.text()
    assert window.idea.history.findText("gentle ukulele grooves") >= 0  # remembered for next time
    assert window.idea.generate_button.isEnabled() and not window.idea.cancel_button.isEnabled()


def test_variations_of_one_request_appear_together(qtbot, window):
    results = generate(qtbot, window, duration=1.0, variations=3)
    assert len(results) == 3
    groups = {take.group for take in window.takes.takes.values()}
    assert len(groups) == 1
    texts = [window.takes.list.item(row).text() for row in range(window.takes.list.count())]
    assert texts[0].startswith("Request") and "3 takes" in texts[0]
    assert [text.split(":")[0] for text in texts[1:]] == ["Take 1/3", "Take 2/3", "Take 3/3"]
    kept = window.document.sketch.takes  # kept with the sketch as they arrive, named by their labels
    assert [(k.name, k.variation, k.variations) for k in kept] == [("Take 1/3", 0, 3), ("Take 2/3", 1, 3),
                                                                   ("Take 3/3", 2, 3)]
    assert [k.media.tokens.tolist() for k in kept] == [result.tokens.tolist() for result in results]


def test_locked_seed_repeats_the_same_take(qtbot, window):
    window.idea.seed_lock.setChecked(True)
    window.idea.seed.setValue(1234)
    first = generate(qtbot, window, duration=1.0)[0]
    second = generate(qtbot, window, duration=1.0)[0]
    assert first.params["seed"] == second.params["seed"] == 1234
    assert (first.tokens == second.tokens).all()


def test_escape_cancels_a_long_generation_within_a_step(qtbot, window):
    window.idea.prompt.setPlainText("long ambient pad")
    window.idea.duration.setValue(120.0)
    seen = []
    window.idea.generate_button.click()
    job = window.generation.job
    job.progress.connect(seen.append)
    assert window.idea.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: any(p.stage == "Generating" and p.done > 0 for p in seen), timeout=GENERATE_TIMEOUT_MS)
    assert "elapsed" in window.idea.progress.times.text()
    with qtbot.waitSignal(job.cancelled, timeout=5000):
        qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert window.idea.progress.stage.text() == "Cancelled"
    assert window.takes.takes == {}
    assert window.idea.generate_button.isEnabled()
    # The engine is ready again right away.
    results = generate(qtbot, window, duration=1.0)
    assert len(results) == 1


def test_an_empty_prompt_is_explained_not_sent(qtbot, window):
    window.idea.prompt.setPlainText("   ")
    window.idea.generate_button.click()
    assert "prompt" in window.banner.text
    assert window.generation.job is None
