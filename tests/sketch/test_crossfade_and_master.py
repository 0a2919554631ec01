"""Crossfades where clips of one track overlap, and the master fader, in the mixdown and the exports."""

from __future__ import annotations

import math

import numpy as np
import pytest
import soundfile as sf

from sketchpad.core.mixlaw import crossfade_curve
from sketchpad.sketch import Clip, ClipMedia, ExportOptions, SetMasterGain, Sketch, Track, export_mix, mixdown
from sketchpad.sketch.export import export_stems
from sketchpad.sketch.render import crossfades
from tests.sketch.conftest import RATE, build_sketch, noise


def const(value: float, frames: int) -> ClipMedia:
    return ClipMedia(RATE, {"source": np.full((1, frames), value, dtype=np.float32)})


def left_only(*clips: Clip) -> Sketch:
    """Mono clips hard left: the left channel is the track's sum, unscaled."""
    return Sketch(sample_rate=RATE, tracks=[Track(pan=-1.0, clips=list(clips))])


def test_crossfade_lengths_follow_the_overlaps() -> None:
    a = Clip(const(1, 100), start=0)
    b = Clip(const(1, 100), start=60)  # overlaps a's last 40 frames
    c = Clip(const(1, 100), start=160)  # touches b's end: no overlap
    inside = Clip(const(1, 10), start=20)  # wholly inside a
    same_start = Clip(const(1, 50), start=160)  # starts with c
    assert crossfades([c, a, b, inside, same_start]) == {a.id: (0, 40), b.id: (40, 0)}
    d = Clip(const(1, 100), start=90)  # overlaps b from 90 to 160, and a from 90 to 100
    found = crossfades([a, b, d])
    assert found[b.id] == (40, 70) and found[d.id] == (70, 0) and found[a.id] == (0, 40)


def test_overlapping_clips_crossfade_with_equal_power() -> None:
    length, overlap = 100, 16
    a_start, b_start = 0, length - overlap
    out_curve = crossfade_curve(overlap, fade_in=False)
    in_curve = crossfade_curve(overlap, fade_in=True)
    # Each clip alone (the other one silent): what the overlap does to it.
    going = mixdown(left_only(Clip(const(1, length), start=a_start), Clip(const(0, length), start=b_start)))[0]
    coming = mixdown(left_only(Clip(const(0, length), start=a_start), Clip(const(1, length), start=b_start)))[0]
    np.testing.assert_array_equal(going[:b_start], 1.0)
    np.testing.assert_array_equal(going[b_start:length], out_curve)
    np.testing.assert_array_equal(coming[b_start:length], in_curve)
    np.testing.assert_array_equal(coming[length:], 1.0)
    assert going[length:].max() == 0.0 and coming[:b_start].max() == 0.0
    # Equal power: the two gains' squares add to one at every frame of the overlap.
    np.testing.assert_allclose(out_curve.astype(np.float64) ** 2 + in_curve.astype(np.float64) ** 2, 1.0, atol=1e-6)
    assert in_curve[0] > 0 and in_curve[-1] < 1 and out_curve[-1] > 0  # no hard edge at either end
    middle = overlap // 2
    assert in_curve[middle - 1] < math.sqrt(0.5) < in_curve[middle]  # half way: -3 dB each


def test_two_unrelated_takes_keep_their_loudness_through_the_overlap() -> None:
    length, overlap = 3 * RATE // 10, RATE // 10
    a = Clip(ClipMedia(RATE, {"source": noise(1, length, seed=1)}), start=0)
    b = Clip(ClipMedia(RATE, {"source": noise(1, length, seed=2)}), start=length - overlap)
    left = mixdown(left_only(a, b))[0].astype(np.float64)

    def rms(part: np.ndarray) -> float:
        return float(np.sqrt(np.mean(part**2)))

    before, across = rms(left[: length - overlap]), rms(left[length - overlap : length])
    assert across == pytest.approx(before, rel=0.05)  # a linear crossfade would lose ~1.8 dB (18%) here
    summed = rms(a.audio[0, length - overlap :] + b.audio[0, :overlap])
    assert summed > 1.3 * before  # without the crossfade the overlap was ~3 dB louder


def test_a_clip_keeps_its_own_fades_under_a_crossfade() -> None:
    a = Clip(const(1, 100), start=0, fade_out=50)
    b = Clip(const(0, 100), start=80)
    left = mixdown(left_only(a, b))[0]
    fade = np.arange(50, dtype=np.float32)[::-1] / np.float32(50)  # its own linear fade-out
    np.testing.assert_array_equal(left[50:80], fade[:30])
    np.testing.assert_array_equal(left[80:100], fade[30:] * crossfade_curve(20, fade_in=False))


def test_the_master_fader_scales_the_mix_and_follows_undo() -> None:
    sketch = build_sketch()
    before = mixdown(sketch)
    edit = SetMasterGain(20 * math.log10(0.5))
    edit.apply(sketch)
    np.testing.assert_array_equal(mixdown(sketch), before * np.float32(0.5))  # halving is exact in floats
    np.testing.assert_array_equal(mixdown(sketch, 1000, 3000, block=333), (before * np.float32(0.5))[:, 1000:3000])
    edit.inverse().apply(sketch)
    np.testing.assert_array_equal(mixdown(sketch), before)


def test_exports_go_through_the_master_fader_and_stems_still_add_up(tmp_path) -> None:
    sketch = build_sketch()
    SetMasterGain(-6.0).apply(sketch)
    result = export_mix(sketch, tmp_path / "mix.wav", ExportOptions(format="wav32f"))
    written, rate = sf.read(result.path, dtype="float32", always_2d=True)
    assert rate == RATE
    np.testing.assert_array_equal(written.T, mixdown(sketch))
    SetMasterGain(0.0).apply(sketch)
    assert np.abs(written.T).max() < 0.6 * np.abs(mixdown(sketch)).max()  # -6 dB is about half
    SetMasterGain(-6.0).apply(sketch)
    stems = export_stems(sketch, tmp_path / "stems", ExportOptions(format="wav32f"))
    total = sum(sf.read(stem.path, dtype="float32", always_2d=True)[0].T for stem in stems)
    np.testing.assert_allclose(total, mixdown(sketch), atol=1e-6)
