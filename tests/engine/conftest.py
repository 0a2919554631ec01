"""Engine test helpers."""

from __future__ import annotations

import pytest
import torch


@pytest.fixture
def torch_load_calls(monkeypatch) -> list:
    """The `weights_only` argument of every torch.load from now on, to prove the safe loader is used."""
    calls: list = []
    real_load = torch.load

    def spy(*args, **kwargs):
        calls.append(kwargs.get("weights_only"))
        return real_load(*args, **kwargs)

    monkeypatch.setattr(torch, "load", spy)
    return calls
