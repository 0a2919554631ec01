"""The waveform's points: few whatever the zoom, and never hiding a peak."""

from __future__ import annotations

import numpy as np
import pytest

from sketchpad.ui.common.peaks import BASE, RAW_PER_PIXEL, Pyramid, curve

RATE = 32000


@pytest.mark.parametrize("seconds", [0.01, 0.2, 2.0, 10.0, 600.0])
@pytest.mark.parametrize("pixels", [300, 1100])
def test_a_view_gets_a_few_points_per_pixel_and_every_peak(seconds, pixels):
    samples = (np.random.default_rng(1).standard_normal(int(RATE * 30)) * 0.2).astype(np.float32)
    samples = np.tile(samples, int(np.ceil(seconds / 30)))[: int(RATE * seconds)]
    samples[len(samples) // 3] = 0.99  # a lone spike somewhere in the middle
    points = curve(Pyramid(samples), RATE, 0.0, seconds, pixels)
    assert len(points.x) == len(points.y) <= max(RAW_PER_PIXEL, 4) * pixels + 8
    assert points.y.max() == samples.max() >= 0.99 and points.y.min() == samples.min()
    assert np.all(np.diff(points.x) >= 0) and points.x[0] >= 0 and points.x[-1] <= seconds + 1 / RATE


def test_a_slice_covers_exactly_what_is_visible():
    samples = np.linspace(-1, 1, RATE * 4, dtype=np.float32)
    points = curve(Pyramid(samples), RATE, 1.0, 2.0, 500)
    assert points.x[0] == pytest.approx(1.0, abs=0.01) and points.x[-1] == pytest.approx(2.0, abs=0.01)
    assert points.y.min() == pytest.approx(-0.5, abs=0.01) and points.y.max() == pytest.approx(0.0, abs=0.01)


@pytest.mark.parametrize("shape", [(2, 128_000), (1, 12_345), (3, 64 * 7 + 3), (70,), (1, 63)])
def test_every_level_holds_the_extremes_of_its_buckets(shape):
    """The pyramid is built by halving (fast); each level must equal the plain reduction of its buckets."""
    samples = np.random.default_rng(2).uniform(-1, 1, shape).astype(np.float32)
    pyramid = Pyramid(samples)
    data = np.atleast_2d(samples)
    lows, highs = data.min(axis=0), data.max(axis=0)
    assert np.array_equal(pyramid.raw[0], lows) and np.array_equal(pyramid.raw[1], highs)
    assert len(pyramid.levels) == (int(np.log2(len(lows) // BASE)) + 1 if len(lows) >= BASE else 0)
    for level, (level_lows, level_highs) in enumerate(pyramid.levels):
        size = BASE << level
        count = len(lows) // size
        assert np.array_equal(level_lows, lows[: count * size].reshape(count, size).min(axis=1))
        assert np.array_equal(level_highs, highs[: count * size].reshape(count, size).max(axis=1))
