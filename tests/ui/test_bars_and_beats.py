"""Bars and beats on the window: tempo and metre fields, the grid on the ruler and the clip area, snap
(toggle, remembered, Shift or Alt for the opposite), the metronome through the player, a tempo in the
prompt, generation in whole bars, and the master fader."""

from __future__ import annotations

import math

import numpy as np
import pytest
import soundfile as sf
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor

from sketchpad.audio.player import PlayerState
from sketchpad.core.decibels import db_to_gain
from sketchpad.sketch import Clip, ClipMedia, ExportOptions, SetMetre, SetTempo, Sketch, Track, export_mix, mixdown
from sketchpad.ui.arrangement.timebase import TimebaseController
from sketchpad.ui.arrangement.timeline import Timeline
from sketchpad.ui.arrangement.timeline.geometry import grid_step
from sketchpad.ui.arrangement.timeline.ruler import Ruler
from tests.sketch.conftest import RATE
from tests.ui.conftest import GENERATE_TIMEOUT_MS, generate, make_window
from tests.ui.test_timeline import LEFT, NONE, SHIFT, clip_named, drag, frames_per_pixel, point
from tests.ui.timeline_sketches import document_with, two_track_sketch


def wired(window) -> TimebaseController:
    """The window's own timebase controller (tempo, metre, master, snap and metronome)."""
    assert isinstance(window.timebase, TimebaseController)
    return window.timebase


def open_in(qtbot, window, sketch: Sketch) -> Sketch:
    window.document.replace(sketch)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.waitUntil(window.timeline.view.isVisible)  # the timeline's new parts show on the next turn
    return window.document.sketch


def steps(window) -> list[str]:
    stack = window.document.undo_stack
    return [stack.text(i) for i in range(stack.count())]


def type_into(qtbot, field, text: str) -> None:
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Return)


# The fields and the grid
def test_tempo_and_metre_fields_edit_the_sketch_the_grid_follows_and_undo_puts_them_back(qtbot, window):
    wired(window)
    sketch = open_in(qtbot, window, two_track_sketch())
    transport, view = window.transport, window.timeline.view
    assert transport.tempo_field.text() == "no tempo" and not transport.metronome_action.isEnabled()
    type_into(qtbot, transport.tempo_field, "96")
    assert sketch.tempo == 96.0 and steps(window) == ["Tempo"]
    assert window.timeline.view.hasFocus()  # Enter gave the keys back to the clip area
    assert transport.metronome_action.isEnabled() and "bar 1.1" in transport.time.text()
    type_into(qtbot, transport.beats_field, "3")
    transport.unit_box.setCurrentText("8")
    transport.unit_box.activated.emit(transport.unit_box.currentIndex())
    assert sketch.metre == (3, 8) and steps(window) == ["Tempo", "Metre", "Metre"]
    window.transport.set_position(RATE * 3)  # 4.8 beats at 96 BPM: bar 2, beat 2 in 3/8
    assert transport.time.text().endswith("bar 2.2")
    view.zoom(1 / 8)  # beats crowd: the grid is bars of three beats
    beat = 60 * RATE / 96.0
    assert grid_step(sketch.tempo, RATE, view.pixels_per_frame, sketch.metre) in (3 * beat, 6 * beat, 12 * beat)
    window.document.undo_stack.undo()
    window.document.undo_stack.undo()
    assert sketch.metre == (4, 4) and transport.beats_field.value() == 4 and transport.unit_box.currentText() == "4"
    window.document.undo_stack.undo()
    assert sketch.tempo is None and transport.tempo_field.text() == "no tempo"
    type_into(qtbot, transport.tempo_field, "96")
    transport.tempo_field.stepBy(-100)  # stepping below the lowest tempo: no tempo at all
    assert sketch.tempo is None and steps(window) == ["Tempo", "Tempo"]


def beat_ticks(ruler: Ruler) -> tuple[list[int], list[int]]:
    """x of the short (beat) and tall (bar) ticks along the ruler's bottom edge."""
    image = ruler.grab().toImage()
    background = QColor("#dfe3e8").rgb()
    bottom, tall = ruler.height() - 1, ruler.height() - 8
    short = [x for x in range(image.width()) if image.pixel(x, bottom) != background
             and image.pixel(x, tall) == background]
    bars = [x for x in range(image.width()) if image.pixel(x, tall) != background]
    return short, bars


def test_the_ruler_draws_bars_and_beats_in_the_metre(qtbot):
    sketch = Sketch(sample_rate=RATE, tempo=120.0, metre=(3, 4), tracks=[Track(name="A")])
    timeline = Timeline(document_with(sketch))
    qtbot.addWidget(timeline)
    timeline.resize(900, 200)
    timeline.show()
    qtbot.waitExposed(timeline)
    view = timeline.view
    short, bars = beat_ticks(timeline.ruler)
    bar_x = [round(view.viewport_x(k * 3 * RATE // 2)) for k in range(4)]
    beat_x = [round(view.viewport_x(k * RATE // 2)) for k in range(1, 9) if k % 3]
    assert all(any(abs(x - b) <= 1 for x in bars) for b in bar_x)
    assert all(any(abs(x - b) <= 1 for x in short) for b in beat_x)
    assert not any(any(abs(x - b) <= 1 for x in bars) for b in beat_x)  # a beat is not a bar line
    timeline.push(SetMetre((4, 4)))
    short, bars = beat_ticks(timeline.ruler)
    assert any(abs(x - round(view.viewport_x(2 * RATE))) <= 1 for x in bars)  # bar 2 now starts at 2 s


# Snap
def test_snap_toggles_shift_does_the_opposite_and_the_choice_is_remembered(qtbot, window, settings, engine_service,
                                                                          tmp_path):
    wired(window)
    open_in(qtbot, window, two_track_sketch(tempo=120.0))
    timeline = window.timeline
    arrangement = window.splitters["arrangement"]
    arrangement.setSizes([sum(arrangement.sizes()), 0])  # room for the drag: the stereo view folded away
    qtbot.wait(20)
    a2 = clip_named(timeline, "a2")
    grab = point(timeline, a2.start + RATE // 2, 0)
    target = grab + QPoint(round(1.3 * RATE * timeline.view.pixels_per_frame), 0)
    assert window.actions["snap"] is timeline.snap_action and timeline.snap_action.isChecked()
    timeline.focus_clips()
    qtbot.keyClick(timeline.view, Qt.Key.Key_N)  # snap off
    assert not timeline.snap_action.isChecked() and not timeline.view.snap
    drag(qtbot, timeline, grab, target)
    start = timeline.sketch.clip(a2.id).start
    assert abs(start - 3.3 * RATE) <= 2 * frames_per_pixel(timeline)  # free
    timeline.document.undo_stack.undo()
    drag(qtbot, timeline, grab, target, modifier=SHIFT)  # snap off, Shift held: on the grid for this drag
    assert timeline.sketch.clip(a2.id).start == 7 * RATE // 2
    assert settings.value("timeline/snap") in (False, "false")
    window.close()
    again = make_window(settings, engine_service, tmp_path)
    qtbot.addWidget(again)
    wired(again)
    assert not again.timeline.snap_action.isChecked() and not again.timeline.view.snap
    again.close()


# The metronome
def impulse_sketch() -> Sketch:
    """Two silent seconds with one impulse between beats 1 and 2, at 240 BPM (a beat is 8000 frames)."""
    audio = np.zeros((1, 2 * RATE), np.float32)
    audio[0, 12000] = 0.9
    track = Track(name="A", pan=-1.0, clips=[Clip(ClipMedia(RATE, {"source": audio}), start=0)])
    return Sketch(sample_rate=RATE, tempo=240.0, tracks=[track])


def test_the_metronome_clicks_through_the_player_in_time_and_never_in_an_export(qtbot, window, virtual_alsa,
                                                                              settings, tmp_path):
    wired(window)
    window.document.replace(impulse_sketch())
    window.transport.metronome.click()
    assert window.transport.metronome_action.isChecked() and settings.value("timeline/metronome") in (True, "true")
    window.transport.play_pause_action.trigger()
    player = window.playback.player
    qtbot.waitUntil(lambda: player.state is PlayerState.STOPPED and player.position == 2 * RATE,
                    timeout=10_000)  # played to the end
    window.playback.close()
    right = virtual_alsa.played()[1]  # the clip is hard left: the right side is the click alone
    sounding = np.flatnonzero(np.abs(right) > 1e-6)
    onsets = [int(f) for i, f in enumerate(sounding) if i == 0 or f - sounding[i - 1] > 100]
    assert np.diff(onsets).tolist() == [8000] * 7  # a click on every beat of the two seconds
    left = virtual_alsa.played()[0] - right
    assert int(np.argmax(np.abs(left))) - (onsets[0] - 1) == 12000  # in time with the arrangement
    accent, beat = (np.abs(right[at:at + 800]).max() for at in (onsets[4], onsets[5]))
    assert accent > 1.3 * beat  # bar 2, beat 1 is accented; its beat 2 is not
    result = export_mix(window.document.sketch, tmp_path / "mix.wav", ExportOptions(format="wav32f"))
    written = sf.read(result.path, dtype="float32", always_2d=True)[0].T
    np.testing.assert_array_equal(written, mixdown(window.document.sketch))
    assert not written[1].any()  # no click in the export


# A tempo in the prompt, and durations in bars
def test_a_tempo_in_the_prompt_goes_to_a_sketch_without_one(qtbot, window):
    wired(window)
    generate(qtbot, window, prompt="dusty waltz, 80 bpm, in 3/4")
    sketch = window.document.sketch
    assert (sketch.tempo, sketch.metre) == (80.0, (3, 4)) and steps(window) == ["Tempo from the prompt"]
    assert window.transport.tempo_field.value() == 80.0 and window.idea.in_bars.isVisible()
    generate(qtbot, window, prompt="faster, 120 bpm")
    assert sketch.tempo == 80.0 and len(steps(window)) == 1  # a sketch with a tempo keeps it
    window.document.undo_stack.undo()
    assert sketch.tempo is None and sketch.metre == (4, 4) and not window.idea.in_bars.isVisible()


def test_generation_can_be_asked_for_whole_bars(qtbot, window):
    wired(window)
    idea = window.idea
    assert not idea.in_bars.isVisible()  # no tempo, no bars
    window.timeline.push(SetTempo(83.0))
    assert idea.in_bars.isVisible()
    idea.duration.setValue(3.0)
    idea.in_bars.setChecked(True)
    assert idea.bars.value() == 1 and not idea.duration.isEnabled()  # 3 s is nearest one bar (2.9 s)
    idea.bars.setValue(2)
    bars = 2 * 4 * 60 / 83.0  # 5.783 s
    assert idea.duration.value() == pytest.approx(round(bars, 1))
    idea.prompt.setPlainText("marimba loop")
    with qtbot.waitSignal(window.generation.takes_ready, timeout=GENERATE_TIMEOUT_MS) as done:
        qtbot.keyClick(idea.prompt, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.generation.last_request.duration == pytest.approx(bars, abs=1e-9)  # exact, not 5.8
    audio = done.args[1][0].audio
    assert abs(audio.shape[1] / RATE - bars) <= 0.02 + 1e-9  # the model's 20 ms frames
    window.timeline.push(SetMetre((3, 4)))
    assert idea.duration.value() == pytest.approx(round(2 * 3 * 60 / 83.0, 1))


def test_a_loop_comes_back_exactly_its_bars_long_and_switches_decoder_as_a_loop(qtbot, window, tiny_models):
    wired(window)
    idea = window.idea
    window.timeline.push(SetTempo(100.0))
    idea.loop.setChecked(True)
    assert idea.in_bars.isChecked() and idea.looping  # a loop is whole bars
    idea.bars.setValue(1)
    idea.prompt.setPlainText("drum loop")
    with qtbot.waitSignal(window.generation.takes_ready, timeout=GENERATE_TIMEOUT_MS) as done:
        idea.generate_button.click()
    assert window.generation.last_request.loop
    take = done.args[1][0]
    assert take.audio.shape[1] == round(4 * 60 / 100.0 * RATE)  # exactly one bar, to the sample
    assert take.params["loop"]["frames"] == take.audio.shape[1]
    idea.in_bars.setChecked(False)
    assert not idea.loop.isChecked() and not idea.looping


# The master fader
def test_the_master_fader_is_one_step_per_drag_resets_on_double_click_and_takes_typed_values(qtbot, window):
    wired(window)
    sketch = open_in(qtbot, window, two_track_sketch())
    transport = window.transport
    player = window.playback.ensure_player()
    transport.master.sliderPressed.emit()
    for value in (-2, -5, -8):
        transport.master.setValue(value)
    transport.master.sliderReleased.emit()
    assert sketch.master_gain_db == -8.0 and steps(window) == ["Master gain"]
    assert player.transport.plan.master == np.float32(db_to_gain(-8.0))  # heard from the next block
    assert transport.master_field.value() == -8.0
    type_into(qtbot, transport.master_field, "-2.5")
    assert sketch.master_gain_db == -2.5 and transport.master.value() == -2
    handle = QPoint(round(transport.master.width() * 57.5 / 72), transport.master.height() // 2)
    qtbot.mouseDClick(transport.master, LEFT, NONE, handle)
    assert sketch.master_gain_db == 0.0 and steps(window) == ["Master gain"] * 3
    window.document.undo_stack.undo()
    assert sketch.master_gain_db == -2.5 and transport.master_field.value() == -2.5
    window.document.undo_stack.undo()
    window.document.undo_stack.undo()
    assert sketch.master_gain_db == 0.0 and transport.master.value() == 0
    assert math.isclose(player.transport.plan.master, 1.0)
