"""Running one generation request on a loaded MusicGen, with progress and cancellation."""

from __future__ import annotations

import random
import secrets
import threading
from collections.abc import Callable
from contextlib import nullcontext
from typing import Any

import numpy as np
import torch

from sketchpad import __version__
from sketchpad.core import decoders
from sketchpad.engine import sections
from sketchpad.engine.decode_loop import TokenListener, decoding_with
from sketchpad.engine.errors import GenerationCancelledError, InvalidRequestError, MelodyNotSupportedError
from sketchpad.engine.fast_codec import fast_decoding
from sketchpad.engine.melody_rows import distinct_rows_once
from sketchpad.engine.models import LoadedModel
from sketchpad.engine.partial_audio import ChunkedDecoder, PartialAudio
from sketchpad.engine.request import AudioInput, GenerationRequest, GenerationResult
from sketchpad.engine.stepping import loop_plan, release_caches, weight_format

Progress = Callable[[int, int], None]  # (frames done, frames total)

DEFAULT_EXTEND_STRIDE_S = 18.0  # audiocraft's default for its 30 s window


def seed_everything(seed: int) -> None:
    """Seed every generator a generation draws from (torch on all devices, and demucs' shifts)."""
    torch.manual_seed(seed)
    random.seed(seed)
    np.random.seed(seed % 2**32)


def chunk_plan(duration: float, window: float, frame_rate: float, prompt_frames: int) -> list[tuple[int, int]]:
    """The absolute frames each of audiocraft's generation windows adds, mirroring its extension loop."""
    total = int(duration * frame_rate)
    if duration <= window:
        return [(prompt_frames, total)]
    stride = int(frame_rate * extend_stride(window))
    plan: list[tuple[int, int]] = []
    offset, prompt_len, start = 0, prompt_frames, prompt_frames
    while offset + prompt_len < total:
        chunk = int(min(duration - offset / frame_rate, window) * frame_rate)
        plan.append((start, offset + chunk))
        start = offset + chunk
        prompt_len = chunk - stride  # the next window is prompted with this one's tail
        offset += stride
    return plan


class _StepReporter:
    """audiocraft's per-step callback turned into frames done of the whole take, and a cancel point.

    Each window reports its steps from 1 to its own count; the plan maps them onto absolute frames.
    """

    def __init__(self, plan: list[tuple[int, int]], progress: Progress | None,
                 cancel: threading.Event | None) -> None:
        self.plan = plan
        self.first = plan[0][0]
        self.total = max(plan[-1][1] - self.first, 1)
        self.window = 0
        self.steps = 0
        self.progress = progress
        self.cancel = cancel

    def __call__(self, _generated: int, window_steps: int) -> None:
        if self.cancel is not None and self.cancel.is_set():
            raise GenerationCancelledError("Generation cancelled.")
        self.steps += 1
        start, end = self.plan[min(self.window, len(self.plan) - 1)]
        done = start + (end - start) * min(self.steps, window_steps) // max(window_steps, 1) - self.first
        if self.steps >= window_steps:
            self.window, self.steps = self.window + 1, 0
        if self.progress is not None:
            self.progress(done, self.total)


def _tensor(audio: AudioInput, batch: int, device: str) -> torch.Tensor:
    samples = torch.from_numpy(np.ascontiguousarray(audio.samples, dtype=np.float32))
    return samples[None].expand(batch, -1, -1).contiguous().to(device)


def extend_stride(max_duration: float) -> float:
    """How far each extension window moves past the model's window (must stay below the window)."""
    return min(DEFAULT_EXTEND_STRIDE_S, max_duration * 0.6)


def planned_windows(loaded: LoadedModel, request: GenerationRequest) -> list[tuple[int, int]]:
    prompt_frames = 0
    if request.continuation is not None:
        prompt_frames = int(np.ceil(request.continuation.seconds * loaded.frame_rate))
    return chunk_plan(request.duration, loaded.max_duration, loaded.frame_rate, prompt_frames)


def _params(loaded: LoadedModel, request: GenerationRequest, seed: int, index: int, precision: str,
            windows: list[tuple[int, int]]) -> dict[str, Any]:
    import audiocraft

    return {
        "model": loaded.key,
        "prompt": request.prompts[index],
        "batch_prompts": list(request.prompts),
        "batch_index": index,
        "duration": request.duration,
        "top_k": request.top_k,
        "top_p": request.top_p,
        "temperature": request.temperature,
        "cfg_coef": request.cfg_coef,
        "seed": seed,
        "melody": request.melody.describe() if request.melody is not None else None,
        "continuation": request.continuation.describe() if request.continuation is not None else None,
        "extend_stride": extend_stride(loaded.max_duration),
        **({"sections": [list(section) for section in request.sections],
            "section_starts": [list(change) for change in sections.windows(
                windows, loaded.frame_rate, request.sections, request.prompts)]}
           if request.sections else {}),
        "device": loaded.device,
        "sample_rate": loaded.sample_rate,
        "channels": loaded.channels,
        "frame_rate": loaded.frame_rate,
        "decoder": decoders.ENCODEC,  # the model's own decoder made this audio
        "precision": precision,
        "lm_weights": weight_format(loaded, precision),
        "sketchpad_version": __version__,
        "audiocraft_version": audiocraft.__version__,
    }


def _window_listener(decoder: ChunkedDecoder | None, loaded: LoadedModel) -> TokenListener | None:
    """The decode loop's known codes, per window, placed in the take for the chunked decoder.

    Window w of audiocraft's extension loop starts at frame w * stride of the take (its prompt is the
    previous window's tail).
    """
    if decoder is None:
        return None
    stride = int(loaded.frame_rate * extend_stride(loaded.max_duration))

    def listen(codes: torch.Tensor, frames: int, window: int) -> None:
        decoder.update(codes, frames, offset=window * stride)

    return listen


def run_generation(
    loaded: LoadedModel,
    request: GenerationRequest,
    *,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    precision: str = "exact",
    partial: PartialAudio | None = None,
) -> list[GenerationResult]:
    """Generate one take per prompt; raises GenerationCancelledError within one step of `cancel`.

    `precision` is "exact" or "fast" (engine/precision.py). `partial(audio [takes, channels, samples],
    start sample)` hears the takes while they are generated, in order, each sample once; the results'
    audio is still one decode of the whole take, as audiocraft makes it.
    """
    if request.melody is not None and not loaded.supports_melody:
        raise MelodyNotSupportedError(
            f"{loaded.key} does not take a melody. Choose a melody model (such as facebook/musicgen-melody) "
            "or clear the melody.")
    model = loaded.musicgen
    seed = request.seed if request.seed is not None else secrets.randbelow(2**31)
    # k beyond the vocabulary keeps every token, which torch.topk refuses to express.
    top_k = min(request.top_k, int(model.lm.card))
    model.set_generation_params(
        use_sampling=True, top_k=top_k, top_p=request.top_p, temperature=request.temperature,
        duration=request.duration, cfg_coef=request.cfg_coef, extend_stride=extend_stride(model.max_duration))
    windows = planned_windows(loaded, request)
    if any(start > 0 for start, _text in request.sections) and len(windows) == 1:
        raise InvalidRequestError(
            f"The prompt can change only between the windows of a take longer than {loaded.key}'s "
            f"{loaded.max_duration:g} s: make the take longer, or use one prompt.")
    model.set_custom_progress_callback(_StepReporter(windows, progress, cancel))
    prompts = list(request.prompts)
    decoder = None
    if partial is not None:
        decoder = ChunkedDecoder(model.compression_model, int(request.duration * loaded.frame_rate), partial)
    plan = loop_plan(loaded, precision, _window_listener(decoder, loaded))
    seed_everything(seed)
    try:
        if cancel is not None and cancel.is_set():
            raise GenerationCancelledError("Generation cancelled.")
        shared_melody = distinct_rows_once(model) if precision == "fast" and len(prompts) > 1 else nullcontext()
        per_window = (sections.conditioned_per_window(model, windows, loaded.frame_rate, request.sections)
                      if request.sections else nullcontext())
        with decoding_with(model, plan) if plan is not None else nullcontext(), torch.inference_mode(), \
                shared_melody, per_window, fast_decoding(loaded, precision):
            if request.melody is not None:
                melody = _tensor(request.melody, len(prompts), loaded.device)
                audio, tokens = model.generate_with_chroma(
                    prompts, melody, request.melody.sample_rate, progress=True, return_tokens=True)
            elif request.continuation is not None:
                start = _tensor(request.continuation, len(prompts), loaded.device)
                audio, tokens = model.generate_continuation(
                    start, request.continuation.sample_rate, prompts, progress=True, return_tokens=True)
            else:
                audio, tokens = model.generate(prompts, progress=True, return_tokens=True)
        if decoder is not None:
            decoder.finish()
    finally:
        model.set_custom_progress_callback(None)
        release_caches(loaded)
    audio_np = audio.detach().float().cpu().numpy()
    tokens_np = tokens.detach().cpu().numpy().astype(np.int32)
    return [
        GenerationResult(audio=np.ascontiguousarray(audio_np[index]), tokens=np.ascontiguousarray(tokens_np[index]),
                         sample_rate=loaded.sample_rate,
                         params=_params(loaded, request, seed, index, precision, windows))
        for index in range(len(prompts))
    ]
