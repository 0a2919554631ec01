"""Test-wide setup: an isolated, offline world, and tiny real models built once per session.

The environment is set at import, before any test imports huggingface_hub, transformers or torch
hub, because those read their cache locations when first imported.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

_WORLD = Path(tempfile.mkdtemp(prefix="sketchpad-tests-"))
atexit.register(shutil.rmtree, _WORLD, ignore_errors=True)
os.environ["HF_HOME"] = str(_WORLD / "hf")
os.environ["HF_HUB_OFFLINE"] = "1"  # nothing in the tests may reach a hub
os.environ["TORCH_HOME"] = str(_WORLD / "torch")
os.environ["XDG_CONFIG_HOME"] = str(_WORLD / "config")
os.environ["XDG_DATA_HOME"] = str(_WORLD / "data")
os.environ["QT_QPA_PLATFORM"] = "offscreen"


# Property tests: the same examples on every run by default (CI never fails by chance); a broader,
# random search on demand: SKETCHPAD_HYPOTHESIS=broad uv run pytest tests/sketch
hypothesis_settings.register_profile("pinned", max_examples=150, derandomize=True, print_blob=True)
hypothesis_settings.register_profile("broad", max_examples=2000, derandomize=False, print_blob=True)
hypothesis_settings.load_profile(os.environ.get("SKETCHPAD_HYPOTHESIS", "pinned"))


@dataclass(frozen=True)
class TinyModels:
    """Folders of tiny random checkpoints in audiocraft's released layout."""

    root: Path
    mono: Path
    stereo: Path
    melody: Path
    short_window: Path  # a 4 s window, to exercise audiocraft's extension cheaply
    mbd: Path
    hf_home: Path


@pytest.fixture(scope="session")
def tiny_models() -> TinyModels:
    from tests import tiny_models as build

    root = _WORLD / "models"
    hf_home = Path(os.environ["HF_HOME"])
    build.build_t5_cache(hf_home)
    build.build_htdemucs_cache(Path(os.environ["TORCH_HOME"]))
    return TinyModels(
        root=root,
        mono=build.build_model_folder(root / "mono", seed=1),
        stereo=build.build_model_folder(root / "stereo", stereo=True, seed=2),
        melody=build.build_model_folder(root / "melody", melody=True, seed=3),
        short_window=build.build_model_folder(root / "short", segment_duration=4.0, seed=4),
        mbd=build.build_mbd_folder(root / "mbd", seed=5),
        hf_home=hf_home,
    )


@pytest.fixture(scope="session")
def engine(tiny_models: TinyModels):
    """One CPU engine for the session, so each tiny model loads once."""
    from sketchpad.engine.engine import Engine

    return Engine("cpu", offline=True)


@pytest.fixture
def world() -> Path:
    """The session's isolated folder (hub caches, config, data)."""
    return _WORLD
