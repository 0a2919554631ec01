"""One MusicGen LM step over a key/value cache allocated once for the whole window.

audiocraft's streaming attention concatenates each step's keys and values onto all the previous ones
(a copy of the whole cache per layer per step) and projects the text's keys and values again at every
step. Here the cache is allocated once, each step writes one position into it, and the text's keys and
values are projected once per take. With the weights as loaded, every operation is the one audiocraft
runs on the same values, so the logits are the same bits (tests/engine/test_static_lm.py checks it).

The cache may be kept narrower than the activations (bfloat16 in the CPU's fast mode): at 10 s into a
take the cache holds as many bytes as a third of the int8 weights, and every step reads all of it.

Two ways to attend after the first step:
- "sliced" (CPU, MPS): attention over the filled part of the cache; exact.
- "masked" (CUDA graphs): attention over the whole cache with the unfilled positions masked, so every
  step has the same shapes and can be captured once and replayed (engine/cuda_graph.py).
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from sketchpad.engine.lm_weights import LayerWeights, LMWeights

ATTENTION_MODES = ("sliced", "masked")


class StaticCacheLM:
    """Logits for the next positions of a batch of pattern sequences, one call per step."""

    def __init__(self, weights: LMWeights, *, attention: str = "sliced",
                 cache_dtype: torch.dtype | None = None) -> None:
        if attention not in ATTENTION_MODES:
            raise ValueError(f"unknown attention mode {attention!r}")
        self.weights = weights
        self.attention = attention
        self.cache_dtype = cache_dtype  # None: the activations' own
        self.keys: list[torch.Tensor] = []
        self.values: list[torch.Tensor] = []
        self.cross: list[tuple[torch.Tensor, torch.Tensor] | None] = []
        self.length = 0  # positions already in the cache (a prepended melody counts)
        self.position: torch.Tensor | None = None  # the masked mode's write position, on the device
        self.capacity = 0

    @property
    def lm(self) -> Any:
        return self.weights.lm

    def start(self, batch: int, capacity: int, device: torch.device, dtype: torch.dtype) -> None:
        """Empty the cache for a new take of `batch` rows; keeps the memory when it is already big enough."""
        heads, head_dim = self.weights.heads, self.weights.dim // self.weights.heads
        dtype = self.cache_dtype or dtype
        fits = (self.keys and self.keys[0].shape[0] == batch and self.keys[0].shape[2] >= capacity
                and self.keys[0].dtype == dtype and self.keys[0].device == device)
        if not fits:
            self.keys, self.values = [], []
            shape = (batch, heads, capacity, head_dim)
            for _ in self.weights.layers:
                # Zeros, not empty: the masked mode multiplies unfilled positions before masking them,
                # and garbage could hold NaN, which a -inf mask does not cancel.
                self.keys.append(torch.zeros(shape, device=device, dtype=dtype))
                self.values.append(torch.zeros(shape, device=device, dtype=dtype))
            self.capacity = capacity
        self.cross = [None] * len(self.weights.layers)
        self.length = 0
        if self.position is None or self.position.device != device:
            self.position = torch.zeros((), dtype=torch.long, device=device)
        self.position.fill_(0)  # the same tensor across takes: a captured CUDA graph reads it

    def release(self) -> None:
        """Give the cache's memory back (30 s at batch 4 in float32 is 2.4 GB for musicgen-small)."""
        self.keys, self.values, self.cross = [], [], []
        self.capacity = self.length = 0

    def __call__(self, sequence: torch.Tensor, condition_tensors: dict[str, Any]) -> torch.Tensor:
        """Logits [B, K, S, card] for `sequence` [B, K, S]; the first call may hold many steps, then one each."""
        lm = self.lm
        batch, codebooks, steps = sequence.shape
        x = sum([lm.emb[k](sequence[:, k]) for k in range(codebooks)])
        first = self.length == 0
        cross_source = None
        if first or fuser_acts_every_step(lm.fuser):
            x, cross_source = lm.fuser(x, condition_tensors)
        if first:
            self._project_text(cross_source)
        x = self._add_positions(x)
        for index, layer in enumerate(self.weights.layers):
            x = self._layer(index, layer, x, first)
        self.length += x.shape[1]
        if self.position is not None:
            self.position.fill_(self.length)
        if lm.out_norm is not None:
            x = lm.out_norm(x)
        logits = torch.stack([linear(x) for linear in self.weights.outputs], dim=1)
        if len(lm.fuser.fuse2cond["prepend"]) > 0:
            logits = logits[:, :, -steps:]
        return logits

    def step_masked(self, sequence: torch.Tensor) -> torch.Tensor:
        """One step in fixed shapes (capturable in a CUDA graph): `self.position` says where it goes."""
        assert self.position is not None and sequence.shape[-1] == 1 and self.length > 0
        lm = self.lm
        x = sum([lm.emb[k](sequence[:, k]) for k in range(sequence.shape[1])])
        x = self._add_positions(x, self.position)
        for index, layer in enumerate(self.weights.layers):
            x = self._layer(index, layer, x, False, masked=True)
        if lm.out_norm is not None:
            x = lm.out_norm(x)
        return torch.stack([linear(x) for linear in self.weights.outputs], dim=1)

    def advance(self) -> None:
        """After a replayed masked step: one more position is in the cache."""
        self.length += 1
        assert self.position is not None
        self.position.fill_(self.length)

    def _project_text(self, source: torch.Tensor | None) -> None:
        heads = self.weights.heads
        for index, layer in enumerate(self.weights.layers):
            if layer.cross_kv is None or source is None:
                continue
            key_weight, key_bias, value_weight, value_bias = layer.cross_kv
            keys = F.linear(source, key_weight, key_bias)
            values = F.linear(source, value_weight, value_bias)
            # The views audiocraft's rearrange makes ("b t (h d) -> b h t d"), strides included.
            self.cross[index] = (_heads_first(keys, heads), _heads_first(values, heads))

    def _add_positions(self, x: torch.Tensor, position: torch.Tensor | None = None) -> torch.Tensor:
        from audiocraft.modules.transformer import create_sin_embedding

        transformer = self.lm.transformer
        batch, steps, channels = x.shape
        if position is None:
            offsets = torch.full((batch,), self.length, dtype=torch.long, device=x.device)
        else:
            offsets = position.expand(batch)
        positions = torch.arange(steps, device=x.device).view(1, -1, 1) + offsets.view(-1, 1, 1)
        embedding = create_sin_embedding(positions, channels, max_period=transformer.max_period, dtype=x.dtype)
        return x + transformer.positional_scale * embedding

    def _layer(self, index: int, layer: LayerWeights, x: torch.Tensor, first: bool, *,
               masked: bool = False) -> torch.Tensor:
        x = x + layer.scale1(layer.attn_out(self._self_attention(index, layer, layer.norm1(x), first, masked)))
        cross = self.cross[index]
        if cross is not None:
            assert layer.norm_cross is not None and layer.cross_q is not None and layer.cross_out is not None
            queries = _heads_first(layer.cross_q(layer.norm_cross(x)), self.weights.heads)
            attended = F.scaled_dot_product_attention(queries, cross[0].to(queries.dtype),
                                                      cross[1].to(queries.dtype), dropout_p=0.0)
            x = x + layer.scale_cross(layer.cross_out(_heads_last(attended, x.dtype)))
        return x + layer.scale2(layer.ff2(layer.activation(layer.ff1(layer.norm2(x)))))

    def _self_attention(self, index: int, layer: LayerWeights, x: torch.Tensor, first: bool,
                        masked: bool) -> torch.Tensor:
        batch, steps, _ = x.shape
        heads = self.weights.heads
        projected = layer.qkv(x)
        # audiocraft's "b t (p h d) -> b h p t d" and unbind: views into `projected`.
        queries, keys, values = projected.view(batch, steps, 3, heads, -1).permute(0, 3, 2, 1, 4).unbind(2)
        cache_keys, cache_values = self.keys[index], self.values[index]
        if first:
            # The first call attends to its own keys as audiocraft's first streaming call does (causally when
            # it holds several positions), then fills the cache.
            attended = F.scaled_dot_product_attention(queries, keys, values, is_causal=steps > 1, dropout_p=0.0)
            cache_keys[:, :, :steps] = keys
            cache_values[:, :, :steps] = values
        elif masked:
            assert self.position is not None
            where = self.position.view(1)
            cache_keys.index_copy_(2, where, keys.to(cache_keys.dtype))
            cache_values.index_copy_(2, where, values.to(cache_values.dtype))
            filled = torch.arange(cache_keys.shape[2], device=x.device) <= self.position
            mask = torch.zeros(filled.shape, dtype=cache_keys.dtype, device=x.device)
            mask = mask.masked_fill(~filled, float("-inf"))
            attended = F.scaled_dot_product_attention(queries.to(cache_keys.dtype), cache_keys, cache_values,
                                                      attn_mask=mask.view(1, 1, 1, -1), dropout_p=0.0)
        else:
            assert steps == 1, "after the first call, one position per call"
            end = self.length + 1
            if end > cache_keys.shape[2]:
                raise RuntimeError(f"the cache holds {cache_keys.shape[2]} positions; step {end} does not fit")
            cache_keys[:, :, self.length:end] = keys
            cache_values[:, :, self.length:end] = values
            attended = F.scaled_dot_product_attention(
                queries.to(cache_keys.dtype), cache_keys[:, :, :end], cache_values[:, :, :end], is_causal=False,
                dropout_p=0.0)
        return _heads_last(attended, x.dtype)


def _heads_first(x: torch.Tensor, heads: int) -> torch.Tensor:
    batch, steps, _ = x.shape
    return x.view(batch, steps, heads, -1).permute(0, 2, 1, 3)


def _heads_last(x: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    batch, heads, steps, head_dim = x.shape
    return x.to(dtype).permute(0, 2, 1, 3).reshape(batch, steps, heads * head_dim)


def fuser_acts_every_step(fuser: Any) -> bool:
    """Whether the fuser changes the input after the first step (summed or interpolated conditions; no
    released MusicGen has them). The masked step, and so the CUDA graph, leaves the fuser out."""
    return bool(fuser.fuse2cond.get("sum") or fuser.fuse2cond.get("input_interpolate"))
