"""Loading tiny checkpoints through the same path a downloaded MusicGen takes."""

from __future__ import annotations

import os
import shutil

import pytest
import torch

from sketchpad.engine.engine import Engine
from sketchpad.engine.errors import ModelLoadError, ModelNotFoundError, ModelUnavailableOfflineError
from sketchpad.engine.request import GenerationRequest
from tests import tiny_models as build
from tests.engine.conftest import Payload


def test_load_by_folder_reports_the_model(engine, tiny_models):
    loaded = engine.load(str(tiny_models.mono))
    assert loaded.sample_rate == 32000 and loaded.channels == 1
    assert loaded.frame_rate == 50 and loaded.max_duration == 30
    assert not loaded.supports_melody
    assert loaded.key == str(tiny_models.mono.resolve())
    stereo = engine.load(str(tiny_models.stereo))
    assert stereo.channels == 2
    assert engine.load(str(tiny_models.melody)).supports_melody


def test_loading_the_same_model_twice_does_not_reload(tiny_models):
    engine = Engine("cpu", offline=True)
    first = engine.load(str(tiny_models.mono))
    second = engine.load(str(tiny_models.mono) + "/")
    assert first is second
    assert engine.models.loads == 1


def test_checkpoints_are_read_with_the_safe_loader(tiny_models, torch_load_calls):
    Engine("cpu", offline=True).load(str(tiny_models.mono))
    assert torch_load_calls == [True, True]


def test_a_model_in_the_hub_cache_loads_by_id_offline(tiny_models, tmp_path, monkeypatch):
    import huggingface_hub.constants as hub_constants

    monkeypatch.setattr(hub_constants, "HF_HUB_CACHE", str(tmp_path / "hub"))
    build.install_in_hub_cache(tiny_models.stereo, tmp_path, "facebook/musicgen-stereo-small")
    loaded = Engine("cpu", offline=True).load("facebook/musicgen-stereo-small")
    assert loaded.key == "facebook/musicgen-stereo-small" and loaded.channels == 2


def test_an_uncached_model_offline_says_so_and_what_to_do(tiny_models):
    with pytest.raises(ModelUnavailableOfflineError) as caught:
        Engine("cpu", offline=True).load("facebook/musicgen-large")
    message = str(caught.value)
    assert "facebook/musicgen-large is not on this computer" in message
    assert "offline" in message and "13 GB" in message and "model folder" in message


def test_a_missing_folder_is_named(tmp_path):
    with pytest.raises(ModelNotFoundError, match="There is no model folder at"):
        Engine("cpu").load(str(tmp_path / "nowhere"))


def test_a_folder_without_the_codec_is_named(tiny_models, tmp_path):
    shutil.copy(tiny_models.mono / "state_dict.bin", tmp_path / "state_dict.bin")
    with pytest.raises(ModelNotFoundError, match="compression_state_dict.bin is missing"):
        Engine("cpu").load(str(tmp_path))


def test_a_truncated_checkpoint_is_reported_as_damaged(tiny_models, tmp_path):
    shutil.copytree(tiny_models.mono, tmp_path / "model")
    path = tmp_path / "model" / "state_dict.bin"
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(ModelLoadError, match="state_dict.bin .* is damaged or incomplete"):
        Engine("cpu").load(str(tmp_path / "model"))


def test_a_checkpoint_that_would_run_code_is_refused(tiny_models, tmp_path):
    shutil.copytree(tiny_models.mono, tmp_path / "model")
    torch.save({"xp.cfg": "", "best_state": {}, "payload": Payload()}, tmp_path / "model" / "state_dict.bin")
    with pytest.raises(ModelLoadError, match="not a plain checkpoint"):
        Engine("cpu").load(str(tmp_path / "model"))


def test_a_checkpoint_of_something_else_is_named(tiny_models, tmp_path):
    shutil.copytree(tiny_models.mono, tmp_path / "model")
    torch.save({"weights": torch.zeros(3)}, tmp_path / "model" / "state_dict.bin")
    with pytest.raises(ModelLoadError, match="not an audiocraft checkpoint: xp.cfg, best_state missing"):
        Engine("cpu").load(str(tmp_path / "model"))


def test_mismatched_weights_fail_to_build_and_the_engine_stays_usable(tiny_models, tmp_path):
    shutil.copytree(tiny_models.mono, tmp_path / "model")
    shutil.copy(tiny_models.stereo / "state_dict.bin", tmp_path / "model" / "state_dict.bin")
    package = torch.load(tiny_models.mono / "state_dict.bin", weights_only=True)
    package["best_state"] = {key: value[..., :1] for key, value in package["best_state"].items()}
    torch.save(package, tmp_path / "model" / "state_dict.bin")
    engine = Engine("cpu", offline=True)
    with pytest.raises(ModelLoadError, match="could not be built from its checkpoint"):
        engine.load(str(tmp_path / "model"))
    takes = engine.generate(GenerationRequest(str(tiny_models.mono), ("calm",), duration=0.2, seed=1))
    assert takes[0].audio.shape == (1, 6400)


def test_the_melody_extractor_is_read_with_the_safe_loader_too(tiny_models, tampered_htdemucs):
    """demucs asks torch for the unsafe loader; a tampered htdemucs in the cache must not run code."""
    with pytest.raises(ModelLoadError, match="htdemucs melody extractor.*not a plain checkpoint"):
        Engine("cpu", offline=True).load(str(tiny_models.melody))
    assert "TORCH_FORCE_WEIGHTS_ONLY_LOAD" not in os.environ
