"""Durable writing and melody preparation."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from sketchpad.audio.errors import SilentTakeError
from sketchpad.audio.files import read_audio
from sketchpad.audio.melody import prepare_melody
from sketchpad.audio.writing import write_audio
from sketchpad.core import durable
from tests.audio.signals import dominant_hz, sine


@pytest.mark.parametrize(("name", "subtype"), [("a.wav", "PCM_24"), ("a.flac", None), ("a.wav", "FLOAT")])
def test_write_round_trips(tmp_path: Path, name: str, subtype: str | None) -> None:
    stereo = np.stack([sine(440, 0.5, 32000), sine(660, 0.5, 32000)])
    write_audio(tmp_path / name, stereo, 32000, subtype=subtype)
    back = read_audio(tmp_path / name)
    assert back.sample_rate == 32000
    np.testing.assert_allclose(back.samples, stereo, atol=1e-4)
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # no temporary left behind


def test_write_is_fsynced_then_renamed_then_the_folder_fsynced(tmp_path: Path, monkeypatch) -> None:
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        events.append("fsync-dir" if os.path.isdir(f"/proc/self/fd/{fd}") else "fsync-file")
        real_fsync(fd)

    def replace(src: str, dst: str) -> None:
        events.append("replace")
        real_replace(src, dst)

    monkeypatch.setattr(durable.os, "fsync", fsync)
    monkeypatch.setattr(durable.os, "replace", replace)
    write_audio(tmp_path / "x.wav", np.zeros(100, np.float32), 8000)
    assert events == ["fsync-file", "replace", "fsync-dir"]


def test_a_failed_write_leaves_the_old_file_untouched(tmp_path: Path) -> None:
    target = tmp_path / "keep.wav"
    write_audio(target, np.full(100, 0.25, np.float32), 8000)
    before = target.read_bytes()
    bad = np.full(100, np.nan, np.float32)
    with pytest.raises(ValueError, match="NaN"):
        write_audio(target, bad, 8000)
    with pytest.raises(ValueError, match="Invalid combination"):
        write_audio(target, np.zeros(100, np.float32), 8000, subtype="VORBIS")  # WAV cannot hold Vorbis
    assert target.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["keep.wav"]


def _take(rate: int) -> np.ndarray:
    quiet = np.random.default_rng(3).normal(0, 1e-4, int(0.7 * rate)).astype(np.float32)
    note = sine(247, 2.0, rate, amplitude=0.05)
    tail = np.zeros(rate, np.float32)
    mono = np.concatenate([quiet, note, tail])
    return np.stack([mono, mono * 0.5])  # a stereo take, louder on the left


def test_melody_is_trimmed_normalised_mono_and_resampled() -> None:
    prepared = prepare_melody(_take(44100), 44100, target_rate=32000, max_seconds=30)
    assert prepared.samples.shape[0] == 1 and prepared.sample_rate == 32000
    assert prepared.start_seconds == pytest.approx(0.65, abs=0.02)  # 0.7 s minus the 50 ms margin
    assert prepared.end_seconds == pytest.approx(2.75, abs=0.02)
    assert prepared.source_seconds == pytest.approx(3.7, abs=0.001) and not prepared.capped
    assert prepared.samples.shape[1] == pytest.approx((prepared.end_seconds - prepared.start_seconds) * 32000, abs=2)
    rms_db = 20 * np.log10(np.sqrt(np.mean(np.square(prepared.samples, dtype=np.float64))))
    assert rms_db == pytest.approx(-20.0, abs=0.5)
    assert dominant_hz(prepared.samples[0], 32000) == pytest.approx(247, abs=1)


def test_melody_is_capped_to_what_the_model_uses() -> None:
    prepared = prepare_melody(sine(200, 12.0, 16000), 16000, target_rate=32000, max_seconds=5)
    assert prepared.capped and prepared.samples.shape == (1, 5 * 32000)
    assert prepared.start_seconds == 0.0 and prepared.end_seconds == pytest.approx(5.0)


def test_a_spiky_take_is_limited_by_its_peak() -> None:
    take = np.zeros(32000, np.float32)
    take[16000] = 0.9
    prepared = prepare_melody(take, 32000, target_rate=32000, max_seconds=30)
    assert np.abs(prepared.samples).max() <= 10 ** (-1 / 20) + 1e-3


def test_silence_is_not_a_melody() -> None:
    with pytest.raises(SilentTakeError, match="silent"):
        prepare_melody(np.zeros((1, 48000), np.float32), 48000, target_rate=32000, max_seconds=30)
    with pytest.raises(SilentTakeError, match="empty"):
        prepare_melody(np.zeros((1, 0), np.float32), 48000, target_rate=32000, max_seconds=30)
