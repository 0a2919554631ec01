"""MusicGen's sampling loop, step for step as audiocraft's LMModel.generate runs it, with a pluggable step.

audiocraft's MusicGen front-end (text and melody conditions, continuation prompts, the extension windows
beyond 30 s) stays as it is: for the length of one call, `decoding_with` puts this loop in place of
`lm.generate` on that model. The loop draws from the random generator exactly as audiocraft's does, so
with a step that returns the same logits, the same seed gives the same tokens. After every step it tells
a listener which codes are known so far, which is how audio can be heard while the take is generated.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import torch

# (window codes [B, K, T] so far, -1 where unknown; frames complete from the window's start; which window:
# 0, then 1, 2, ... for audiocraft's extension windows beyond the model's 30 s)
TokenListener = Callable[[torch.Tensor, int, int], None]
Step = Callable[[torch.Tensor, dict[str, Any]], torch.Tensor]


@dataclass
class LoopPlan:
    """How a window's steps are computed: `begin(batch, positions)` readies a step function."""

    begin: Callable[[int, int, torch.device], Step]
    listener: TokenListener | None = None
    windows: int = 0  # how many windows (lm.generate calls) this take has run so far


def audiocraft_step(lm: Any) -> Callable[[int, int, torch.device], Step]:
    """audiocraft's own streaming forward: the reference every other step is measured against."""

    def begin(_batch: int, _positions: int, _device: torch.device) -> Step:
        return lambda sequence, conditions: lm(sequence, conditions=[], condition_tensors=conditions)

    return begin


def guidance_conditions(lm: Any, conditions: list[Any]) -> dict[str, Any]:
    """The conditions and their nulled copies in one batch, as LMModel.generate prepares them."""
    from audiocraft.modules.conditioners import ClassifierFreeGuidanceDropout

    if not conditions:
        return {}
    null_conditions = ClassifierFreeGuidanceDropout(p=1.0)(conditions)
    return lm.condition_provider(lm.condition_provider.tokenize(conditions + null_conditions))


def sample(logits: torch.Tensor, batch: int, guided: bool, *, use_sampling: bool, temp: float, top_k: int,
           top_p: float, cfg_coef: float) -> torch.Tensor:
    """The next token [B, K, 1] from a step's logits, as LMModel._sample_next_token draws it."""
    from audiocraft.utils import utils

    if guided:
        cond_logits, uncond_logits = logits.split(batch, dim=0)
        logits = uncond_logits + (cond_logits - uncond_logits) * cfg_coef
    logits = logits.permute(0, 1, 3, 2)[..., -1]  # [B, K, card]
    if use_sampling and temp > 0.0:
        probs = torch.softmax(logits / temp, dim=-1)
        if top_p > 0.0:
            return utils.sample_top_p(probs, p=top_p)
        if top_k > 0:
            return utils.sample_top_k(probs, k=top_k)
        return utils.multinomial(probs, num_samples=1)
    return torch.argmax(logits, dim=-1, keepdim=True)


@torch.no_grad()
def generate(lm: Any, plan: LoopPlan, prompt: torch.Tensor | None = None, conditions: list[Any] | None = None,
             num_samples: int | None = None, max_gen_len: int = 256, use_sampling: bool = True, temp: float = 1.0,
             top_k: int = 250, top_p: float = 0.0, cfg_coef: float | None = None, two_step_cfg: bool | None = None,
             remove_prompts: bool = False, check: bool = False,
             callback: Callable[[int, int], None] | None = None, **_: Any) -> torch.Tensor:
    """LMModel.generate's contract and random draws, with `plan`'s step (two-step CFG is not supported)."""
    assert not lm.training, "generation shouldn't be used in training mode."
    if two_step_cfg or (two_step_cfg is None and lm.two_step_cfg):
        raise NotImplementedError("two-step classifier-free guidance runs through audiocraft's own loop")
    conditions = conditions or []
    device = next(iter(lm.parameters())).device
    cfg_coef = lm.cfg_coef if cfg_coef is None else cfg_coef
    if num_samples is None:
        num_samples = prompt.shape[0] if prompt is not None else (len(conditions) if conditions else 1)
    cfg_conditions = guidance_conditions(lm, conditions)
    if prompt is None:
        prompt = torch.zeros((num_samples, lm.num_codebooks, 0), dtype=torch.long, device=device)
    batch, codebooks, start_offset = prompt.shape
    assert start_offset < max_gen_len
    pattern = lm.pattern_provider.get_pattern(max_gen_len)
    unknown_token = -1
    gen_codes = torch.full((batch, codebooks, max_gen_len), unknown_token, dtype=torch.long, device=device)
    gen_codes[..., :start_offset] = prompt
    gen_sequence, _indexes, mask = pattern.build_pattern_sequence(gen_codes, lm.special_token_id)
    start_offset_sequence = pattern.get_first_step_with_timesteps(start_offset)
    assert start_offset_sequence is not None
    gen_sequence_len = gen_sequence.shape[-1]
    guided = bool(cfg_conditions)
    rows = batch * (2 if guided else 1)
    step = plan.begin(rows, _prefix_length(lm, cfg_conditions) + gen_sequence_len, device)
    progress = _ProgressOfKnownCodes(pattern, start_offset, plan.listener, plan.windows)
    with lm.streaming():
        prev_offset = 0
        for offset in range(start_offset_sequence, gen_sequence_len):
            sequence = gen_sequence[..., prev_offset:offset]
            if guided:
                sequence = torch.cat([sequence, sequence], dim=0)
            logits = step(sequence, cfg_conditions)
            next_token = sample(logits, batch, guided, use_sampling=use_sampling, temp=temp, top_k=top_k,
                                top_p=top_p, cfg_coef=cfg_coef)
            valid_mask = mask[..., offset:offset + 1].expand(batch, -1, -1)
            next_token[~valid_mask] = lm.special_token_id
            current = gen_sequence[..., offset:offset + 1]
            gen_sequence[..., offset:offset + 1] = torch.where(current == unknown_token, next_token, current)
            prev_offset = offset
            progress.after(gen_sequence, offset)
            if callback is not None:
                callback(1 + offset - start_offset_sequence, gen_sequence_len - start_offset_sequence)
    assert not (gen_sequence == unknown_token).any()
    out_codes, _out_indexes, out_mask = pattern.revert_pattern_sequence(gen_sequence, special_token=unknown_token)
    assert (out_codes[..., :max_gen_len] != unknown_token).all()
    assert (out_mask[..., :max_gen_len] == 1).all()
    out_codes = out_codes[..., (start_offset if remove_prompts else 0):max_gen_len]
    assert (out_codes >= 0).all() and (out_codes <= lm.card).all()
    plan.windows += 1
    return out_codes


def _prefix_length(lm: Any, cfg_conditions: dict[str, Any]) -> int:
    """Positions a prepended condition (a melody's chroma) takes before the first code."""
    length = 0
    for name in lm.fuser.fuse2cond.get("prepend", []):
        if name in cfg_conditions:
            length += int(cfg_conditions[name][0].shape[1])
    return length


class _ProgressOfKnownCodes:
    """Which frames of the window have every codebook known, told to the listener when that grows."""

    def __init__(self, pattern: Any, start_offset: int, listener: TokenListener | None, window: int) -> None:
        self.pattern, self.listener, self.window = pattern, listener, window
        self.known = start_offset
        # The sequence step after which each frame is complete (with the delay pattern: t + max delay + 1).
        complete_after = [0] * pattern.timesteps
        for step, coordinates in enumerate(pattern.layout):
            for coordinate in coordinates:
                if coordinate.t < pattern.timesteps:
                    complete_after[coordinate.t] = max(complete_after[coordinate.t], step)
        self.complete_after = complete_after

    def after(self, gen_sequence: torch.Tensor, offset: int) -> None:
        if self.listener is None:
            return
        frames = self.known
        while frames < len(self.complete_after) and self.complete_after[frames] <= offset:
            frames += 1
        if frames > self.known:
            self.known = frames
            codes, _indexes, _mask = self.pattern.revert_pattern_sequence(gen_sequence, special_token=-1)
            self.listener(codes[..., :self.pattern.timesteps], frames, self.window)


@contextmanager
def decoding_with(musicgen: Any, plan: LoopPlan) -> Iterator[None]:
    """For one call: MusicGen's `lm.generate` runs this loop with `plan`'s step."""
    lm = musicgen.lm

    def patched(*args: Any, **kwargs: Any) -> torch.Tensor:
        return generate(lm, plan, *args, **kwargs)

    lm.generate = patched  # an instance attribute: audiocraft's method is back when it is deleted
    try:
        yield
    finally:
        del lm.generate
