"""A melody shared by every take of a request is analysed once (fast mode).

audiocraft's ChromaStemConditioner runs demucs and the chroma extractor over the whole conditioning
batch: for four variations, four copies of the melody and, for classifier-free guidance, four silent
rows, so eight demucs passes where two rows differ (bench: four melody variations took 2.5x the time of
one). In fast mode the engine analyses each distinct row once and copies the result to its twins. Exact
mode leaves audiocraft's computation as it is: a batch of two rows may round differently in the last
bits from a batch of eight, and exact mode promises audiocraft's tokens.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import torch


def _chroma_conditioner(musicgen: Any) -> Any | None:
    from audiocraft.modules.conditioners import ChromaStemConditioner

    conditioners = getattr(musicgen.lm.condition_provider, "conditioners", {})
    return next((c for c in conditioners.values() if isinstance(c, ChromaStemConditioner)), None)


@contextmanager
def distinct_rows_once(musicgen: Any) -> Iterator[None]:
    """For one call: the melody conditioner embeds each distinct waveform of its batch once."""
    conditioner = _chroma_conditioner(musicgen)
    if conditioner is None:
        yield
        return
    embed = conditioner._compute_wav_embedding

    def once(wav: torch.Tensor, sample_rate: int) -> torch.Tensor:
        if wav.shape[0] < 2 or wav.shape[-1] == 1:
            return embed(wav, sample_rate)
        distinct, twins = torch.unique(wav.reshape(wav.shape[0], -1), dim=0, return_inverse=True)
        if distinct.shape[0] == wav.shape[0]:
            return embed(wav, sample_rate)
        return embed(distinct.reshape(-1, *wav.shape[1:]), sample_rate)[twins]

    conditioner._compute_wav_embedding = once  # an instance attribute: audiocraft's method is back when deleted
    try:
        yield
    finally:
        del conditioner._compute_wav_embedding
