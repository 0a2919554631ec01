"""Tiny offline models for the benchmarks: the test suite's builders, in a private temporary world."""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def offline_world() -> Path:
    """Point the hub caches at a fresh temporary folder; call before importing torch-side libraries."""
    world = Path(tempfile.mkdtemp(prefix="sketchpad-bench-"))
    atexit.register(shutil.rmtree, world, ignore_errors=True)
    os.environ["HF_HOME"] = str(world / "hf")
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TORCH_HOME"] = str(world / "torch")
    # Ahead of site-packages, where a dependency installs a top-level package also named `tests`.
    sys.path.insert(0, str(ROOT))
    return world


def tiny_model(world: Path, name: str = "mono", **options: object) -> Path:
    from tests import tiny_models

    tiny_models.build_t5_cache(world / "hf")
    if options.get("melody"):
        tiny_models.build_htdemucs_cache(world / "torch")
    return tiny_models.build_model_folder(world / name, **options)
