"""Splitting 60 s of stereo into stems on this machine's CPU, through the engine as the window and
`sketchpad split` run it, with htdemucs in its released geometry (demucs' HTDemucs defaults: 48 channels,
depth 4, nfft 4096, 5 transformer layers; random weights cost what the released ones do) in a private
torch hub cache. Prints `split_realtime_x` (seconds of audio per second of splitting; median of 3 after a
warm-up), `split_seconds` and `split_load_s` (building the separator, once)."""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SECONDS = 60.0


def main() -> None:
    world = Path(tempfile.mkdtemp(prefix="sketchpad-bench-split-"))
    os.environ["TORCH_HOME"] = str(world / "torch")
    os.environ["HF_HOME"] = str(world / "hf")
    os.environ["HF_HUB_OFFLINE"] = "1"
    sys.path.insert(0, str(ROOT))

    import numpy as np
    import torch
    from demucs.htdemucs import HTDemucs
    from demucs.states import serialize_model
    from omegaconf import OmegaConf

    from sketchpad.engine.catalog import HTDEMUCS_FILE
    from sketchpad.engine.engine import Engine

    target = world / "torch" / "hub" / "checkpoints" / HTDEMUCS_FILE
    target.parent.mkdir(parents=True)
    torch.manual_seed(0)
    released = HTDemucs(sources=["drums", "bass", "other", "vocals"], audio_channels=2, samplerate=44100, segment=7.8)
    torch.save(serialize_model(released, OmegaConf.create({}), half=False), target)

    rate = 44100
    t = np.arange(int(SECONDS * rate)) / rate
    audio = np.stack([0.3 * np.sin(2 * np.pi * 110 * t), 0.3 * np.sin(2 * np.pi * 165 * t)]).astype(np.float32)
    audio += 0.05 * np.random.default_rng(0).standard_normal(audio.shape).astype(np.float32)
    engine = Engine("cpu", offline=True)
    began = time.perf_counter()
    engine.split(audio[:, : rate], rate)  # loads the separator and warms up
    load = time.perf_counter() - began
    times = []
    for _ in range(3):
        began = time.perf_counter()
        stems = engine.split(audio, rate)
        times.append(time.perf_counter() - began)
    assert all(stem.shape == audio.shape for stem in stems.values())
    seconds = statistics.median(times)
    print(f"split_load_s: {load:.2f}")
    print(f"split_seconds: {seconds:.2f}")
    print(f"split_realtime_x: {SECONDS / seconds:.2f}")


if __name__ == "__main__":
    main()
