"""The static-cache step captured once in a CUDA graph and replayed at every step.

A MusicGen step on a GPU launches hundreds of small kernels; captured in a graph they launch as one,
which is where a GPU spends most of a step at batch 1. The graph reads the cache, the text's keys and
values and the step's tokens from tensors that stay in place; each take copies its own into them.

What a GPU keeps between takes is bounded: at most MAX_GRAPHS graphs (one per rows and text length, the
least recently used goes first), and after each job a cache larger than KEEP_CACHE_BYTES is given back
with the graphs that read it (musicgen-large at 8 variations would otherwise hold ~22 GB until Unload).
On any other device the same class steps through the same buffers without a graph (`capture_eagerly`), so the
policy and the buffer handling are tested on the CPU.

Written without a GPU to run it on: every failure to capture falls back to the same step run eagerly
(identical shapes and numbers, only slower), and says so in the engine's log.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import torch

from sketchpad.engine.static_lm import StaticCacheLM

log = logging.getLogger(__name__)

MAX_GRAPHS = 4  # each holds its own memory pool; a fifth text length replaces the one used longest ago
KEEP_CACHE_BYTES = 2 * 1024**3  # a cache up to this stays for the next take (musicgen-small, one take)

K = TypeVar("K")
V = TypeVar("V")


class LeastRecentlyUsed(Generic[K, V]):
    """A mapping of at most `size` entries: `get` marks an entry as used, `put` evicts the oldest."""

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError("a least-recently-used store holds at least one entry")
        self.size = size
        self._entries: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        if key not in self._entries:
            return None
        self._entries.move_to_end(key)
        return self._entries[key]

    def put(self, key: K, value: V) -> list[K]:
        """Store `value`; returns the keys evicted to make room (oldest first)."""
        self._entries[key] = value
        self._entries.move_to_end(key)
        evicted = []
        while len(self._entries) > self.size:
            evicted.append(self._entries.popitem(last=False)[0])
        return evicted

    def clear(self) -> None:
        self._entries.clear()

    def oldest_first(self) -> list[K]:
        return list(self._entries)


@dataclass
class Captured:
    """One step in fixed buffers: `replay()` reads `tokens` and `cross` and writes `logits`."""

    replay: Callable[[], None]
    tokens: torch.Tensor
    logits: torch.Tensor
    cross: list[Any]


def capture_cuda_graph(model: StaticCacheLM, sequence: torch.Tensor) -> Captured:
    tokens = sequence.clone()
    cross = list(model.cross)  # this take's text keys and values: later takes copy theirs in
    device = sequence.device
    with torch.cuda.device(device):  # the engine's device (--device cuda:1), not whichever is current
        stream = torch.cuda.Stream(device=device)
        stream.wait_stream(torch.cuda.current_stream(device))
        # Warm-up runs write this step's position, which the replay writes again before anything reads it.
        with torch.cuda.stream(stream), torch.autocast("cuda", enabled=False):
            for _ in range(2):
                model.step_masked(tokens)
        torch.cuda.current_stream(device).wait_stream(stream)
        graph = torch.cuda.CUDAGraph()
        with torch.cuda.graph(graph), torch.autocast("cuda", enabled=False):
            logits = model.step_masked(tokens)
    return Captured(graph.replay, tokens, logits, cross)


def capture_eagerly(model: StaticCacheLM, sequence: torch.Tensor) -> Captured:
    """The same buffers without a graph: each replay runs the masked step and copies its logits in."""
    tokens = sequence.clone()
    cross = list(model.cross)
    logits = model.step_masked(tokens)  # as a warm-up does: writes this step's position, written again

    def replay() -> None:
        logits.copy_(model.step_masked(tokens))

    return Captured(replay, tokens, logits, cross)


class GraphedSteps:
    """`begin` for the decode loop: an eager first call (the prompt), then one replayed step per position."""

    def __init__(self, model: StaticCacheLM, capacity: int, *, max_graphs: int = MAX_GRAPHS,
                 keep_cache_bytes: int = KEEP_CACHE_BYTES) -> None:
        self.model = model
        self.capacity = capacity  # the whole window, so every extension window reuses one cache and graph
        self.graphs: LeastRecentlyUsed[tuple[int, int], Captured] = LeastRecentlyUsed(max_graphs)
        self.keep_cache_bytes = keep_cache_bytes
        self._broken = False

    def begin(self, rows: int, positions: int, device: torch.device) -> Any:
        dtype = next(iter(self.model.lm.parameters())).dtype
        before = self.model.keys[0].data_ptr() if self.model.keys else None
        self.model.start(rows, max(self.capacity, positions), device, dtype)
        if self.model.keys[0].data_ptr() != before:
            self.graphs.clear()  # they read the cache that was just replaced
        return self.step

    def finish(self) -> None:
        """After a job: a cache over `keep_cache_bytes` goes, with the graphs that read it."""
        if cache_bytes(self.model) > self.keep_cache_bytes:
            self.graphs.clear()
            self.model.release()

    def step(self, sequence: torch.Tensor, conditions: dict[str, Any]) -> torch.Tensor:
        model = self.model
        if model.length == 0 or self._broken:
            if model.length == 0:
                return model(sequence, conditions)
            logits = model.step_masked(sequence)
            model.advance()
            return logits
        key = (sequence.shape[0], _text_length(model))
        captured = self.graphs.get(key)
        if captured is None:
            capture = capture_cuda_graph if sequence.device.type == "cuda" else capture_eagerly
            try:
                captured = capture(model, sequence)
            except RuntimeError as error:  # an operation the graph cannot hold, or memory
                log.warning("CUDA graph capture failed, stepping eagerly: %s", error)
                self._broken = True
                return self.step(sequence, conditions)
            self.graphs.put(key, captured)
        for kept, current in zip(captured.cross, model.cross, strict=True):
            if kept is not None and current is not None and current[0].data_ptr() != kept[0].data_ptr():
                kept[0].copy_(current[0])
                kept[1].copy_(current[1])
        model.cross = list(captured.cross)
        captured.tokens.copy_(sequence)
        captured.replay()
        model.advance()
        return captured.logits


def cache_bytes(model: StaticCacheLM) -> int:
    return sum(tensor.numel() * tensor.element_size() for tensor in (*model.keys, *model.values))


def _text_length(model: StaticCacheLM) -> int:
    for pair in model.cross:
        if pair is not None:
            return int(pair[0].shape[2])
    return 0
