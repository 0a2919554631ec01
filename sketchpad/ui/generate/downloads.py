"""What a request will fetch from the network before it can generate, told when it starts.

Only the window can say this at once: the engine finds out file by file, and without a network each
file waits for the hub's timeout before failing. It decides from what the engine said it has on its
disk (`offers` in its `ready` message, engine_host/jobs.offers), never from this computer's caches: the
engine may run on another machine.
"""

from __future__ import annotations

import os
from typing import Any

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


def model_on_disk(offers: dict[str, Any], model: str) -> bool | None:
    """Whether the engine said it has `model` on its disk; None when it has not said (not started yet)."""
    for entry in offers.get("models", ()):
        if entry.get("name") == model:
            return bool(entry.get("on_disk"))
    return None


def missing_downloads(model: str, offers: dict[str, Any], *, melody: bool) -> list[str]:
    """What the engine will download for `model`, in words with sizes; [] when everything is on its
    disk, or when it has not said yet (an engine still starting)."""
    if not offers:
        return []
    wanted = []
    info = None if model_ref.is_folder(model) else catalog.find(model)
    if info is not None and model_on_disk(offers, info.id) is False:
        wanted.append(f"{model_ref.short_name(model)} ({info.download_gb:g} GB)")
    if not offers.get("text_encoder_on_disk", True):
        wanted.append("the t5-base text encoder (0.9 GB)")
    if melody and not offers.get("melody_extractor_on_disk", True):
        wanted.append("htdemucs, the melody extractor (80 MB)")
    return wanted


def network_notice(model: str, offers: dict[str, Any], *, melody: bool, offline: bool) -> str:
    """The sentence shown when a request starts that needs the network; "" when it does not (or
    offline mode forbids it: the engine then says at once what is missing)."""
    if offline or offers.get("remote"):
        return ""
    wanted = missing_downloads(model, offers, melody=melody)
    if not wanted:
        return ""
    things = wanted[0] if len(wanted) == 1 else f"{', '.join(wanted[:-1])} and {wanted[-1]}"
    return (f"Trying the network: {things} must be downloaded from Hugging Face first, once. Without a "
            f"connection Sketchpad gives up within about {hub_timeout_s()} s per file and says so; afterwards "
            "it works offline.")
