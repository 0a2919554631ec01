"""Fast mode analyses a melody shared by several takes once; exact mode leaves audiocraft's batch alone."""

from __future__ import annotations

import numpy as np
import torch

from sketchpad.engine.melody_rows import _chroma_conditioner, distinct_rows_once
from sketchpad.engine.request import GenerationRequest
from tests.engine.test_precision import hum


def _rows_through_demucs(conditioner, monkeypatch) -> list[int]:
    seen: list[int] = []
    stem = conditioner._get_stemmed_wav

    def counting(wav, sample_rate):
        seen.append(int(wav.shape[0]))
        return stem(wav, sample_rate)

    monkeypatch.setattr(conditioner, "_get_stemmed_wav", counting)
    return seen


def test_twins_are_embedded_once_and_get_the_same_embedding(engine, tiny_models, monkeypatch):
    musicgen = engine.load(str(tiny_models.melody)).musicgen
    conditioner = _chroma_conditioner(musicgen)
    melody = torch.from_numpy(hum(1.0, rate=musicgen.sample_rate).samples)
    other = torch.roll(melody, 4000, dims=-1)
    silence = torch.zeros_like(melody)
    batch = torch.stack([melody, silence, melody, other, silence, melody])  # [6, 1, samples]
    seen = _rows_through_demucs(conditioner, monkeypatch)
    with torch.no_grad():
        plain = conditioner._compute_wav_embedding(batch, musicgen.sample_rate)
        with distinct_rows_once(musicgen):
            once = conditioner._compute_wav_embedding(batch, musicgen.sample_rate)
    assert seen == [6, 3]  # the melody, its shifted copy and the silence, each once
    assert "_compute_wav_embedding" not in vars(conditioner)  # audiocraft's own method again afterwards
    torch.testing.assert_close(once, plain, rtol=1e-4, atol=1e-5)
    torch.testing.assert_close(once[0], once[5])


def test_fast_variations_of_a_melody_run_demucs_on_two_rows_and_exact_on_all(engine, tiny_models, monkeypatch):
    conditioner = _chroma_conditioner(engine.load(str(tiny_models.melody)).musicgen)
    seen = _rows_through_demucs(conditioner, monkeypatch)
    request = GenerationRequest(str(tiny_models.melody), ("strings",) * 4, duration=0.5, seed=2, melody=hum())
    fast = engine.generate(request)
    assert seen and max(seen) == 2, seen  # the melody and guidance's silence
    assert len(fast) == 4 and all(np.isfinite(take.audio).all() for take in fast)
    seen.clear()
    engine.precision = "exact"
    try:
        engine.generate(request)
    finally:
        engine.precision = "fast"
    assert max(seen) == 8, seen  # audiocraft's batch as it is: four melodies and four silent rows
