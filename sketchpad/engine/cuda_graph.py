"""The static-cache step captured once in a CUDA graph and replayed at every step (CUDA only).

A MusicGen step on a GPU launches hundreds of small kernels; captured in a graph they launch as one,
which is where a GPU spends most of a step at batch 1. The graph reads the cache, the text's keys and
values and the step's tokens from tensors that stay in place; each take copies its own into them.

Written without a GPU to run it on: every failure to capture falls back to the same step run eagerly
(identical shapes and numbers, only slower), and says so in the engine's log.
"""

from __future__ import annotations

import sys
from typing import Any

import torch

from sketchpad.engine.static_lm import StaticCacheLM


class GraphedSteps:
    """`begin` for the decode loop on CUDA: an eager first call (the prompt), then one replayed graph."""

    def __init__(self, model: StaticCacheLM, capacity: int) -> None:
        self.model = model
        self.capacity = capacity  # the whole window, so every extension window reuses one cache and graph
        self._graphs: dict[tuple[int, int], tuple[Any, torch.Tensor, torch.Tensor, list[Any]]] = {}
        self._broken = False

    def begin(self, rows: int, positions: int, device: torch.device) -> Any:
        dtype = next(iter(self.model.lm.parameters())).dtype
        before = self.model.keys[0].data_ptr() if self.model.keys else None
        self.model.start(rows, max(self.capacity, positions), device, dtype)
        if self.model.keys[0].data_ptr() != before:
            self._graphs.clear()  # they read the cache that was just replaced
        return self.step

    def step(self, sequence: torch.Tensor, conditions: dict[str, Any]) -> torch.Tensor:
        model = self.model
        if model.length == 0 or self._broken:
            if model.length == 0:
                return model(sequence, conditions)
            logits = model.step_masked(sequence)
            model.advance()
            return logits
        key = (sequence.shape[0], _text_length(model))
        if key not in self._graphs:
            try:
                self._graphs[key] = self._capture(sequence)
            except RuntimeError as error:  # an operation the graph cannot hold, or memory
                print(f"sketchpad engine: CUDA graph capture failed, stepping eagerly: {error}", file=sys.stderr)
                self._broken = True
                return self.step(sequence, conditions)
        graph, tokens, logits, cross = self._graphs[key]
        for captured, current in zip(cross, model.cross, strict=True):
            if captured is not None and current is not None and current[0].data_ptr() != captured[0].data_ptr():
                captured[0].copy_(current[0])
                captured[1].copy_(current[1])
        model.cross = list(cross)
        tokens.copy_(sequence)
        graph.replay()
        model.advance()
        return logits

    def _capture(self, sequence: torch.Tensor) -> tuple[Any, torch.Tensor, torch.Tensor, list[Any]]:
        model = self.model
        tokens = sequence.clone()
        cross = list(model.cross)  # this take's text keys and values: later takes copy theirs in
        stream = torch.cuda.Stream()
        stream.wait_stream(torch.cuda.current_stream())
        # Warm-up runs write this step's position, which the replay writes again before anything reads it.
        with torch.cuda.stream(stream), torch.autocast("cuda", enabled=False):
            for _ in range(2):
                model.step_masked(tokens)
        torch.cuda.current_stream().wait_stream(stream)
        graph = torch.cuda.CUDAGraph()
        with torch.cuda.graph(graph), torch.autocast("cuda", enabled=False):
            logits = model.step_masked(tokens)
        return graph, tokens, logits, cross


def _text_length(model: StaticCacheLM) -> int:
    for pair in model.cross:
        if pair is not None:
            return int(pair[0].shape[2])
    return 0
