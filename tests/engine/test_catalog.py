"""The model catalog and on-disk detection: no torch needed."""

from __future__ import annotations

from sketchpad.engine import catalog
from tests import tiny_models as build

EXPECTED = {
    "facebook/musicgen-small": (False, False),
    "facebook/musicgen-medium": (False, False),
    "facebook/musicgen-large": (False, False),
    "facebook/musicgen-melody": (True, False),
    "facebook/musicgen-melody-large": (True, False),
    "facebook/musicgen-stereo-small": (False, True),
    "facebook/musicgen-stereo-medium": (False, True),
    "facebook/musicgen-stereo-large": (False, True),
    "facebook/musicgen-stereo-melody": (True, True),
    "facebook/musicgen-stereo-melody-large": (True, True),
}


def test_catalog_lists_every_released_model_with_its_abilities():
    assert {info.id: (info.melody, info.stereo) for info in catalog.CATALOG} == EXPECTED
    for info in catalog.CATALOG:
        assert info.download_gb > 0 and info.memory_gb > 0
        assert info.params in {"300M", "1.5B", "3.3B"}


def test_find_accepts_short_names():
    assert catalog.find("musicgen-melody").id == "facebook/musicgen-melody"
    assert catalog.find("facebook/musicgen-stereo-small").stereo
    assert catalog.find("not-a-model") is None


def test_label_shows_abilities():
    assert catalog.find("facebook/musicgen-stereo-melody").label == "musicgen-stereo-melody (1.5B, stereo, melody)"


def test_nothing_on_disk_in_a_fresh_cache_and_small_is_the_default():
    assert not any(catalog.is_on_disk(info.id) for info in catalog.CATALOG)
    assert catalog.default_model() == "facebook/musicgen-small"


def test_a_model_folder_and_a_cached_hub_model_count_as_on_disk(tiny_models, tmp_path, monkeypatch):
    assert catalog.is_on_disk(str(tiny_models.mono))
    assert not catalog.is_on_disk(str(tmp_path))
    # A private cache, so installing a model here leaves the session's cache as it was.
    hf_home = tmp_path / "hf"
    monkeypatch.setenv("HF_HUB_CACHE", str(hf_home / "hub"))
    import huggingface_hub.constants as hub_constants

    monkeypatch.setattr(hub_constants, "HF_HUB_CACHE", str(hf_home / "hub"))
    build.install_in_hub_cache(tiny_models.mono, hf_home, "facebook/musicgen-medium")
    assert catalog.is_on_disk("facebook/musicgen-medium")
    assert catalog.default_model() == "facebook/musicgen-medium"
