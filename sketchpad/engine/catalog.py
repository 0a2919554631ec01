"""The MusicGen models Sketchpad knows by name, and which of them are already on disk.

Imports neither torch nor audiocraft, so the UI can show the list before the engine starts.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sketchpad.core import model_ref

LM_FILE = "state_dict.bin"
COMPRESSION_FILE = "compression_state_dict.bin"
MBD_REPO = "facebook/multiband-diffusion"
MBD_FILE = "mbd_musicgen_32khz.th"
T5_REPO = "t5-base"
HTDEMUCS_FILE = "955717e8-8726e21a.th"  # demucs' remote/files.txt name for the htdemucs weights


@dataclass(frozen=True)
class ModelInfo:
    """One released model. Sizes are approximate: download in GB, memory in GB at fp16 on a GPU."""

    id: str
    params: str
    melody: bool
    stereo: bool
    download_gb: float
    memory_gb: float
    window_seconds: float = 30.0  # what it generates (and hears of a melody) at once: every release's 30 s

    @property
    def label(self) -> str:
        abilities = ["stereo" if self.stereo else "mono"]
        if self.melody:
            abilities.append("melody")
        return f"{self.id.removeprefix('facebook/')} ({self.params}, {', '.join(abilities)})"


CATALOG: tuple[ModelInfo, ...] = (
    ModelInfo("facebook/musicgen-small", "300M", melody=False, stereo=False, download_gb=1.8, memory_gb=2.0),
    ModelInfo("facebook/musicgen-medium", "1.5B", melody=False, stereo=False, download_gb=6.3, memory_gb=5.5),
    ModelInfo("facebook/musicgen-large", "3.3B", melody=False, stereo=False, download_gb=13.0, memory_gb=10.5),
    ModelInfo("facebook/musicgen-melody", "1.5B", melody=True, stereo=False, download_gb=6.3, memory_gb=5.5),
    ModelInfo("facebook/musicgen-melody-large", "3.3B", melody=True, stereo=False, download_gb=13.0,
              memory_gb=10.5),
    ModelInfo("facebook/musicgen-stereo-small", "300M", melody=False, stereo=True, download_gb=1.8, memory_gb=2.2),
    ModelInfo("facebook/musicgen-stereo-medium", "1.5B", melody=False, stereo=True, download_gb=6.3,
              memory_gb=5.8),
    ModelInfo("facebook/musicgen-stereo-large", "3.3B", melody=False, stereo=True, download_gb=13.0,
              memory_gb=11.0),
    ModelInfo("facebook/musicgen-stereo-melody", "1.5B", melody=True, stereo=True, download_gb=6.3,
              memory_gb=5.8),
    ModelInfo("facebook/musicgen-stereo-melody-large", "3.3B", melody=True, stereo=True, download_gb=13.0,
              memory_gb=11.0),
)

DEFAULT_MODEL = "facebook/musicgen-small"
DEVICE_CHOICES = ("auto", "cuda", "mps", "cpu")  # here, not in device.py, so the UI can list them without torch


def find(model_id: str) -> ModelInfo | None:
    """The catalog entry for an id (with or without the `facebook/` prefix)."""
    wanted = model_id if "/" in model_id else f"facebook/{model_id}"
    return next((info for info in CATALOG if info.id == wanted), None)


def is_model_folder(path: str | Path) -> bool:
    folder = Path(path).expanduser()
    return (folder / LM_FILE).is_file() and (folder / COMPRESSION_FILE).is_file()


def cached_file(repo_id: str, filename: str) -> Path | None:
    """The path of a file already in the Hugging Face cache, or None; never touches the network."""
    from huggingface_hub import try_to_load_from_cache

    found = try_to_load_from_cache(repo_id, filename)
    return Path(found) if isinstance(found, str) else None


def is_on_disk(model_id: str) -> bool:
    """Whether a catalog id (in the Hugging Face cache) or a local folder can load without a download."""
    if model_ref.is_folder(model_id):
        return is_model_folder(model_id)
    if find(model_id) is None and "/" not in model_id:
        return False
    return all(cached_file(model_id, name) is not None for name in (LM_FILE, COMPRESSION_FILE))


def text_encoder_on_disk() -> bool:
    """Whether the t5-base text encoder every MusicGen builds is in the Hugging Face cache."""
    return cached_file(T5_REPO, "config.json") is not None


def melody_extractor_on_disk() -> bool:
    """Whether demucs' htdemucs, which melody models build, is in torch hub's cache (torch's own rule)."""
    cache = os.getenv("XDG_CACHE_HOME", os.path.join("~", ".cache"))
    torch_home = Path(os.path.expanduser(os.getenv("TORCH_HOME", os.path.join(cache, "torch"))))
    return (torch_home / "hub" / "checkpoints" / HTDEMUCS_FILE).is_file()


def default_model() -> str:
    """musicgen-small, unless only a larger model is already on disk."""
    return best_of([info.id for info in CATALOG if is_on_disk(info.id)])


def best_of(on_disk: list[str]) -> str:
    """The model to start with, of those on an engine's disk: musicgen-small if there, else the first."""
    known = [model for model in on_disk if find(model) is not None]
    return DEFAULT_MODEL if DEFAULT_MODEL in known or not known else known[0]
