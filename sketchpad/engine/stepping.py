"""Which LM step a generation runs, from the device and the precision, built once per model and kept.

- CPU, exact: the static-cache step with the weights as loaded (the same bits as audiocraft).
- CPU, fast: the static-cache step with int8 weights (as loaded where this CPU's torch has no int8 kernels).
- CUDA, fast: the static-cache step in fixed shapes, captured in a CUDA graph.
- MPS, fast: the static-cache step with the weights as loaded (half precision there).
- CUDA and MPS, exact, and any LM the static step does not know: audiocraft's own streaming step.
"""

from __future__ import annotations

import logging
from typing import Any

import torch

from sketchpad.engine.cuda_graph import GraphedSteps
from sketchpad.engine.decode_loop import LoopPlan, TokenListener, audiocraft_step
from sketchpad.engine.lm_weights import extract_weights, unsupported_reason
from sketchpad.engine.models import LoadedModel
from sketchpad.engine.static_lm import StaticCacheLM, fuser_acts_every_step

log = logging.getLogger(__name__)


def _static(loaded: LoadedModel, weight_format: str, attention: str = "sliced") -> StaticCacheLM:
    key = f"static:{weight_format}:{attention}"
    if key not in loaded.steps:
        # With int8 weights the cache goes to bfloat16 too: attention then reads half the bytes (measured
        # 1.8x faster at 500 positions on one core), and its rounding is far below the weights'.
        cache = torch.bfloat16 if weight_format == "int8" else None
        loaded.steps[key] = StaticCacheLM(extract_weights(loaded.musicgen.lm, weight_format), attention=attention,
                                          cache_dtype=cache)
    model = loaded.steps[key]
    assert isinstance(model, StaticCacheLM)
    return model


def _cpu_fast_format(loaded: LoadedModel) -> str:
    """int8 where this torch has x86 int8 kernels (fbgemm/onednn); otherwise the weights as loaded."""
    if "int8-unavailable" in loaded.steps:
        return "as-loaded"
    engines = torch.backends.quantized.supported_engines
    if not any(engine in engines for engine in ("x86", "fbgemm")):
        return "as-loaded"
    try:
        _static(loaded, "int8")
    except (RuntimeError, NotImplementedError) as error:  # a CPU or build without the kernels
        log.warning("int8 weights unavailable (%s); fast mode keeps float32", error)
        loaded.steps["int8-unavailable"] = True
        return "as-loaded"
    return "int8"


def weight_format(loaded: LoadedModel, precision: str) -> str:
    """How the LM's weights are read for `precision` on the model's device ("audiocraft" for its own step)."""
    lm = loaded.musicgen.lm
    if unsupported_reason(lm) is not None:
        return "audiocraft"
    if loaded.device == "cpu":
        return _cpu_fast_format(loaded) if precision == "fast" else "as-loaded"
    return "as-loaded" if precision == "fast" else "audiocraft"


def _sliced_begin(model: StaticCacheLM) -> Any:
    def begin(rows: int, positions: int, device: torch.device) -> StaticCacheLM:
        dtype = next(iter(model.lm.parameters())).dtype
        model.start(rows, positions, device, dtype)
        return model

    return begin


def loop_plan(loaded: LoadedModel, precision: str, listener: TokenListener | None = None) -> LoopPlan | None:
    """The decode loop's plan for one take; None leaves audiocraft's LMModel.generate alone (two-step
    guidance, which no released MusicGen uses: its takes then arrive whole, without partial audio)."""
    lm = loaded.musicgen.lm
    if lm.two_step_cfg:
        return None
    chosen = weight_format(loaded, precision)
    if chosen == "audiocraft":
        return LoopPlan(audiocraft_step(lm), listener)
    if loaded.device.startswith("cuda") and not fuser_acts_every_step(lm.fuser):
        key = "graphed"
        if key not in loaded.steps:
            window = int(loaded.max_duration * loaded.frame_rate) + lm.num_codebooks + 1
            prefix = 2048  # room for a prepended melody's chroma frames
            loaded.steps[key] = GraphedSteps(_static(loaded, "as-loaded", "masked"), window + prefix)
        return LoopPlan(loaded.steps[key].begin, listener)
    return LoopPlan(_sliced_begin(_static(loaded, chosen)), listener)


def release_caches(loaded: LoadedModel) -> None:
    """After a job: the caches of sliced steps go (cheap to allocate again); a CUDA graph's cache stays for
    the next take only while it is small (GraphedSteps.finish), since its graphs read it where it is."""
    for key, step in loaded.steps.items():
        if isinstance(step, StaticCacheLM) and key.endswith(":sliced"):
            step.release()
        elif isinstance(step, GraphedSteps):
            step.finish()
