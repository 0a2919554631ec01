"""The waveform's points: few whatever the zoom, and never hiding a peak."""

from __future__ import annotations

import numpy as np
import pytest

from sketchpad.ui.peaks import RAW_PER_PIXEL, PeakPyramid

RATE = 32000


@pytest.mark.parametrize("seconds", [0.01, 0.2, 2.0, 10.0, 600.0])
@pytest.mark.parametrize("pixels", [300, 1100])
def test_a_view_gets_a_few_points_per_pixel_and_every_peak(seconds, pixels):
    samples = (np.random.default_rng(1).standard_normal(int(RATE * 30)) * 0.2).astype(np.float32)
    samples = np.tile(samples, int(np.ceil(seconds / 30)))[: int(RATE * seconds)]
    samples[len(samples) // 3] = 0.99  # a lone spike somewhere in the middle
    pyramid = PeakPyramid(samples, RATE)
    curve = pyramid.curve(0.0, seconds, pixels)
    assert len(curve.x) == len(curve.y) <= max(RAW_PER_PIXEL, 4) * pixels + 8
    assert curve.y.max() == samples.max() >= 0.99 and curve.y.min() == samples.min()
    assert np.all(np.diff(curve.x) >= 0) and curve.x[0] >= 0 and curve.x[-1] <= seconds + 1 / RATE


def test_a_slice_covers_exactly_what_is_visible():
    samples = np.linspace(-1, 1, RATE * 4, dtype=np.float32)
    curve = PeakPyramid(samples, RATE).curve(1.0, 2.0, 500)
    assert curve.x[0] == pytest.approx(1.0, abs=0.01) and curve.x[-1] == pytest.approx(2.0, abs=0.01)
    assert curve.y.min() == pytest.approx(-0.5, abs=0.01) and curve.y.max() == pytest.approx(0.0, abs=0.01)
