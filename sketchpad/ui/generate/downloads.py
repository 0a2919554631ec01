"""What a request will fetch from the network before it can generate, told when it starts.

Only the window can say this at once: the engine finds out file by file, and without a network each
file waits for the hub's timeout before failing. Everything here reads local caches only.
"""

from __future__ import annotations

import os

from sketchpad.core import model_ref
from sketchpad.engine import catalog

DEFAULT_HUB_TIMEOUT_S = 10  # huggingface_hub's HF_HUB_ETAG_TIMEOUT when the environment sets none
TRUE = ("1", "on", "yes", "true")


def hub_offline(preference: bool) -> bool:
    """Offline mode: the preference, or the environment the engine inherits (HF_HUB_OFFLINE)."""
    return preference or os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in TRUE


def hub_timeout_s() -> int:
    """How long the hub waits for an answer per file before giving up (what the engine will wait)."""
    try:
        return max(1, round(float(os.environ.get("HF_HUB_ETAG_TIMEOUT", DEFAULT_HUB_TIMEOUT_S))))
    except ValueError:
        return DEFAULT_HUB_TIMEOUT_S


def missing_downloads(model: str, *, model_on_disk: bool | None, melody: bool) -> list[str]:
    """What the engine will download for `model`, in words with sizes; [] when everything is on disk.
    `model_on_disk`: what the model picker knows (None: look now)."""
    wanted = []
    info = None if model_ref.is_folder(model) else catalog.find(model)
    if info is not None:
        on_disk = model_on_disk if model_on_disk is not None else _quietly(catalog.is_on_disk, model)
        if not on_disk:
            wanted.append(f"{model_ref.short_name(model)} ({info.download_gb:g} GB)")
    if not _quietly(catalog.text_encoder_on_disk):
        wanted.append("the t5-base text encoder (0.9 GB)")
    if melody and not _quietly(catalog.melody_extractor_on_disk):
        wanted.append("htdemucs, the melody extractor (80 MB)")
    return wanted


def network_notice(model: str, *, model_on_disk: bool | None, melody: bool, offline: bool) -> str:
    """The sentence shown when a request starts that needs the network; "" when it does not (or
    offline mode forbids it: the engine then says at once what is missing)."""
    if offline:
        return ""
    wanted = missing_downloads(model, model_on_disk=model_on_disk, melody=melody)
    if not wanted:
        return ""
    things = wanted[0] if len(wanted) == 1 else f"{', '.join(wanted[:-1])} and {wanted[-1]}"
    return (f"Trying the network: {things} must be downloaded from Hugging Face first, once. Without a "
            f"connection Sketchpad gives up within about {hub_timeout_s()} s per file and says so; afterwards "
            "it works offline.")


def _quietly(check, *args) -> bool:
    try:
        return bool(check(*args))
    except Exception:  # noqa: BLE001 - a broken cache reads as "not on disk", as the picker does
        return False
