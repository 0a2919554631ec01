"""Splitting audio into drums, bass, other and vocals with demucs' htdemucs, as its own CLI does.

The separator is the same htdemucs checkpoint melody models build on (torch hub's cache, read with
torch's safe loader: engine/checkpoints.forced_safe_loading), so a melody model's download makes stems
work offline too, and a missing file gets the same kind of message as MultiBand Diffusion.

The stems come back at the input's rate, channel count and length, sample for sample. `other` is the
input minus the three named stems, so the four always add back to the input exactly (to float32
rounding); demucs' own `other` differs from that only by its separation error, which is left where a
composer would look for "everything else".
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from sketchpad.core.resample import resample
from sketchpad.engine import catalog
from sketchpad.engine.checkpoints import forced_safe_loading, htdemucs_allowed_globals
from sketchpad.engine.errors import GenerationCancelledError, StemsUnavailableError

STEMS = ("drums", "bass", "other", "vocals")
NAMED = ("drums", "bass", "vocals")  # `other` is what these leave of the input
Progress = Callable[[int, int], None]


def load_separator(device: str, *, offline: bool) -> Any:
    """htdemucs on `device`, from torch hub's cache (downloaded there first, once, unless offline)."""
    if offline and not catalog.melody_extractor_on_disk():
        raise StemsUnavailableError(
            "Splitting into stems needs demucs' htdemucs (about 80 MB), which is not on this computer and "
            "offline mode is on. Connect to the internet once to download it; it is then kept for offline use.")
    from demucs.pretrained import get_model

    try:
        with forced_safe_loading(htdemucs_allowed_globals()):
            model = get_model("htdemucs")
    except Exception as error:  # noqa: BLE001 - a damaged or tampered cache file, said plainly
        raise StemsUnavailableError(f"Splitting into stems is not available: htdemucs could not be loaded "
                                    f"({str(error).splitlines()[0][:160] if str(error) else type(error).__name__}). "
                                    "Delete it from the torch hub cache to download it again.") from error
    return model.to(device).eval()


def split(model: Any, samples: np.ndarray, sample_rate: int, *, device: str, progress: Progress | None = None,
          cancel: threading.Event | None = None) -> dict[str, np.ndarray]:
    """float32 [channels, frames] → {stem: float32 [channels, frames]} at the same rate and length."""
    from demucs.apply import apply_model

    channels, frames = samples.shape
    stereo = samples if channels == 2 else np.repeat(samples.mean(axis=0, keepdims=True), 2, axis=0)
    mix = torch.from_numpy(resample(stereo, sample_rate, int(model.samplerate), quality="VHQ"))
    reference = mix.mean(0)
    centre, scale = reference.mean(), reference.std().clamp_min(1e-8)  # demucs' CLI normalises the same way

    # apply_model calls back at the start and end of each overlapping segment (of each model in a bag)
    members = list(getattr(model, "models", [model]))
    segment = int(float(members[0].segment) * int(model.samplerate))
    total = len(range(0, mix.shape[1], max(1, int(0.75 * segment)))) * len(members)
    ended = [0]

    def step(state: dict[str, Any]) -> None:
        if cancel is not None and cancel.is_set():
            raise GenerationCancelledError("Cancelled.")
        if state.get("state") == "end":
            ended[0] += 1
            if progress is not None:
                progress(min(ended[0], total), total)

    with torch.inference_mode():
        separated = apply_model(model, ((mix - centre) / scale)[None].to(device), shifts=0, split=True,
                                overlap=0.25, device=device, callback=step)[0]
    separated = (separated * scale + centre).float().cpu().numpy()
    stems: dict[str, np.ndarray] = {}
    for index, name in enumerate(model.sources):
        if name in NAMED:
            back = resample(separated[index], int(model.samplerate), sample_rate, quality="VHQ")
            back = back if channels == 2 else back.mean(axis=0, keepdims=True)
            stems[name] = _fit(back, frames)
    stems["other"] = (samples - sum(stems[name] for name in NAMED)).astype(np.float32)
    return {name: stems[name] for name in STEMS}


def _fit(audio: np.ndarray, frames: int) -> np.ndarray:
    if audio.shape[1] >= frames:
        return np.ascontiguousarray(audio[:, :frames], dtype=np.float32)
    return np.pad(audio, ((0, 0), (0, frames - audio.shape[1]))).astype(np.float32)
