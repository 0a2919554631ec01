"""The stereo view: levels per side, correlation, goniometer points, per-track meters, rate-limited."""

from __future__ import annotations

import numpy as np
import pytest

from sketchpad.ui.arrangement.stereo_view import FLOOR_DB, POINTS, StereoView
from tests.ui.timeline_sketches import tone


@pytest.fixture
def view(qtbot) -> StereoView:
    widget = StereoView(32000)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def feed_blocks(view: StereoView, left: np.ndarray, right: np.ndarray, block: int = 512) -> None:
    audio = np.stack([left, right]).astype(np.float32)
    for at in range(0, audio.shape[1], block):
        view.feed(audio[:, at : at + block])


def test_hard_left_shows_left_only_and_a_zero_correlation_stays_centred(qtbot, view):
    signal = tone(16000)[0]
    feed_blocks(view, signal, np.zeros_like(signal))
    view._repaint()
    left_db, right_db = view.master_bars.levels_db
    assert left_db == pytest.approx(20 * np.log10(0.5), abs=0.1) and right_db == FLOOR_DB
    assert view.correlation == 0.0
    # the goniometer's dots lie on the left diagonal: side = -mid
    assert np.allclose(view._x, -view._y, atol=1e-6) and np.abs(view._x).max() > 0.3


def test_correlation_is_plus_one_for_mono_and_minus_one_for_inverted(view):
    signal = tone(16000)[0]
    feed_blocks(view, signal, signal)
    view._repaint()
    assert view.correlation == pytest.approx(1.0, abs=1e-6) and view.correlation_meter.value > 0.99
    assert np.abs(view._x).max() < 1e-6  # mono: a vertical line
    view.reset()
    feed_blocks(view, signal, -signal)
    view._repaint()
    assert view.correlation == pytest.approx(-1.0, abs=1e-6)


def test_repaints_are_rate_limited_and_peaks_fall(qtbot, view):
    emitted = []
    view.levels.connect(lambda left, right: emitted.append(left))
    signal = tone(512)[0]
    for _ in range(200):  # far more blocks than frames in 100 ms
        view.feed(np.stack([signal, signal]))
    qtbot.wait(100)
    assert 1 <= len(emitted) <= 5
    first = emitted[0]
    qtbot.wait(300)  # silence now: the bars fall, smoothly
    assert emitted[-1] < first - 3 and emitted[-1] > FLOOR_DB


def test_goniometer_keeps_a_fixed_ring_of_points(view):
    rng = np.random.default_rng(0)
    noise = rng.uniform(-0.5, 0.5, (2, 32000)).astype(np.float32)
    buffer = view._x
    feed_blocks(view, noise[0], noise[1], block=4096)
    assert view._x is buffer and view._x.shape == (POINTS,)  # no growth, no new arrays
    view._repaint()
    assert abs(view.correlation) < 0.1  # independent noise is wide


def test_per_track_meters(view):
    view.set_tracks([("a", "Drums"), ("b", "Bass")])
    view.feed_track("a", np.stack([tone(512)[0], tone(512)[0] * 0.1]))
    view.feed_track("missing", tone(512, channels=2))  # a track that is gone: ignored
    view._repaint()
    left_db, right_db = view.track_bars["a"].levels_db
    assert left_db == pytest.approx(-6.0, abs=0.1) and right_db == pytest.approx(-26.0, abs=0.1)
    assert view.track_bars["b"].levels_db == (FLOOR_DB, FLOOR_DB)
