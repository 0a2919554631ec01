"""Checkpoint folders with the released MusicGen geometry, random weights, built offline.

Random weights make noise, but every step costs what the released model's step costs: the same
matrices, the same attention, the same codec. The geometry comes from audiocraft's released configs:

- config/model/lm/model_scale/small.yaml (dim 1024, 16 heads, 24 layers) and medium.yaml (1536, 24, 48);
- config/model/lm/musicgen_lm.yaml and lm/default.yaml (4 codebooks of 2048, hidden_scale 4, no biases,
  pre-norm, delay pattern [0, 1, 2, 3], memory-efficient attention, cross-attention to the text);
- config/model/encodec/encodec_large_nq4_s640.yaml over encodec/default.yaml (the 32 kHz EnCodec:
  SEANet dimension 128, n_filters 64, ratios [8, 5, 4, 4], 2 LSTM layers, RVQ 4 x 2048).

The text encoder stays the tests' tiny `t5-base` stand-in (its width is t5-base's 768, so the LM's
cross-attention has the released shape; only the prompt's encoding, once per take, is cheaper).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RELEASED_LM = {
    "small": {"dim": 1024, "heads": 16, "layers": 24},
    "medium": {"dim": 1536, "heads": 24, "layers": 48},
}
RELEASED_CODEC = {"dimension": 128, "n_filters": 64, "lstm": 2, "bins": 2048}


def fullsize_world() -> Path:
    """A lasting offline world for full-size fixtures (they take a minute and 2 GB to build), with the hub
    caches pointed into it; call before importing torch-side libraries. SKETCHPAD_BENCH_WORLD moves it."""
    world = Path(os.environ.get("SKETCHPAD_BENCH_WORLD") or Path(tempfile.gettempdir()) / "sketchpad-bench-fullsize")
    world.mkdir(parents=True, exist_ok=True)
    os.environ["HF_HOME"] = str(world / "hf")
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TORCH_HOME"] = str(world / "torch")
    # Ahead of site-packages, where a dependency installs a top-level package also named `tests`.
    sys.path.insert(0, str(ROOT))
    return world


def fullsize_model(world: Path, size: str = "small", *, stereo: bool = False, melody: bool = False,
                   seed: int = 0) -> Path:
    """A model folder in audiocraft's layout (state_dict.bin, compression_state_dict.bin) under `world`.

    Built once per world; `t5-base` (and `htdemucs` for melody) are laid into the world's caches too.
    """
    from tests import tiny_models

    tiny_models.build_t5_cache(world / "hf")
    if melody:
        tiny_models.build_htdemucs_cache(world / "torch")
    name = f"{size}{'-stereo' if stereo else ''}{'-melody' if melody else ''}"
    folder = world / f"fullsize-{name}"
    if (folder / "state_dict.bin").exists() and (folder / "compression_state_dict.bin").exists():
        return folder
    return tiny_models.build_model_folder(
        folder, stereo=stereo, melody=melody, seed=seed, hidden_scale=4, card=2048, codec=RELEASED_CODEC,
        **RELEASED_LM[size])


def lm_linear_weights(lm: object) -> int:
    """How many weights the LM's linear layers hold (attention, cross-attention, feed-forward, outputs):
    what one step must read, whatever else it does."""
    count = 0
    for name, parameter in lm.transformer.named_parameters():  # type: ignore[attr-defined]
        if parameter.dim() == 2 and "norm" not in name:
            count += parameter.numel()
    count += sum(linear.weight.numel() for linear in lm.linears)  # type: ignore[attr-defined]
    return count
