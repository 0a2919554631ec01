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


class Payload:
    """Any class a checkpoint would need to run code to rebuild."""


@pytest.fixture
def tampered_htdemucs(tmp_path, monkeypatch):
    """An htdemucs in torch hub's cache that would need code to run to be read (demucs asks torch for the
    unsafe loader), with TORCH_HOME pointing at it."""
    from demucs.htdemucs import HTDemucs

    from tests import tiny_models as build

    tampered = tmp_path / "torch" / "hub" / "checkpoints" / build.HTDEMUCS_FILE
    tampered.parent.mkdir(parents=True)
    torch.save({"klass": HTDemucs, "args": [], "kwargs": {}, "state": {}, "payload": Payload()}, tampered)
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "torch"))
    return tampered
