"""Mixdown against values worked out by hand: pan law, gains, fades, trims, placement, mute/solo."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sketchpad.sketch import (
    Clip,
    ClipMedia,
    Sketch,
    Track,
    mixdown,
    render_clip,
    resolve_range,
    track_coefficients,
)
from sketchpad.sketch.render import NO_CROSSFADE, crossfades
from tests.sketch.conftest import RATE

HALF_DB = 20 * math.log10(0.5)
C = math.sqrt(0.5)


def const_media(values: list[float], frames: int = 10) -> ClipMedia:
    audio = np.repeat(np.array(values, dtype=np.float32)[:, None], frames, axis=1)
    return ClipMedia(RATE, {"source": audio})


def one_clip(clip: Clip, **track: object) -> Sketch:
    return Sketch(sample_rate=RATE, tracks=[Track(clips=[clip], **track)])  # type: ignore[arg-type]


@pytest.mark.parametrize(("pan", "left", "right"), [(-1.0, 1.0, 0.0), (0.0, C, C), (1.0, 0.0, 1.0)])
def test_mono_pan_law_is_constant_power(pan: float, left: float, right: float) -> None:
    mix = mixdown(one_clip(Clip(const_media([1.0])), pan=pan))
    assert mix[0] == pytest.approx(np.full(10, left), abs=1e-7)
    assert mix[1] == pytest.approx(np.full(10, right), abs=1e-7)
    assert mix[0, 0] ** 2 + mix[1, 0] ** 2 == pytest.approx(1.0, abs=1e-6)


@pytest.mark.parametrize(
    ("pan", "left", "right"),
    [(-1.0, 0.5, 0.0), (0.0, 0.5, 0.25), (1.0, 0.0, 0.25), (-0.5, 0.5, 0.25 * math.sin(math.pi / 8) / C)],
)
def test_stereo_pan_is_a_balance(pan: float, left: float, right: float) -> None:
    mix = mixdown(one_clip(Clip(const_media([0.5, 0.25])), pan=pan))
    assert mix[:, 3] == pytest.approx([left, right], abs=1e-7)


def test_gains_multiply() -> None:
    mix = mixdown(one_clip(Clip(const_media([1.0]), gain_db=HALF_DB), gain_db=HALF_DB, pan=-1.0))
    assert mix[0] == pytest.approx(np.full(10, 0.25), rel=1e-6)


def test_fades_are_linear_ramps_inside_the_trimmed_window() -> None:
    ramp = ClipMedia(RATE, {"source": np.arange(20, dtype=np.float32)[None, :]})
    clip = Clip(ramp, start=3, trim_in=5, trim_out=5, fade_in=4, fade_out=5)  # plays source 5..14
    mix = mixdown(one_clip(clip, pan=-1.0))
    envelope = [0, 0.25, 0.5, 0.75, 1, 4 / 5, 3 / 5, 2 / 5, 1 / 5, 0]
    expected = [0, 0, 0] + [s * e for s, e in zip(range(5, 15), envelope, strict=True)]
    assert mix.shape == (2, 13)
    assert mix[0] == pytest.approx(expected, abs=1e-5)
    assert render_clip(clip, RATE)[0] == pytest.approx(expected[3:], abs=1e-5)


def test_placement_is_sample_accurate_and_a_clip_inside_another_adds() -> None:
    track = Track(
        pan=-1.0, clips=[Clip(const_media([1.0], 4), start=2), Clip(const_media([0.5], 3), start=6)]
    )
    mix = mixdown(Sketch(sample_rate=RATE, tracks=[track]), 0, 10)
    assert mix[0].tolist() == [0, 0, 1, 1, 1, 1, 0.5, 0.5, 0.5, 0]  # touching clips: no overlap to fade
    track.clips.append(Clip(const_media([0.25], 2), start=3))  # wholly inside the first: no crossfade
    mix = mixdown(Sketch(sample_rate=RATE, tracks=[track]), 0, 10)
    assert mix[0].tolist() == [0, 0, 1, 1.25, 1.25, 1, 0.5, 0.5, 0.5, 0]


def test_mute_and_solo_choose_what_is_heard() -> None:
    a = Track(pan=-1.0, clips=[Clip(const_media([1.0]))])
    b = Track(pan=-1.0, clips=[Clip(const_media([2.0]))])
    sketch = Sketch(sample_rate=RATE, tracks=[a, b])
    assert mixdown(sketch)[0, 0] == 3.0
    b.mute = True
    assert mixdown(sketch)[0, 0] == 1.0
    b.solo = True  # solo does not unmute
    assert mixdown(sketch)[0, 0] == 0.0
    b.mute, a.solo = False, True
    assert mixdown(sketch)[0, 0] == 3.0
    b.solo = False
    assert mixdown(sketch)[0, 0] == 1.0


def reference_mix(sketch: Sketch, start: int, end: int) -> np.ndarray:
    """The documented formula, written the slow way."""
    out = np.zeros((2, end - start), dtype=np.float32)
    for track in sketch.audible_tracks():
        sums = {ch: np.zeros((ch, end - start), dtype=np.float32) for ch in (1, 2)}
        used = set()
        overlaps = crossfades(track.clips)
        for clip in track.clips:
            part = render_clip(clip, sketch.sample_rate, overlaps.get(clip.id, NO_CROSSFADE))
            lo, hi = max(start, clip.start), min(end, clip.end)
            if lo < hi:
                sums[clip.channels][:, lo - start : hi - start] += part[:, lo - clip.start : hi - clip.start]
                used.add(clip.channels)
        for ch in sorted(used):
            out += sums[ch] * track_coefficients(track, ch)
    return out * np.float32(10 ** (sketch.master_gain_db / 20))


@pytest.mark.parametrize("block", [1, 7, 1000, 16384])
def test_mixdown_matches_the_formula_exactly_whatever_the_block(sketch: Sketch, block: int) -> None:
    expected = reference_mix(sketch, 0, sketch.length + 50)
    np.testing.assert_array_equal(mixdown(sketch, 0, sketch.length + 50, block=block), expected)


def test_a_slice_of_the_mix_renders_the_same_and_reports_each_block(sketch: Sketch) -> None:
    whole = mixdown(sketch)
    for start, frames in [(0, 256), (4000, 1500), (sketch.length - 10, 64)]:
        heard: list[tuple[int, int]] = []
        part = mixdown(sketch, start, start + frames, block=100, progress=lambda *step, heard=heard: heard.append(step))
        np.testing.assert_array_equal(
            part[:, : max(0, min(frames, sketch.length - start))], whole[:, start : start + frames]
        )
        assert heard[-1] == (frames, frames) and len(heard) == -(-frames // 100)


def test_render_clip_checks_the_rate_and_range(sketch: Sketch) -> None:
    clip = sketch.tracks[0].clips[0]
    assert render_clip(clip, RATE).shape == (2, clip.length)
    with pytest.raises(ValueError, match="Hz"):
        render_clip(clip, 44100)


def test_render_clip_leaves_shared_audio_alone(sketch: Sketch) -> None:
    clip = sketch.tracks[0].clips[0]
    before = clip.audio.copy()
    render_clip(clip, RATE)
    np.testing.assert_array_equal(clip.audio, before)


def test_ranges(sketch: Sketch) -> None:
    assert resolve_range(sketch, "all") == (0, sketch.length)
    assert resolve_range(sketch, "loop") == (1000, 8000)
    assert resolve_range(sketch, (5, 9)) == (5, 9)
    sketch.loop = None
    for bad in ("loop", (9, 5), "middle"):
        with pytest.raises(ValueError):
            resolve_range(sketch, bad)  # type: ignore[arg-type]
    assert mixdown(sketch, 100, 100).shape == (2, 0)
    assert mixdown(Sketch()).shape == (2, 0)
