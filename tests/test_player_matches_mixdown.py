"""The live player, fed as the window feeds it, and the offline mixdown agree sample for sample, also
across a pan change."""

from __future__ import annotations

import numpy as np

from sketchpad.audio.player import Player
from sketchpad.sketch import SetTrackMute, SetTrackPan, mixdown
from sketchpad.ui.arrangement.feed import ArrangementFeed
from tests.audio.conftest import no_audio_devices  # noqa: F401 - fixture
from tests.sketch.conftest import build_sketch

BLOCK = 512
TOLERANCE = 2e-7  # float32 rounding: the player scales each clip, the mixdown each track's sum


def play(player: Player, blocks: int) -> np.ndarray:
    out = np.zeros((blocks * BLOCK, 2), np.float32)
    for index in range(blocks):
        player.transport.process(out[index * BLOCK:(index + 1) * BLOCK])
    return out.T


def playing(sketch) -> Player:
    """A device-free player of `sketch`, started; the tests pull its callback's blocks themselves."""
    player = Player(sketch.sample_rate, block_frames=BLOCK)
    feed = ArrangementFeed()
    player.set_arrangement(feed.buffers(sketch), feed.mixes(sketch))
    player.play()
    return player


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
