"""The metronome's clicks (on the beat frames, accented on the bar, in any block size, across a loop,
allocation-free) and the master fader in the live mix."""

from __future__ import annotations

import numpy as np
import pytest

from sketchpad.audio.metronome import Click, add_clicks, make_click
from sketchpad.audio.mixer import PlacedBuffer, TrackMix, plan_mix, render
from sketchpad.audio.player import Player
from sketchpad.core.metre import beat_frames, beat_onset
from tests.audio.conftest import callback_peak_bytes, no_audio_devices  # noqa: F401 - fixture

RATE = 32000
BLOCK = 512


def clicks_alone(click: Click, frames: int, block: int, start: int = 0) -> np.ndarray:
    out = np.zeros((2, frames), np.float32)
    for at in range(0, frames, block):
        add_clicks(click, start + at, out[:, at:at + block])
    return out


def onsets(signal: np.ndarray) -> list[int]:
    """Where each click begins: a sound after at least 100 silent frames."""
    loud = np.flatnonzero(np.abs(signal) > 1e-6)
    return [int(f) for i, f in enumerate(loud) if i == 0 or f - loud[i - 1] > 100]


def test_clicks_fall_on_the_beat_frames_and_the_bar_is_accented() -> None:
    tempo = 70.0  # a beat is 27428.57 frames: onsets round half up, as the grid's lines do
    click = make_click(RATE, tempo, beats_per_bar=3)
    heard = clicks_alone(click, 8 * RATE, BLOCK)
    beat = beat_frames(tempo, RATE)
    expected = [beat_onset(k, beat) for k in range(20) if beat_onset(k, beat) < 8 * RATE]
    first_sound = int(np.flatnonzero(click.accent)[0])  # the ping's attack starts at exactly 0
    assert [f - first_sound for f in onsets(heard[0])] == expected
    np.testing.assert_array_equal(heard[0], heard[1])
    for k, at in enumerate(expected):
        sound = click.accent if k % 3 == 0 else click.beat
        np.testing.assert_array_equal(heard[0, at:at + sound.size], sound)
    assert np.abs(click.accent).max() > np.abs(click.beat).max()


@pytest.mark.parametrize("block", [1, 333, 4096])
def test_clicks_do_not_depend_on_the_block_size(block: int) -> None:
    click = make_click(RATE, 133.0, 4)
    np.testing.assert_array_equal(clicks_alone(click, 3 * RATE, block), clicks_alone(click, 3 * RATE, 3 * RATE))


def test_the_player_clicks_over_the_mix_on_the_timeline_even_across_a_loop(no_audio_devices: None) -> None:  # noqa: F811
    rng = np.random.default_rng(3)
    buffers = [PlacedBuffer(rng.uniform(-0.2, 0.2, (2, 4 * RATE)).astype(np.float32), 0, "a")]
    player = Player(RATE, block_frames=BLOCK)
    player.set_arrangement(buffers, {"a": TrackMix()})
    click = make_click(RATE, 120.0, 4)  # a beat every 16000 frames
    player.set_metronome(click)
    loop = (8000, 40000)  # from the middle of beat 0 to the middle of beat 2: beats 1 and 2 click in it
    player.seek(loop[0])
    player.set_loop(*loop)
    player.play()
    blocks = 150
    out = np.zeros((blocks * BLOCK, 2), np.float32)
    for i in range(blocks):
        player.transport.process(out[i * BLOCK:(i + 1) * BLOCK])
    positions = (loop[0] + np.arange(blocks * BLOCK) - loop[0]) % (loop[1] - loop[0]) + loop[0]
    mix = np.zeros((2, 4 * RATE), np.float32)
    render(player.transport.plan, 0, mix, np.zeros(4 * RATE, np.float32))
    fade = player.transport._fade_in.size
    clicked = out.T[:, fade:] - mix[:, positions[fade:]]
    timeline = clicks_alone(click, 4 * RATE, 4 * RATE)
    np.testing.assert_allclose(clicked, timeline[:, positions[fade:]], atol=1e-6)
    assert np.abs(clicked).max() > 0.2
    player.set_metronome(None)
    quiet = np.zeros((BLOCK, 2), np.float32)
    position = player.position
    player.transport.process(quiet)
    np.testing.assert_array_equal(quiet.T, mix[:, position:position + BLOCK])  # off: the mix alone


def test_a_preview_does_not_click_and_the_arrangement_clicks_again_after(no_audio_devices: None) -> None:  # noqa: F811
    player = Player(RATE, block_frames=BLOCK)
    player.set_arrangement([PlacedBuffer(np.zeros((1, RATE), np.float32), 0, "a")], {})
    player.set_metronome(make_click(RATE, 120.0, 4))
    player.preview(np.zeros(RATE // 2, np.float32))
    out = np.zeros((BLOCK, 2), np.float32)
    player.transport.process(out)
    assert not out.any()
    player.play()
    player.seek(0)
    player.transport.process(out)
    assert player.transport.click is not None


def test_the_master_fader_scales_the_summed_block() -> None:
    rng = np.random.default_rng(0)
    buffers = [PlacedBuffer(rng.uniform(-0.3, 0.3, (2, 2000)).astype(np.float32), 0, "a"),
               PlacedBuffer(rng.uniform(-0.3, 0.3, (1, 1500)).astype(np.float32), 300, "b")]
    tracks = {"a": TrackMix(gain_db=-2.0, pan=0.3), "b": TrackMix(pan=-0.5)}
    flat = np.zeros((2, 2000), np.float32)
    render(plan_mix(buffers, tracks), 0, flat, np.zeros(2000, np.float32))
    quieter = np.zeros((2, 2000), np.float32)
    plan = plan_mix(buffers, tracks, master_gain_db=-9.5)
    render(plan, 0, quieter, np.zeros(2000, np.float32))
    np.testing.assert_array_equal(quieter, flat * plan.master)
    assert plan.master == pytest.approx(10 ** (-9.5 / 20), rel=1e-6)


def test_master_and_metronome_changes_are_heard_from_the_next_block(no_audio_devices: None) -> None:  # noqa: F811
    buffers = [PlacedBuffer(np.full((1, 20 * BLOCK), 0.5, np.float32), 0, "a")]
    player = Player(RATE, block_frames=BLOCK)
    player.set_arrangement(buffers, {"a": TrackMix(pan=-1.0)})
    player.play()
    out = np.zeros((BLOCK, 2), np.float32)
    for _ in range(3):
        player.transport.process(out)
    assert out[:, 0].max() == 0.5
    player.set_master_gain(-6.0)
    player.transport.process(out)
    assert out[:, 0].max() == pytest.approx(0.5 * 10 ** (-6 / 20), rel=1e-6)


def test_the_callback_allocates_nothing_large_with_the_metronome_and_master(no_audio_devices: None) -> None:  # noqa: F811
    buffers = [PlacedBuffer(np.zeros((2, RATE * 10), np.float32), 0, f"t{i}") for i in range(16)]
    player = Player(RATE, block_frames=BLOCK)
    player.set_arrangement(buffers, {}, master_gain_db=-3.0)
    player.set_metronome(make_click(RATE, 400.0, 4))  # a click starting in most blocks
    player.play()
    assert callback_peak_bytes(player) < 16 * 1024
