"""The language model's weights as one decode step reads them: as loaded (exact), or compressed for speed.

A MusicGen step on a CPU is a matrix-vector product over ~411 M weights (musicgen-small): it runs at
the speed memory delivers them. Storing them as int8 (one scale per output channel, so a channel with
large weights does not crush the resolution of the others) reads a quarter of the bytes of float32.
The activations are quantised per call by fbgemm's dynamic linear; the output projections, which
produce the logits directly, and the once-per-take cross-attention keys and values keep the weights
as loaded.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

Linear = Callable[[torch.Tensor], torch.Tensor]
WEIGHT_FORMATS = ("as-loaded", "int8", "bfloat16")


class DenseLinear:
    """F.linear with the weights as loaded: the very call audiocraft makes, so the same bits come out."""

    def __init__(self, weight: torch.Tensor, bias: torch.Tensor | None) -> None:
        self.weight, self.bias = weight, bias

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        return F.linear(x, self.weight, self.bias)

    @property
    def nbytes(self) -> int:
        return self.weight.numel() * self.weight.element_size()


class Int8Linear:
    """Dynamic int8: weights quantised once per output channel, activations per call (fbgemm/x86)."""

    def __init__(self, weight: torch.Tensor, bias: torch.Tensor | None) -> None:
        weight = weight.detach().float().cpu()
        scales = (weight.abs().amax(dim=1) / 127.0).clamp(min=1e-12).double()
        zero_points = torch.zeros(weight.shape[0], dtype=torch.long)
        quantized = torch.quantize_per_channel(weight, scales, zero_points, 0, torch.qint8)
        self.bias = None if bias is None else bias.detach().float().cpu()
        self.packed = torch.ops.quantized.linear_prepack(quantized, self.bias)
        self.count = weight.numel()

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        # reduce_range keeps fbgemm's activations in 7 bits, which its AVX2/AVX-512 kernels need to
        # accumulate without saturating; torch's own dynamic quantisation passes the same.
        return torch.ops.quantized.linear_dynamic(x.float(), self.packed, True)

    @property
    def nbytes(self) -> int:
        return self.count  # one byte per weight, plus a scale per channel (negligible)


class Bf16Linear:
    """bfloat16 weights and activations, float32 out: half the bytes, native on CPUs with AVX512-BF16/AMX."""

    def __init__(self, weight: torch.Tensor, bias: torch.Tensor | None) -> None:
        self.weight = weight.detach().to(torch.bfloat16)
        self.bias = None if bias is None else bias.detach().to(torch.bfloat16)

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        return F.linear(x.to(torch.bfloat16), self.weight, self.bias).to(x.dtype)

    @property
    def nbytes(self) -> int:
        return self.weight.numel() * 2


def make_linear(weight: torch.Tensor, bias: torch.Tensor | None, weight_format: str) -> Linear:
    if weight_format == "int8":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            return Int8Linear(weight, bias)
    if weight_format == "bfloat16":
        return Bf16Linear(weight, bias)
    return DenseLinear(weight, bias)


@dataclass
class LayerWeights:
    """One pre-norm transformer layer: self-attention, cross-attention to the text, feed-forward."""

    norm1: nn.Module
    qkv: Linear  # self-attention's packed query/key/value projection
    attn_out: Linear
    scale1: nn.Module  # audiocraft's LayerScale, or Identity
    norm_cross: nn.Module | None
    cross_q: Linear | None
    cross_kv: tuple[torch.Tensor, torch.Tensor | None, torch.Tensor, torch.Tensor | None] | None
    cross_out: Linear | None
    scale_cross: nn.Module | None
    norm2: nn.Module
    ff1: Linear
    activation: Callable[[torch.Tensor], torch.Tensor]
    ff2: Linear
    scale2: nn.Module


@dataclass
class LMWeights:
    """What a static-cache step needs from audiocraft's LMModel, in one weight format."""

    lm: Any  # audiocraft.models.lm.LMModel: embeddings, fuser, norms stay its own modules
    layers: list[LayerWeights]
    outputs: list[Linear]
    weight_format: str
    heads: int
    dim: int

    @property
    def linear_bytes(self) -> int:
        """Bytes of linear weights one step reads (the memory floor's numerator)."""
        total = 0
        for layer in self.layers:
            for linear in (layer.qkv, layer.attn_out, layer.cross_q, layer.cross_out, layer.ff1, layer.ff2):
                total += getattr(linear, "nbytes", 0)
        return total + sum(getattr(linear, "nbytes", 0) for linear in self.outputs)


def unsupported_reason(lm: Any) -> str | None:
    """Why the static-cache step cannot run this LM (then audiocraft's own step runs), or None."""
    transformer = lm.transformer
    if lm.two_step_cfg:
        return "two-step classifier-free guidance"
    if transformer.positional_embedding != "sin" or transformer.checkpointing != "none":
        return "positional embedding or checkpointing other than audiocraft's defaults"
    for layer in transformer.layers:
        attention = layer.self_attn
        if not layer.norm_first or not attention.custom or not attention.memory_efficient:
            return "post-norm layers or attention without the memory-efficient layout"
        if attention.past_context is not None or attention.kv_repeat != 1 or attention.qk_layer_norm:
            return "a limited attention context, repeated keys or query/key norms"
        if attention.rope is not None or not attention.causal:
            return "rotary or non-causal self-attention"
        cross = layer.cross_attention
        if cross is not None and (not cross.custom or cross.qk_layer_norm or not cross.memory_efficient):
            return "a cross-attention layout the static step does not know"
    from audiocraft.modules.transformer import _efficient_attention_backend

    if _efficient_attention_backend != "torch":
        return "the xformers attention backend"
    return None


def _split_bias(bias: torch.Tensor | None, dim: int, index: int) -> torch.Tensor | None:
    return None if bias is None else bias[index * dim:(index + 1) * dim]


def extract_weights(lm: Any, weight_format: str = "as-loaded") -> LMWeights:
    """The LM's layers in `weight_format`; "as-loaded" shares audiocraft's tensors and copies nothing."""
    if weight_format not in WEIGHT_FORMATS:
        raise ValueError(f"unknown weight format {weight_format!r}")
    layers = []
    for layer in lm.transformer.layers:
        attention = layer.self_attn
        cross = layer.cross_attention
        cross_q = cross_kv = cross_out = None
        if cross is not None:
            dim = cross.in_proj_weight.shape[0] // 3
            weight, bias = cross.in_proj_weight, cross.in_proj_bias
            cross_q = make_linear(weight[:dim], _split_bias(bias, dim, 0), weight_format)
            # Keys and values of the text are projected once per take: as loaded, whatever the format.
            cross_kv = (weight[dim:2 * dim], _split_bias(bias, dim, 1), weight[2 * dim:], _split_bias(bias, dim, 2))
            cross_out = make_linear(cross.out_proj.weight, cross.out_proj.bias, weight_format)
        layers.append(LayerWeights(
            norm1=layer.norm1,
            qkv=make_linear(attention.in_proj_weight, attention.in_proj_bias, weight_format),
            attn_out=make_linear(attention.out_proj.weight, attention.out_proj.bias, weight_format),
            scale1=layer.layer_scale_1,
            norm_cross=getattr(layer, "norm_cross", None) if cross is not None else None,
            cross_q=cross_q, cross_kv=cross_kv, cross_out=cross_out,
            scale_cross=getattr(layer, "layer_scale_cross", None) if cross is not None else None,
            norm2=layer.norm2,
            ff1=make_linear(layer.linear1.weight, layer.linear1.bias, weight_format),
            activation=layer.activation,
            ff2=make_linear(layer.linear2.weight, layer.linear2.bias, weight_format),
            scale2=layer.layer_scale_2,
        ))
    # The logits come straight from these: they keep the weights as loaded in every format.
    outputs: list[Linear] = [DenseLinear(linear.weight, linear.bias) for linear in lm.linears]
    first = lm.transformer.layers[0].self_attn
    return LMWeights(lm=lm, layers=layers, outputs=outputs, weight_format=weight_format, heads=first.num_heads,
                     dim=first.embed_dim)
