"""The loop's seam: folding the overshoot into the start leaves no jump where the loop wraps around,
where a hard cut to whole bars clicks."""

from __future__ import annotations

import numpy as np

from sketchpad.engine.loops import fold, loop_params

RATE = 32000


def _programme(seconds: float) -> np.ndarray:
    """Music-like and smooth: two tones under a swelling pulse, none of them whole in the loop."""
    t = np.arange(int(seconds * RATE)) / RATE
    swell = 0.5 + 0.5 * np.sin(2 * np.pi * 2.0 * t) ** 2
    return (0.3 * np.sin(2 * np.pi * 441.7 * t + 0.4) + 0.2 * swell * np.sin(2 * np.pi * 173.1 * t)
            ).astype(np.float32)[None, :]


def _seam_jump_db(loop: np.ndarray) -> float:
    """How far the loop's first sample departs from where its last two samples were heading (a click is
    a departure), relative to the programme's RMS."""
    heading = 2 * loop[:, -1].astype(np.float64) - loop[:, -2]
    rms = np.sqrt(np.mean(loop.astype(np.float64) ** 2))
    return float(20 * np.log10(max(np.abs(loop[:, 0] - heading).max(), 1e-12) / rms))


def test_the_folded_loop_wraps_without_a_jump_and_a_hard_cut_clicks():
    bar = 4 * 60 / 97  # a bar of 4/4 at 97 bpm: no tone is whole in it
    params = loop_params(bar, RATE)
    take = _programme(bar + 1.5)
    loop = fold(take, params)
    assert loop.shape == (1, params["frames"]) and loop.dtype == np.float32
    assert _seam_jump_db(loop) < -40  # the wrap continues the waveform, as any neighbouring samples do
    assert _seam_jump_db(take[:, :params["frames"]]) > -20  # a hard cut to whole bars: a click
    # the wrap is the take's own continuation: what followed the loop's last sample
    np.testing.assert_allclose(loop[:, 0], take[:, params["frames"]], atol=1e-3)
    # the rest of the loop is the take untouched
    np.testing.assert_array_equal(loop[:, params["overlap"]:], take[:, params["overlap"]:params["frames"]])


def test_the_crossfade_keeps_the_level_of_uncorrelated_sound():
    rng = np.random.default_rng(3)
    take = (0.1 * rng.standard_normal((2, 5 * RATE))).astype(np.float32)
    params = loop_params(4.0, RATE)
    loop = fold(take, params)
    overlap = params["overlap"]
    level = lambda audio: 10 * np.log10(np.mean(audio ** 2))  # noqa: E731
    assert abs(level(loop[:, :overlap]) - level(take[:, overlap:params["frames"]])) < 0.5  # equal power


def test_a_loop_take_is_exactly_its_length_and_a_decoder_switch_folds_the_same(engine, tiny_models):
    from sketchpad.engine.request import GenerationRequest

    seconds = 4 * 60 / 120  # one bar of 4/4 at 120 bpm
    heard: list[tuple[int, int]] = []
    (take,) = engine.generate(GenerationRequest(str(tiny_models.mono), ("drum loop",), duration=seconds, seed=5,
                                                loop=True),
                              partial=lambda audio, start: heard.append((start, audio.shape[-1])))
    frames = round(seconds * RATE)
    assert take.audio.shape == (1, frames) and take.params["loop"] == loop_params(seconds, RATE)
    assert take.params["duration"] == seconds
    assert heard and max(start + size for start, size in heard) <= frames  # nothing past the loop is heard
    assert take.tokens.shape[-1] > seconds * 50  # the tokens hold the overshoot the fold needs
    again = engine.decode(str(tiny_models.mono), take.tokens, "encodec", loop=take.params["loop"])
    np.testing.assert_allclose(again, take.audio, atol=1e-4)


def test_a_hostile_loop_description_is_refused_without_allocating():
    import pytest

    from sketchpad.engine.errors import InvalidRequestError

    for bad in ({"frames": 2**40, "overlap": 10}, {"frames": 10, "overlap": 0}, {"frames": "x"}, None, [1, 2]):
        with pytest.raises(InvalidRequestError):
            fold(np.zeros((1, 1000), np.float32), bad)
