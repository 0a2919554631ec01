"""The live player, fed as the window feeds it, and the offline mixdown agree sample for sample, also
across a pan change, with clips crossfading where they overlap and the master fader down; the
metronome is heard through the player in time with the arrangement and never reaches the mixdown."""

from __future__ import annotations

import numpy as np

from sketchpad.audio.metronome import add_clicks, make_click
from sketchpad.audio.player import Player
from sketchpad.sketch import (
    AddClip,
    Clip,
    ClipMedia,
    MoveClip,
    SetMasterGain,
    SetMetre,
    SetTempo,
    SetTrackMute,
    SetTrackPan,
    mixdown,
)
from sketchpad.sketch.render import crossfades
from sketchpad.ui.arrangement.feed import ArrangementFeed
from tests.audio.conftest import no_audio_devices  # noqa: F401 - fixture
from tests.sketch.conftest import RATE, build_sketch, noise

BLOCK = 512
TOLERANCE = 2e-7  # float32 rounding: the player scales each clip, the mixdown each track's sum


def play(player: Player, blocks: int) -> np.ndarray:
    out = np.zeros((blocks * BLOCK, 2), np.float32)
    for index in range(blocks):
        player.transport.process(out[index * BLOCK:(index + 1) * BLOCK])
    return out.T


def playing(sketch, feed: ArrangementFeed | None = None) -> Player:
    """A device-free player of `sketch`, fed as the window's playback feeds it, started; the tests pull
    its callback's blocks themselves."""
    player = Player(sketch.sample_rate, block_frames=BLOCK)
    (feed or ArrangementFeed()).feed(player, sketch)
    player.play()
    return player


def overlapping_sketch():
    """build_sketch, its master fader down, with a take overlapping the drums' second clip by 0.1 s."""
    sketch = build_sketch()
    drums = sketch.tracks[0]
    second = drums.clips[1]
    take = Clip(ClipMedia(RATE, {"source": noise(2, RATE // 4, seed=9)}), start=second.end - RATE // 10)
    AddClip(drums.id, take).apply(sketch)
    SetMasterGain(-4.5).apply(sketch)
    return sketch, take


def test_what_the_player_plays_is_the_mixdown(no_audio_devices):  # noqa: F811
    sketch = build_sketch()
    player = playing(sketch)
    fade = player.transport._fade_in.size
    expected = mixdown(sketch)
    heard = play(player, expected.shape[1] // BLOCK + 2)[:, :expected.shape[1]]
    expected[:, :fade] *= player.transport._fade_in  # the click-free start ramp
    assert np.abs(expected).max() > 0.1
    np.testing.assert_allclose(heard, expected, atol=TOLERANCE, rtol=0)


def test_a_pan_change_while_playing_is_heard_from_the_next_block(no_audio_devices):  # noqa: F811
    sketch = build_sketch()
    player = playing(sketch)
    fade = player.transport._fade_in.size
    before = play(player, 4)
    drums = sketch.tracks[0]
    SetTrackPan(drums.id, 1.0).apply(sketch)
    SetTrackMute(sketch.tracks[1].id, True).apply(sketch)
    player.set_track(drums.id, pan=1.0)
    player.set_track(sketch.tracks[1].id, mute=True)
    end = mixdown(sketch).shape[1]
    after = play(player, (end - 4 * BLOCK) // BLOCK + 2)
    heard = np.concatenate([before, after], axis=1)[:, :end]
    expected = mixdown(sketch, 4 * BLOCK, end)
    np.testing.assert_allclose(heard[:, 4 * BLOCK:], expected, atol=TOLERANCE, rtol=0)
    assert np.abs(heard[0, 4 * BLOCK:]).max() > 0  # other tracks still on the left
    assert fade < 4 * BLOCK


def test_overlapping_clips_crossfade_alike_in_the_player_and_the_mixdown(no_audio_devices):  # noqa: F811
    sketch, take = overlapping_sketch()
    assert crossfades(sketch.tracks[0].clips)[take.id] == (RATE // 10, 0)
    player = playing(sketch)
    expected = mixdown(sketch)
    heard = play(player, expected.shape[1] // BLOCK + 2)[:, :expected.shape[1]]
    expected[:, :player.transport._fade_in.size] *= player.transport._fade_in
    overlap = slice(take.start, take.start + RATE // 10)
    assert np.abs(expected[:, overlap]).max() > 0.1
    np.testing.assert_allclose(heard, expected, atol=TOLERANCE, rtol=0)


def test_a_clip_moved_out_of_an_overlap_is_fed_again_without_its_crossfade(no_audio_devices):  # noqa: F811
    sketch, take = overlapping_sketch()
    feed = ArrangementFeed()
    playing(sketch, feed)
    second = sketch.tracks[0].clips[1]
    MoveClip(take.id, start=second.end + RATE).apply(sketch)  # the neighbour it left changes too
    player = playing(sketch, feed)
    expected = mixdown(sketch)
    heard = play(player, expected.shape[1] // BLOCK + 2)[:, :expected.shape[1]]
    expected[:, :player.transport._fade_in.size] *= player.transport._fade_in
    np.testing.assert_allclose(heard, expected, atol=TOLERANCE, rtol=0)


def test_the_metronome_is_heard_in_time_and_stays_out_of_the_mixdown(no_audio_devices):  # noqa: F811
    sketch, _ = overlapping_sketch()
    SetTempo(400.0).apply(sketch)  # a beat is 4800 frames: beats 0, 1, 2 fall inside the sketch
    SetMetre((2, 4)).apply(sketch)
    before = mixdown(sketch)
    player = playing(sketch)
    click = make_click(RATE, sketch.tempo, sketch.metre[0])
    player.set_metronome(click)
    fade = player.transport._fade_in.size
    heard = play(player, before.shape[1] // BLOCK + 2)[:, :before.shape[1]]
    np.testing.assert_array_equal(mixdown(sketch), before)  # the click never reaches the mix (or an export)
    clicks = np.zeros_like(before)
    add_clicks(click, 0, clicks)
    expected = before + clicks
    expected[:, :fade] *= player.transport._fade_in
    np.testing.assert_allclose(heard, expected, atol=TOLERANCE, rtol=0)
    sounding = np.flatnonzero(clicks[0])
    starts = [int(f) for i, f in enumerate(sounding) if i == 0 or f - sounding[i - 1] > 100]
    assert [f - 1 for f in starts] == [0, 4800, 9600]  # each ping's sine starts at 0 on its beat's frame
    assert np.abs(clicks[0, :2000]).max() > np.abs(clicks[0, 4800:6800]).max()  # bar 1, beat 1: accented


def test_the_mixdown_and_the_player_take_a_track_s_gain_and_pan_from_one_law():
    from sketchpad.audio.mixer import TrackMix, voice_gains
    from sketchpad.core.decibels import db_to_gain
    from sketchpad.core.mixlaw import pan_gains, track_gains
    from sketchpad.sketch import Track
    from sketchpad.sketch.render import track_coefficients

    for gain_db in (-60.0, -6.0, 0.0, 4.5):
        for pan in (-1.0, -0.3, 0.0, 0.7, 1.0):
            for channels in (1, 2):
                left, right = track_gains(gain_db, pan, channels)
                law = pan_gains(pan, channels)
                assert (left, right) == (db_to_gain(gain_db) * law[0], db_to_gain(gain_db) * law[1])
                mixdown_side = track_coefficients(Track(name="t", gain_db=gain_db, pan=pan), channels)
                player_side = voice_gains(TrackMix(gain_db=gain_db, pan=pan), channels)
                assert mixdown_side[:, 0].tolist() == [np.float32(left), np.float32(right)] == list(player_side)
