"""Stems from the engine: demucs' htdemucs (the tiny random one in the tests' torch hub cache) through
the same loader a real cache file takes; aligned sample for sample, summing back to the input."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import numpy as np
import pytest

from sketchpad.engine.engine import Engine
from sketchpad.engine.errors import GenerationCancelledError, StemsUnavailableError
from sketchpad.engine.stems import STEMS


def _music(channels: int, frames: int, rate: int) -> np.ndarray:
    t = np.arange(frames) / rate
    tone = 0.3 * np.sin(2 * np.pi * 220 * t) + 0.1 * np.sign(np.sin(2 * np.pi * 2 * t))
    return np.stack([tone * (1 - 0.3 * c) for c in range(channels)]).astype(np.float32)


@pytest.mark.parametrize(("channels", "rate"), [(2, 32000), (1, 48000)])
def test_stems_are_aligned_the_same_shape_and_sum_back(engine, tiny_models, channels, rate):
    audio = _music(channels, int(2.3 * rate), rate)
    seen = []
    stems = engine.split(audio, rate, progress=lambda done, total: seen.append((done, total)))
    assert list(stems) == list(STEMS)
    for stem in stems.values():
        assert stem.shape == audio.shape and stem.dtype == np.float32
    residual = sum(stems.values()) - audio
    assert 20 * np.log10(np.abs(residual).max() / np.abs(audio).max()) < -100  # exact up to float32 rounding
    assert seen and seen[-1][0] == seen[-1][1]


def test_a_split_can_be_cancelled_and_the_engine_goes_on(engine, tiny_models):
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(GenerationCancelledError):
        engine.split(_music(2, 32000 * 12, 32000), 32000, cancel=cancel)
    assert set(engine.split(_music(2, 3200, 32000), 32000)) == set(STEMS)


def test_without_htdemucs_offline_the_message_says_what_is_missing(tiny_models, tmp_path, monkeypatch):
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "empty-torch-home"))
    offline = Engine("cpu", offline=True)
    with pytest.raises(StemsUnavailableError, match="htdemucs .about 80 MB.*offline mode is on"):
        offline.split(_music(2, 3200, 32000), 32000)
    assert not Path(os.environ["TORCH_HOME"]).exists()  # nothing was fetched or written


def test_bad_audio_is_refused_in_one_sentence(engine):
    from sketchpad.engine.errors import InvalidRequestError

    for bad in (np.zeros((3, 100), np.float32), np.zeros((2, 0), np.float32), np.zeros(100, np.float32)):
        with pytest.raises(InvalidRequestError, match="mono or stereo"):
            engine.split(bad, 32000)


def test_a_tampered_htdemucs_is_refused_without_running_its_code(tiny_models, tampered_htdemucs):
    """demucs asks torch for the unsafe loader; splitting must not run code from a tampered cache file."""
    with pytest.raises(StemsUnavailableError, match="htdemucs could not be loaded.*Delete it"):
        Engine("cpu", offline=True).split(_music(2, 3200, 32000), 32000)
    assert "TORCH_FORCE_WEIGHTS_ONLY_LOAD" not in os.environ
