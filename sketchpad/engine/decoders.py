"""Turning stored tokens back into audio with either decoder, without generating again."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from sketchpad.engine import catalog
from sketchpad.engine.checkpoints import load_package, mbd_allowed_globals, require_keys, resolve_file
from sketchpad.engine.errors import (
    DecoderUnavailableError,
    EngineError,
    GenerationCancelledError,
    InvalidRequestError,
)
from sketchpad.engine.fast_codec import fast_decoding
from sketchpad.engine.models import LoadedModel
from sketchpad.engine.request import MAX_DURATION_S

Progress = Callable[[int, int], None]


def longest_decode_frames(loaded: LoadedModel) -> int:
    """The most token frames one decode takes: those of the longest take a request makes (a sketch's
    kept tokens are never longer), so a crafted array cannot ask for an hour of audio and its memory."""
    return int(np.ceil(MAX_DURATION_S * loaded.frame_rate))


def check_tokens(loaded: LoadedModel, tokens: np.ndarray) -> None:
    """Refuse, before any decoder is loaded or run, tokens this model did not make or longer than a take."""
    codec = loaded.musicgen.compression_model
    expected = codec.num_codebooks
    if tokens.ndim != 2 or tokens.shape[0] != expected or tokens.dtype.kind not in "iu":
        raise InvalidRequestError(
            f"These tokens ({tokens.shape[0] if tokens.ndim == 2 else '?'} codebooks) were not made by "
            f"{loaded.key}, which uses {expected}.")
    frames, longest = tokens.shape[1], longest_decode_frames(loaded)
    if frames < 1:
        raise InvalidRequestError("These tokens are empty: there is nothing to decode.")
    if frames > longest:
        raise InvalidRequestError(
            f"These tokens hold {frames / loaded.frame_rate:,.0f} s of audio; a decode makes at most "
            f"{MAX_DURATION_S:g} s (the longest take Sketchpad generates), so they were not made for this sketch.")
    if int(tokens.min()) < 0 or int(tokens.max()) >= codec.cardinality:
        raise InvalidRequestError(
            f"These tokens were not made by {loaded.key}: its codes run from 0 to {codec.cardinality - 1}.")


def _token_tensor(loaded: LoadedModel, tokens: np.ndarray) -> torch.Tensor:
    check_tokens(loaded, tokens)
    return torch.from_numpy(np.ascontiguousarray(tokens, dtype=np.int64))[None].to(loaded.device)


def decode_encodec(loaded: LoadedModel, tokens: np.ndarray, precision: str = "exact") -> np.ndarray:
    """The model's own EnCodec decoder: float32 [channels, samples]; "fast" precision within -60 dBFS
    of it (engine/fast_codec.py)."""
    with torch.inference_mode(), fast_decoding(loaded, precision):
        audio = loaded.musicgen.generate_audio(_token_tensor(loaded, tokens))
    return np.ascontiguousarray(audio[0].float().cpu().numpy())


class DiffusionBands:
    """The MultiBand Diffusion processes of one checkpoint, on one device."""

    def __init__(self, processes: list[Any], sample_rate: int) -> None:
        self.processes = processes
        self.sample_rate = sample_rate

    @classmethod
    def load(cls, source: str | None, device: str, *, offline: bool) -> DiffusionBands:
        from audiocraft.models import builders
        from audiocraft.models.multibanddiffusion import DiffusionProcess
        from audiocraft.modules.diffusion_schedule import NoiseSchedule

        try:
            path = resolve_file(source or catalog.MBD_REPO, catalog.MBD_FILE, offline=offline,
                                what="MultiBand Diffusion")
            package = load_package(path, allowed=mbd_allowed_globals())
            require_keys(package, path, ("sample_rate", "n_bands"))
            processes = []
            for band in range(int(package["n_bands"])):
                cfg = package[band]["cfg"]
                model = builders.get_diffusion_model(cfg)
                model.load_state_dict(package[band]["model_state"])
                model.to(device).eval()
                processor = builders.get_processor(cfg=cfg.processor, sample_rate=package["sample_rate"])
                processor.load_state_dict(package[band]["processor_state"])
                processor.to(device)
                schedule = NoiseSchedule(**cfg.schedule, sample_processor=processor, device=device)
                processes.append(DiffusionProcess(model=model, noise_schedule=schedule))
        except EngineError as error:
            raise DecoderUnavailableError(f"MultiBand Diffusion is not available: {error}") from error
        except (KeyError, TypeError, RuntimeError, AttributeError) as error:
            raise DecoderUnavailableError(
                f"MultiBand Diffusion is not available: its checkpoint could not be built ({error}).") from error
        return cls(processes, int(package["sample_rate"]))


def _mono_codec(loaded: LoadedModel) -> tuple[Any, bool]:
    """The mono EnCodec under the model, and whether the model interleaves left/right codebooks."""
    from audiocraft.models.encodec import InterleaveStereoCompressionModel

    codec = loaded.musicgen.compression_model
    if isinstance(codec, InterleaveStereoCompressionModel):
        return codec.model, True
    return codec, False


def decode_mbd(
    loaded: LoadedModel,
    bands: DiffusionBands,
    tokens: np.ndarray,
    *,
    seed: int,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> np.ndarray:
    """MultiBand Diffusion decoding; stereo models decode left and right codes apart and join them."""
    from audiocraft.models import MultiBandDiffusion

    codec, stereo = _mono_codec(loaded)
    if bands.sample_rate != codec.sample_rate:
        raise DecoderUnavailableError(
            f"This MultiBand Diffusion works at {bands.sample_rate} Hz, but {loaded.key} at {codec.sample_rate} Hz.")
    codes = _token_tensor(loaded, tokens)
    if stereo:
        left, right = loaded.musicgen.compression_model.get_left_right_codes(codes)
        codes = torch.cat([left, right])
    mbd = MultiBandDiffusion(bands.processes, codec)
    steps_per_band = 20  # audiocraft's default step list: range(1000)[::-50] + [0]
    total = steps_per_band * len(bands.processes)  # one batched forward per step and band
    done = 0

    def on_step(_module: Any, _inputs: Any) -> None:
        nonlocal done
        if cancel is not None and cancel.is_set():
            raise GenerationCancelledError("Decoding cancelled.")
        done = min(total, done + 1)
        if progress is not None:
            progress(done, total)

    hooks = [process.model.register_forward_pre_hook(on_step) for process in bands.processes]
    torch.manual_seed(seed)
    try:
        with torch.no_grad():
            audio = mbd.tokens_to_wav(codes)
    finally:
        for hook in hooks:
            hook.remove()
    if stereo:
        audio = torch.cat([audio[0], audio[1]], dim=0)[None]  # [(left, right), 1, T] -> [1, 2, T]
    return np.ascontiguousarray(audio[0].float().cpu().numpy())
