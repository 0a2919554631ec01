"""Prompts that change over a take: each window of audiocraft's extension conditioned on its own text.

A take longer than the model's window is made window by window, each prompted with the previous one's
tail (engine/generation.chunk_plan). Here every window's text conditions are the section's that is in
force where the window's new audio begins, as AudioCraft Plus's extension loop does; the audio prompt
carries the music across the change. So a section starts at the first window boundary at or after
its time: `windows()` says where the changes really fall, and the take's parameters keep that.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

Section = tuple[float, str]  # (seconds from the take's start, the prompt from there on)


def text_at(seconds: float, sections: Sequence[Section]) -> str | None:
    """The section text in force at `seconds` (None before the first section: the request's prompts)."""
    current = None
    for start, text in sections:
        if start <= seconds + 1e-9:
            current = text
    return current


def windows(plan: Sequence[tuple[int, int]], frame_rate: float, sections: Sequence[Section],
            prompts: Sequence[str]) -> list[tuple[float, str]]:
    """Where each window's new audio begins (seconds) and the text it is conditioned on (the first
    prompt's where no section is in force yet)."""
    return [(start / frame_rate, text_at(start / frame_rate, sections) or prompts[0]) for start, _end in plan]


@contextmanager
def conditioned_per_window(musicgen: Any, plan: Sequence[tuple[int, int]], frame_rate: float,
                           sections: Sequence[Section]) -> Iterator[None]:
    """While generating: window w's `lm.generate` call gets its section's text in every row's conditions."""
    lm = musicgen.lm
    previous = lm.__dict__.get("generate")  # an instance patch (the engine's decode loop), or None
    inner = lm.generate
    calls = [0]

    def generate(prompt: Any = None, conditions: list[Any] | None = None, *args: Any, **kwargs: Any) -> Any:
        window = min(calls[0], len(plan) - 1)
        calls[0] += 1
        text = text_at(plan[window][0] / frame_rate, sections)
        if text is not None and conditions:
            conditions = [_with_text(condition, text) for condition in conditions]
        return inner(prompt, conditions, *args, **kwargs)

    lm.generate = generate
    try:
        yield
    finally:
        if previous is None:
            del lm.generate
        else:
            lm.generate = previous


def _with_text(condition: Any, text: str) -> Any:
    changed = copy.copy(condition)
    changed.text = {**condition.text, "description": text}
    return changed
