"""What a composer meets while a take is generated: the engine dying mid-take (the live state clears and
the seconds made so far are kept, marked partial), listening (the playhead moves; a take that finishes
while heard goes on as the kept take, never behind a hidden Listen), one figure for how long it took,
variations that say what reproduces them and can be generated again alone, and Restart Engine saying
what it did. All on the real window with the real engine process."""

from __future__ import annotations

import os
import re
import signal

import numpy as np

from sketchpad.engine.request import GenerationRequest, GenerationResult
from sketchpad.engine_link.messages import ModelFacts
from sketchpad.ui.common.engine_service import Generated
from sketchpad.ui.common.jobs import JobHandle
from sketchpad.workflow.takes import Take
from tests.ui.conftest import ENGINE_START_TIMEOUT_S, GENERATE_TIMEOUT_MS, generate
from tests.ui.test_live_take import RATE, _piece


def test_the_waveform_playhead_follows_the_live_take_while_it_is_heard(qtbot, window, virtual_alsa):
    live = window.live_take
    take = (np.sin(np.arange(4 * RATE) * 2 * np.pi * 220 / RATE) * 0.3).astype(np.float32)[None, :]
    job = JobHandle(lambda: None)
    live.follow(job, GenerationRequest(model="x", prompts=("x",), duration=4.0))
    job.partial.emit(_piece(take, 0, 2 * RATE))
    window.waveform.listen_action.trigger()
    qtbot.waitUntil(lambda: window.waveform.view.playhead > 0.5, timeout=5_000)
    assert abs(window.waveform.view.playhead - live.heard_seconds) < 0.2
    window.playback.stop()


def test_a_take_finishing_while_heard_goes_on_as_the_kept_take(qtbot, window, virtual_alsa):
    """The virtual device has no clock and races through what it is given, so what is checked is what the
    player was handed when the take finished: the kept take, from where the listener was."""
    live, waveform, playback = window.live_take, window.waveform, window.playback
    seconds = 8
    audio = (np.sin(np.arange(seconds * RATE) * 2 * np.pi * 220 / RATE) * 0.3).astype(np.float32)[None, :]
    job = JobHandle(lambda: None)
    live.follow(job, GenerationRequest(model="x", prompts=("x",), duration=float(seconds), seed=7))
    job.partial.emit(_piece(audio, 0, 3 * RATE))
    waveform.listen_action.trigger()
    qtbot.waitUntil(lambda: live.waits == 1, timeout=5_000)  # heard up to the edge of what exists
    played: list[tuple] = []
    playback.state_changed.connect(lambda state: played.append((state, playback.source)))
    result = GenerationResult(audio=audio, tokens=np.zeros((4, 200), np.int32), sample_rate=RATE,
                              params={"model": "x", "prompt": "x", "seed": 7})
    job.succeed(Generated([result], ModelFacts("x", False, 1, RATE, 30.0), 1.0))  # the engine's last word...
    window.generation.takes_ready.emit(1, [result])  # ...and the controller's, as for any finished request
    shown = waveform.take
    assert isinstance(shown, Take) and not waveform.listen_action.isVisible()  # the kept take is shown
    assert played[-1] == ("playing", shown) and playback.source is shown  # and what plays is that take
    assert playback.seconds >= 2.9  # from where the listener was, not from its start
    qtbot.waitUntil(lambda: waveform.view.playhead > 2.9, timeout=5_000)  # the shown take's playhead moves
    window.takes.stop_button.click()
    assert not playback.is_playing and playback.source is None


def test_one_figure_says_how_long_it_took(qtbot, window):
    generate(qtbot, window, duration=1.0)
    progress = window.idea.progress
    said = f"{progress.stage.text()} {progress.times.text()}"
    assert progress.stage.text() == "Done: 1 take" and progress.times.text().startswith("took ")
    assert len(re.findall(r"\d+:\d\d", said)) == 1, said


def test_variations_say_what_reproduces_them_and_one_can_be_generated_again_alone(qtbot, window):
    results = generate(qtbot, window, prompt="bright marimba", duration=1.0, variations=3)
    seed = results[0].params["seed"]
    panel = window.takes
    items = {panel.list.item(row).text().split(":")[0]: panel.list.item(row) for row in range(panel.list.count())}
    second = items["Take 2/3"]
    assert f"seed {seed} #2 of 3" in second.text() and f"seed {seed} #3 of 3" in items["Take 3/3"].text()
    menu = panel.menu_for(second)
    again = next(action for action in menu.actions() if action.text().startswith("Generate #2 Again"))
    assert again.isEnabled() and f"runs all 3 with seed {seed}" in again.text()
    with qtbot.waitSignal(window.generation.takes_ready, timeout=GENERATE_TIMEOUT_MS) as done:
        again.trigger()
    [redone] = done.args[1]  # one take kept, not three
    np.testing.assert_allclose(redone.audio, results[1].audio, atol=1e-5)  # the very variation, again
    assert redone.params["seed"] == seed and redone.params["batch_index"] == 1
    assert f"seed {seed} #2 of 3" in panel.list.currentItem().text()
    assert len(panel.takes) == 4


def test_restart_engine_says_it_restarted(qtbot, window, engine_service):
    first = engine_service.pid
    window.actions["restart_engine"].trigger()
    assert "Restarting the engine" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: engine_service.is_ready and engine_service.pid not in (None, first),
                    timeout=ENGINE_START_TIMEOUT_S * 1000)
    assert "restarted" in window.statusBar().currentMessage()
    assert window.statusBar().device.text().startswith("Generating on: This computer")


def test_an_engine_killed_mid_take_clears_the_live_state_and_keeps_the_partial_audio(qtbot, window, engine_service):
    live, waveform = window.live_take, window.waveform
    window.idea.prompt.setPlainText("long slow drone")
    window.idea.duration.setValue(60.0)
    window.idea.variations.setValue(2)
    window.idea.generate_button.click()
    qtbot.waitUntil(lambda: live.seconds_ready >= 1.0, timeout=GENERATE_TIMEOUT_MS)
    assert waveform.info.text().startswith("Generating:")
    heard_so_far = live.buffers[:, :, :live.available].copy()
    os.kill(engine_service.pid, signal.SIGKILL)  # as the out-of-memory killer would
    qtbot.waitUntil(lambda: not window.generation.busy, timeout=10_000)
    qtbot.waitUntil(lambda: len(window.takes.takes) == 2, timeout=5_000)
    assert "stopped unexpectedly" in window.banner.text
    assert live.buffers is None and not waveform.listen_action.isVisible()
    assert not waveform.info.text().startswith("Generating")  # the live state is gone
    kept = list(window.document.sketch.takes)
    for number, take in enumerate(kept, 1):  # at least the seconds heard: more may land before the kill does
        match = re.fullmatch(rf"Take {number}/2 \(partial: (\d+\.\d) of 60 s\)", take.name)
        assert match and float(match[1]) >= round(heard_so_far.shape[2] / RATE, 1), take.name
    first = window.takes.current
    assert first is not None and first.result.params["partial"] and first.seed == window.idea.seed.value()
    assert first.result.audio.shape[1] >= heard_so_far.shape[2]  # at least what had been heard
    np.testing.assert_array_equal(first.result.audio[:, :heard_so_far.shape[2]], heard_so_far[0])
    assert waveform.take is first and "partial" in window.takes.list.currentItem().text()
    assert window.document.is_dirty  # kept with the sketch: saved and autosaved with the rest
    assert "Kept what was generated" in window.statusBar().currentMessage()
