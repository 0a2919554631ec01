"""Loading MusicGen models once and keeping them: the same model twice is one load."""

from __future__ import annotations

import pickle
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sketchpad.core import model_ref
from sketchpad.engine import catalog
from sketchpad.engine.checkpoints import (
    forced_safe_loading,
    htdemucs_allowed_globals,
    load_package,
    refusal,
    require_keys,
    resolve_file,
)
from sketchpad.engine.errors import EngineError, ModelLoadError, ModelUnavailableOfflineError

LoadProgress = Callable[[str, int, int], None]  # (stage, done, total)

# Keys in released configs that only mattered for training and break audiocraft's builders.
_TRAINING_ONLY = (
    "conditioners.self_wav.chroma_stem.cache_path",
    "conditioners.args.merge_text_conditions_p",
    "conditioners.args.drop_desc_p",
)


@dataclass
class LoadedModel:
    """A MusicGen ready to generate, with what the rest of the app needs to know about it."""

    key: str
    device: str
    musicgen: Any  # audiocraft.models.MusicGen; typed loosely so this module imports without torch work
    steps: dict[str, Any] = field(default_factory=dict)  # LM steps built for it (engine/stepping.py), kept

    @property
    def sample_rate(self) -> int:
        return int(self.musicgen.sample_rate)

    @property
    def channels(self) -> int:
        return int(self.musicgen.audio_channels)

    @property
    def frame_rate(self) -> float:
        return float(self.musicgen.frame_rate)

    @property
    def max_duration(self) -> float:
        return float(self.musicgen.max_duration)

    @property
    def supports_melody(self) -> bool:
        return "self_wav" in self.musicgen.lm.condition_provider.conditioners


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0][:200] if text else type(error).__name__


def model_key(source: str) -> str:
    """One name per model: a catalog id, or the absolute path of a folder."""
    if model_ref.is_folder(source):
        return model_ref.folder_key(source)
    info = catalog.find(source)
    return info.id if info else source


def _build_compression(package: dict, device: str) -> Any:
    from audiocraft.models import builders
    from audiocraft.models.encodec import CompressionModel
    from omegaconf import OmegaConf

    from sketchpad.engine.fast_codec import fold_weight_norm, pad_inside_convolutions

    if "pretrained" in package:
        model = CompressionModel.get_pretrained(package["pretrained"], device=device)
    else:
        cfg = OmegaConf.create(package["xp.cfg"])
        cfg.device = device
        model = builders.get_compression_model(cfg)
        model.load_state_dict(package["best_state"])
    fold_weight_norm(model)  # the weights audiocraft would recompute on every call, computed once
    pad_inside_convolutions(model)  # and no padded copy of every activation before each convolution
    return model.eval()


def _build_lm(package: dict, device: str) -> Any:
    from audiocraft.models import builders
    from audiocraft.models.loaders import _delete_param
    from omegaconf import OmegaConf

    cfg = OmegaConf.create(package["xp.cfg"])
    cfg.device = device
    cfg.dtype = "float32" if device == "cpu" else "float16"  # half precision on GPUs, as audiocraft does
    for name in _TRAINING_ONLY:
        _delete_param(cfg, name)
    model = builders.get_lm_model(cfg)
    model.load_state_dict(package["best_state"])
    model.eval()
    model.cfg = cfg
    return model


def load_musicgen(source: str, device: str, *, offline: bool, progress: LoadProgress | None = None) -> LoadedModel:
    """Read both checkpoints of `source` and assemble audiocraft's MusicGen on `device`."""
    from sketchpad.engine.runtime import import_audiocraft

    report = progress or (lambda stage, done, total: None)
    report("Finding the model", 0, 4)
    lm_path = resolve_file(source, catalog.LM_FILE, offline=offline)
    compression_path = resolve_file(source, catalog.COMPRESSION_FILE, offline=offline)
    report("Reading the weights", 1, 4)
    lm_package = load_package(lm_path)
    compression_package = load_package(compression_path)
    require_keys(lm_package, lm_path, ("xp.cfg", "best_state"))
    if "pretrained" not in compression_package:
        require_keys(compression_package, compression_path, ("xp.cfg", "best_state"))
    report("Building the model", 2, 4)
    import_audiocraft()
    from audiocraft.models import MusicGen

    try:
        with forced_safe_loading(htdemucs_allowed_globals()):
            lm = _build_lm(lm_package, device)
        report("Building the audio codec", 3, 4)
        compression = _build_compression(compression_package, device)
        window = float(lm.cfg.dataset.segment_duration)
        # MusicGen's constructor applies audiocraft's 18 s extension stride and asserts it fits the window,
        # which fails for checkpoints trained on shorter windows; generation sets a fitting stride later.
        musicgen = MusicGen(model_key(source), compression, lm, max_duration=max(window, 19.0))
        musicgen.max_duration = window
    except EngineError:
        raise
    except OSError as error:
        # Building fetches companions from hubs: the t5-base text encoder, and htdemucs for melody models.
        raise ModelUnavailableOfflineError(
            f"{source} needs a component that is not on this computer and could not be downloaded "
            f"({_first_line(error)}). Connect to the internet once; afterwards it works offline.") from error
    except pickle.UnpicklingError as error:
        raise ModelLoadError(
            f"{source} needs the htdemucs melody extractor, but its cached checkpoint {refusal(error)} Delete "
            "it from the torch hub cache to download it again.") from error
    except (KeyError, ValueError, RuntimeError, TypeError, AssertionError, AttributeError) as error:
        raise ModelLoadError(
            f"The model at {source} could not be built from its checkpoint: {_first_line(error)}") from error
    del lm_package, compression_package
    if "self_wav" in lm.condition_provider.conditioners:
        # As audiocraft's own loader does for melody models: use the whole melody, unmasked.
        lm.condition_provider.conditioners["self_wav"].match_len_on_eval = True
        lm.condition_provider.conditioners["self_wav"]._use_masking = False
    report("Ready", 4, 4)
    return LoadedModel(key=model_key(source), device=device, musicgen=musicgen)


class ModelCache:
    """Loaded models by (model, device); loading is serialised so two requests never load twice."""

    def __init__(self) -> None:
        self._models: dict[tuple[str, str], LoadedModel] = {}
        self._lock = threading.Lock()
        self.loads = 0  # how many times a checkpoint was actually read, for tests and diagnostics

    def get(self, source: str, device: str, *, offline: bool, progress: LoadProgress | None = None) -> LoadedModel:
        key = (model_key(source), device)
        with self._lock:
            if key not in self._models:
                self._models[key] = load_musicgen(source, device, offline=offline, progress=progress)
                self.loads += 1
            return self._models[key]

    def drop(self, source: str | None = None) -> None:
        """Forget one model (every device) or all, so its memory can be reclaimed."""
        with self._lock:
            if source is None:
                self._models.clear()
                return
            wanted = model_key(source)
            for key in [key for key in self._models if key[0] == wanted]:
                del self._models[key]
