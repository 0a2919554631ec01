"""The arrangement through the player on the window: transport, playhead, live pan, loop, meters; and the
decoder switch when MBD cannot be had."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from sketchpad.audio.player import PlayerState
from sketchpad.sketch import SetLoop
from tests.sketch.conftest import RATE
from tests.ui.conftest import GENERATE_TIMEOUT_MS, generate
from tests.ui.timeline_sketches import two_track_sketch


def test_transport_plays_the_arrangement_with_live_pan_loop_and_meters(qtbot, window, virtual_alsa):
    window.document.replace(two_track_sketch())
    sketch = window.document.sketch
    assert list(window.stereo.tracks) == [t.id for t in sketch.tracks]
    window.timeline.push(SetLoop((0, RATE)))
    window.transport.loop.click()  # a loop keeps it playing however fast the virtual device runs
    player = window.playback.player
    assert player.transport.loop == (0, RATE)
    levels: list[float] = []
    window.stereo.levels.connect(lambda left, right: levels.append(max(left, right)))
    window.transport.play_pause_action.trigger()
    qtbot.waitUntil(lambda: window.transport.playing and window.timeline.playhead > 0, timeout=10_000)
    assert window.transport.frame == window.timeline.playhead
    qtbot.waitUntil(lambda: levels and max(levels) > -40, timeout=5_000)  # what was played, metered
    track = sketch.tracks[1]
    window.timeline.headers.headers[track.id].pan.setValue(100)  # while playing: straight into the live mix
    voice = next(v for v in player.transport.plan.voices if v.samples.shape[1] == RATE * 3 // 2)
    assert voice.left < 1e-6 and voice.right > 0.9
    window.transport.play_pause_action.trigger()
    qtbot.waitUntil(lambda: player.state is PlayerState.PAUSED and not window.transport.playing, timeout=5_000)
    window.timeline.seek_requested.emit(RATE // 8)
    assert window.timeline.playhead == RATE // 8 and window.transport.frame == RATE // 8
    window.transport.loop.click()
    assert player.transport.loop is None
    window.playback.close()


def test_edits_refeed_the_player_without_rendering_unchanged_clips_again(window):
    window.document.replace(two_track_sketch())
    playback = window.arrangement_playback
    before = {id(buffer.samples) for buffer in playback.buffers}
    window.timeline.select_clips([window.document.sketch.tracks[0].clips[0].id])
    window.timeline.delete_selected()
    playback.feed()
    assert len(playback.buffers) == 2 and len(before) == 3
    assert {id(buffer.samples) for buffer in playback.buffers} < before  # the same renders, one fewer
    assert window.playback.player.transport.plan.end == 3 * RATE


def test_the_decoder_switch_says_why_mbd_is_unavailable(qtbot, window, tmp_path):
    generate(qtbot, window, duration=1.0)
    window.takes.add_button.click()
    clip = window.document.sketch.tracks[0].clips[0]
    empty = tmp_path / "no-mbd-here"
    empty.mkdir()
    window.apply_preferences(replace(window.prefs, mbd_folder=str(empty)))
    window.timeline.select_clips([clip.id])
    switch = window.decoder_switch
    assert switch.buttons["encodec"].isChecked() and switch.buttons["mbd"].isEnabled()
    with qtbot.waitSignal(window.decoders.problem, timeout=GENERATE_TIMEOUT_MS) as blocker:
        switch.buttons["mbd"].click()
    assert "MultiBand Diffusion is not available" in blocker.args[0]
    assert "not available" in switch.note.text() and "not available" in window.banner.text
    assert window.document.sketch.clip(clip.id).decoder == "encodec"
    assert switch.buttons["encodec"].isChecked() and not switch.buttons["mbd"].isChecked()


def test_an_imported_clip_has_no_decoder_choice(window):
    window.document.replace(two_track_sketch())
    clip = window.document.sketch.tracks[0].clips[0]
    window.timeline.select_clips([clip.id])
    assert not window.decoder_switch.buttons["mbd"].isEnabled()
    assert "no tokens" in window.decoder_switch.note.text()
    assert np.all([not button.isChecked() for button in window.decoder_switch.buttons.values()])
