"""Exact mode gives audiocraft's own tokens for a seed; fast mode gives valid takes of the right shape."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
import torch

from sketchpad.engine import precision
from sketchpad.engine.engine import Engine
from sketchpad.engine.errors import InvalidRequestError
from sketchpad.engine.generation import extend_stride, seed_everything
from sketchpad.engine.request import AudioInput, GenerationRequest


def hum(seconds: float = 2.0, rate: int = 32000, pitch: float = 220.0) -> AudioInput:
    t = np.arange(int(seconds * rate)) / rate
    return AudioInput((0.4 * np.sin(2 * np.pi * pitch * t)).astype(np.float32)[None], rate)


@pytest.fixture(scope="module")
def exact_engine(tiny_models) -> Engine:
    return Engine("cpu", offline=True, precision="exact")


def audiocraft_tokens(engine: Engine, request: GenerationRequest) -> np.ndarray:
    """The same request through audiocraft's MusicGen alone (its own LM loop), as the engine seeds it."""
    loaded = engine.load(request.model)
    musicgen = loaded.musicgen
    assert "generate" not in vars(musicgen.lm), "the engine must leave audiocraft's own loop in place"
    musicgen.set_generation_params(
        use_sampling=True, top_k=min(request.top_k, int(musicgen.lm.card)), top_p=request.top_p,
        temperature=request.temperature, duration=request.duration, cfg_coef=request.cfg_coef,
        extend_stride=extend_stride(musicgen.max_duration))
    prompts = list(request.prompts)
    seed_everything(int(request.seed or 0))
    with torch.no_grad():
        if request.melody is not None:
            melody = torch.from_numpy(request.melody.samples)[None].expand(len(prompts), -1, -1)
            _, tokens = musicgen.generate_with_chroma(prompts, melody, request.melody.sample_rate, return_tokens=True)
        elif request.continuation is not None:
            start = torch.from_numpy(request.continuation.samples)[None].expand(len(prompts), -1, -1)
            _, tokens = musicgen.generate_continuation(start, request.continuation.sample_rate, prompts,
                                                       return_tokens=True)
        else:
            _, tokens = musicgen.generate(prompts, return_tokens=True)
    return tokens.numpy().astype(np.int32)


@pytest.mark.parametrize("case", ["mono", "stereo", "melody", "continuation", "beyond_the_window"])
def test_exact_mode_gives_audiocraft_tokens_for_a_seed(exact_engine, tiny_models, case):
    model = {"mono": tiny_models.mono, "stereo": tiny_models.stereo, "melody": tiny_models.melody,
             "continuation": tiny_models.mono, "beyond_the_window": tiny_models.short_window}[case]
    fields: dict = {"duration": 1.2, "top_k": 20, "seed": 17}
    if case == "melody":
        fields["melody"] = hum()
    if case == "continuation":
        start = exact_engine.generate(GenerationRequest(str(model), ("piano",), duration=0.5, seed=3))[0]
        fields["continuation"] = AudioInput(start.audio, start.sample_rate)
    if case == "beyond_the_window":
        fields["duration"] = 6.0  # two windows of 4 s: the extension loop reuses the cache
    request = GenerationRequest(str(model), ("earthy tones", "jazz"), **fields)
    takes = exact_engine.generate(request)
    expected = audiocraft_tokens(exact_engine, request)
    assert all(take.params["precision"] == "exact" for take in takes)
    assert takes[0].params["lm_weights"] == "as-loaded", "exact mode on the CPU runs the static-cache step"
    np.testing.assert_array_equal(np.stack([take.tokens for take in takes]), expected)


@pytest.mark.parametrize("case", ["mono", "stereo", "melody"])
def test_fast_mode_gives_valid_takes_of_the_right_shape(engine, tiny_models, case):
    assert engine.precision == "fast", "fast is the CPU's default"
    model = {"mono": tiny_models.mono, "stereo": tiny_models.stereo, "melody": tiny_models.melody}[case]
    melody = hum() if case == "melody" else None
    request = GenerationRequest(str(model), ("earthy tones", "jazz"), duration=1.0, seed=5, melody=melody)
    takes = engine.generate(request)
    channels, codebooks = (2, 8) if case == "stereo" else (1, 4)
    for take in takes:
        assert take.audio.shape == (channels, 32000) and take.tokens.shape == (codebooks, 50)
        assert np.isfinite(take.audio).all() and np.abs(take.audio).max() > 0
        assert take.tokens.min() >= 0 and take.tokens.max() < 32
        assert take.params["precision"] == "fast" and take.params["lm_weights"] == "int8"
    assert not np.array_equal(takes[0].tokens, takes[1].tokens)
    again = engine.generate(request)
    np.testing.assert_array_equal(again[0].tokens, takes[0].tokens)  # still one take per seed


def test_fast_mode_mostly_agrees_with_exact_mode(engine, exact_engine, tiny_models):
    """Fast tokens are not exact tokens, but they come from nearly the same distribution: a take starts
    out the same and only drifts once one draw falls the other way."""
    request = GenerationRequest(str(tiny_models.mono), ("lofi piano",), duration=1.0, top_k=20, seed=9)
    fast = engine.generate(request)[0].tokens
    exact = exact_engine.generate(request)[0].tokens
    assert not np.array_equal(fast, exact)
    assert np.array_equal(fast[:, :3], exact[:, :3]), "the first frames come out the same"


def test_precision_choices_resolve_per_device():
    assert precision.resolve_precision(None, "cpu") == "fast"
    assert precision.resolve_precision("auto", "cuda") == "exact"
    assert precision.resolve_precision("auto", "mps") == "exact"
    assert precision.resolve_precision("EXACT", "cpu") == "exact"
    assert precision.resolve_precision("fast", "cuda") == "fast"
    with pytest.raises(InvalidRequestError, match="Unknown precision"):
        precision.resolve_precision("fastest", "cpu")
    assert 0.5 < precision.FAST_AGREEMENT < 1.0
    assert f"{precision.FAST_AGREEMENT:.0%}" in precision.describe("fast")


def test_the_window_can_read_the_precision_vocabulary_without_torch():
    code = ("import sys; from sketchpad.engine import precision; "
            "print(precision.FAST_AGREEMENT, 'torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out[1] == "False"


def test_int8_weights_unavailable_is_said_in_the_log_and_fast_mode_keeps_float32(engine, tiny_models, monkeypatch,
                                                                                  caplog):
    import dataclasses
    import logging

    from sketchpad.engine import stepping

    if not any(kind in torch.backends.quantized.supported_engines for kind in ("x86", "fbgemm")):
        pytest.skip("this torch has no int8 kernels to fail")
    loaded = dataclasses.replace(engine.load(str(tiny_models.mono)), steps={})  # nothing built for it yet

    def no_kernels(lm, weight_format):
        raise RuntimeError("no int8 kernels on this CPU")

    monkeypatch.setattr(stepping, "extract_weights", no_kernels)
    with caplog.at_level(logging.WARNING, logger="sketchpad.engine.stepping"):
        assert stepping.weight_format(loaded, "fast") == "as-loaded"
    assert "int8 weights unavailable (no int8 kernels on this CPU)" in caplog.text
