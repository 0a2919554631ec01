"""The live mix against a reference mix, sample for sample, with and without a device."""

from __future__ import annotations

import time

import numpy as np
import pytest

from sketchpad.audio.mixer import PlacedBuffer, TrackMix, plan_mix, render
from sketchpad.audio.player import Player, PlayerState
from sketchpad.audio.transport import TransportState
from sketchpad.core.decibels import db_to_gain
from sketchpad.core.mixlaw import fade_curve, pan_gains
from tests.audio.conftest import VirtualAlsa, callback_peak_bytes

RATE = 32000
BLOCK = 512


def _arrangement() -> tuple[list[PlacedBuffer], dict[str, TrackMix]]:
    rng = np.random.default_rng(7)
    noise = lambda ch, n: rng.uniform(-0.3, 0.3, (ch, n)).astype(np.float32)  # noqa: E731
    buffers = [PlacedBuffer(noise(2, 9000), 0, "drums"), PlacedBuffer(noise(1, 5000), 700, "bass"),
               PlacedBuffer(noise(2, 3000), 6001, "keys"), PlacedBuffer(noise(1, 4000), 2500, "drums"),
               PlacedBuffer(noise(1, 2000), 8000, "vox")]
    tracks = {"drums": TrackMix(gain_db=-3.0, pan=-0.4), "bass": TrackMix(pan=0.0),
              "keys": TrackMix(gain_db=2.0, pan=0.9), "vox": TrackMix(gain_db=-6.0, pan=-1.0)}
    return buffers, tracks


def _reference(buffers, tracks, *, changes: dict[int, dict[str, TrackMix]] | None = None) -> np.ndarray:
    """The straightforward mix: every buffer scaled by its track's law and summed, in buffer order.

    `changes` maps a frame to the track settings in force from that frame on.
    """
    end = max(b.end for b in buffers)
    mix = np.zeros((2, end), np.float32)
    cuts = sorted({0, end, *(changes or {})})
    settings = dict(tracks)
    for start, stop in zip(cuts, cuts[1:], strict=False):
        settings.update((changes or {}).get(start, {}))
        solo = any(t.solo for t in settings.values())
        for b in buffers:
            track = settings[b.track]
            if track.mute or (solo and not track.solo):
                continue
            left, right = pan_gains(track.pan, b.samples.shape[0])
            gain = db_to_gain(track.gain_db)
            for side, factor, channel in ((0, left, 0), (1, right, -1)):
                lo, hi = max(b.start, start), min(b.end, stop)
                if lo < hi:
                    mix[side, lo:hi] += b.samples[channel, lo - b.start:hi - b.start] * np.float32(gain * factor)
    return mix


def _render_all(plan, frames: int, block: int) -> np.ndarray:
    out = np.zeros((2, frames), np.float32)
    scratch = np.zeros(block, np.float32)
    for at in range(0, frames, block):
        render(plan, at, out[:, at:at + block], scratch)
    return out


@pytest.mark.parametrize("block", [BLOCK, 333, 4096])
def test_render_equals_the_reference_mix(block: int) -> None:
    buffers, tracks = _arrangement()
    plan = plan_mix(buffers, tracks)
    np.testing.assert_array_equal(_render_all(plan, plan.end, block), _reference(buffers, tracks))


def test_mute_and_solo() -> None:
    buffers, tracks = _arrangement()
    tracks["keys"] = TrackMix(gain_db=2.0, pan=0.9, solo=True)
    tracks["vox"] = TrackMix(pan=-1.0, solo=True, mute=True)  # muted wins over soloed
    plan = plan_mix(buffers, tracks)
    assert [v.samples is buffers[2].samples for v in plan.voices] == [True]
    np.testing.assert_array_equal(_render_all(plan, plan.end, BLOCK), _reference(buffers, tracks))


def _drive(player: Player, blocks: int) -> np.ndarray:
    out = np.zeros((blocks * BLOCK, 2), np.float32)
    for i in range(blocks):
        player.transport.process(out[i * BLOCK:(i + 1) * BLOCK])
    return out.T


def _faded(reference: np.ndarray, fade: int) -> np.ndarray:
    faded = reference.copy()
    faded[:, :fade] *= fade_curve(fade, fade_in=True)
    return faded


def test_pan_and_gain_changes_are_heard_from_the_next_block_without_a_device(no_audio_devices: None) -> None:
    buffers, tracks = _arrangement()
    player = Player(RATE, block_frames=BLOCK)
    assert not player.open() and player.state is PlayerState.NO_DEVICE and "no output device" in player.message
    player.set_arrangement(buffers, tracks)
    player.play()
    first = _drive(player, 6)
    player.set_track("drums", pan=0.8, gain_db=-10.0)
    player.set_track("bass", mute=True)
    rest = _drive(player, 14)
    heard = np.concatenate([first, rest], axis=1)[:, :10000]
    changed = {6 * BLOCK: {"drums": TrackMix(gain_db=-10.0, pan=0.8), "bass": TrackMix(mute=True)}}
    reference = _faded(_reference(buffers, tracks, changes=changed), player.transport._fade_in.size)
    np.testing.assert_array_equal(heard, reference)
    assert player.transport.state is TransportState.STOPPED and player.position == 10000  # ran off the end


def test_pause_fades_out_and_holds_the_playhead(no_audio_devices: None) -> None:
    buffers, tracks = _arrangement()
    player = Player(RATE, block_frames=BLOCK)
    player.set_arrangement(buffers, tracks)
    player.play()
    _drive(player, 4)
    player.pause()
    tail = _drive(player, 2)
    fade = player.transport._fade_out.size
    assert player.transport.state is TransportState.PAUSED and player.position == 4 * BLOCK + fade
    reference = _reference(buffers, tracks)[:, 4 * BLOCK:4 * BLOCK + fade] * fade_curve(fade, fade_in=False)
    np.testing.assert_array_equal(tail[:, :fade], reference)
    assert not tail[:, fade:].any()
    player.stop()
    _drive(player, 1)
    assert player.transport.state is TransportState.STOPPED and player.position == 0  # back to where play began


def test_loop_region_repeats_seamlessly(no_audio_devices: None) -> None:
    buffers, tracks = _arrangement()
    player = Player(RATE, block_frames=BLOCK)
    player.set_arrangement(buffers, tracks)
    player.seek(1000)
    player.set_loop(1000, 1900)
    player.play()
    heard = _drive(player, 8)
    reference = _reference(buffers, tracks)[:, 1000:1900]
    looped = _faded(np.tile(reference, (1, 5))[:, :8 * BLOCK], player.transport._fade_in.size)
    np.testing.assert_array_equal(heard, looped)
    assert 1000 <= player.position < 1900


def test_seek_while_playing_fades_out_then_in(no_audio_devices: None) -> None:
    buffers, tracks = _arrangement()
    player = Player(RATE, block_frames=BLOCK)
    player.set_arrangement(buffers, tracks)
    player.play()
    _drive(player, 2)
    player.seek(5000)
    _drive(player, 1)  # fading out at the old place, then the jump
    assert player.position == 5000
    heard = _drive(player, 2)
    np.testing.assert_array_equal(heard, _faded(_reference(buffers, tracks)[:, 5000:5000 + 2 * BLOCK],
                                                player.transport._fade_in.size))


def test_preview_plays_one_buffer_then_play_resumes_the_sketch(no_audio_devices: None) -> None:
    buffers, tracks = _arrangement()
    player = Player(RATE, block_frames=BLOCK)
    player.set_arrangement(buffers, tracks)
    player.seek(3000)
    _drive(player, 1)
    take = np.linspace(-0.5, 0.5, 1000, dtype=np.float32)
    player.preview(take, sample_rate=16000)  # a melody take at another rate is resampled first
    heard = _drive(player, 5)
    centre = np.float32(pan_gains(0.0, 1)[0])
    assert player.transport.state is TransportState.STOPPED and player.position == 2000
    expected = np.linspace(-0.5, 0.5, 2000)[200:1800] * centre  # the ramp at twice the rate, centred
    np.testing.assert_allclose(heard[:, 200:1800], np.stack([expected, expected]), atol=0.01)
    assert not heard[:, 2000:].any()
    player.play()
    _drive(player, 1)
    assert player.transport.plan.end == 10000 and player.position == 3000 + BLOCK


def test_the_callback_allocates_nothing_large(no_audio_devices: None) -> None:
    buffers = [PlacedBuffer(np.zeros((2, RATE * 10), np.float32), 0, f"t{i}") for i in range(16)]
    player = Player(RATE, block_frames=BLOCK)
    player.set_arrangement(buffers, {})
    player.play()
    assert callback_peak_bytes(player) < 16 * 1024  # array views only; one block of stereo float32 alone is 4 KB


def test_player_on_a_real_stream_plays_the_reference_mix(virtual_alsa: VirtualAlsa) -> None:
    buffers, tracks = _arrangement()
    player = Player(RATE, block_frames=BLOCK)
    assert player.open(), player.message
    assert player.state is PlayerState.STOPPED
    player.set_arrangement(buffers, tracks)
    player.play()
    deadline = time.monotonic() + 10
    while player.state is not PlayerState.STOPPED or player.position == 0:
        assert time.monotonic() < deadline
        time.sleep(0.001)
    player.close()
    played = virtual_alsa.played()
    reference = _faded(_reference(buffers, tracks), player.transport._fade_in.size)
    starts = [at for at in range(0, played.shape[1] - reference.shape[1], BLOCK)
              if np.array_equal(played[:, at:at + reference.shape[1]], reference)]
    assert len(starts) == 1 and not played[:, :starts[0]].any()  # silence, then exactly the mix
    assert player.underflows == 0


def test_a_vanished_output_device_is_reported(virtual_alsa: VirtualAlsa) -> None:
    player = Player(RATE, block_frames=BLOCK)
    assert player.open()
    player._stream.abort()  # PortAudio ends a stream by itself when its device goes away
    assert player.state is PlayerState.DEVICE_LOST
    player.play()  # still safe to call
    player.close()
