"""EnCodec's decoder made faster on the CPU, its audio within -60 dBFS of audiocraft's own decode.

Where a decode of the released 32 kHz codec goes (random weights, 2-core Xeon with AMX, one thread):
its transposed and residual convolutions do about 3.3 G multiply-adds per second of audio, near the
core's float32 peak; the two-layer LSTM at 1024 channels reads 32 MB of recurrent weights at each of
its 50 steps per second; audiocraft copies every convolution's input into a padded tensor first; and
the ELUs run over the 32 kHz layers. (Random weights make activations of +-1e5, where expm1 takes a
slow path: the ELUs took a third of these decodes, three to six times what they take near 1.)
Measured in CPU milliseconds per second of audio (the machine was shared and loaded, so CPU time,
not wall time), interleaved, 5 s of tokens, best of three, in two runs:

| decode                                                  | ms/s     | difference from audiocraft   |
|---------------------------------------------------------|----------|------------------------------|
| audiocraft's codec as it builds it                      | 218, 205 | -                            |
| weight norm folded once at load (`fold_weight_norm`)    | 212      | none: bit for bit            |
| and padding inside the convolutions (`pad_inside_...`)  | 193      | none: bit for bit            |
| and the LSTM in bfloat16 (`fast_decoding`)              | 184, 168 | 2.3e-4 of a 367 peak, -124 dB|

- Folding: audiocraft recomputes every convolution's weight from its direction and norm on every
  call (8 M values for the largest, on every partial piece too). The folded weight is the very tensor
  the hook computes. Kept on every device, in both precisions.
- Padding inside: a stride-1 convolution with symmetric zero padding is the same sums, without a
  copy of its input. Kept on every device, in both precisions.
- The LSTM in bfloat16 (fast precision only, CPUs with native bfloat16): half the bytes per recurrent
  step; its input and the skip connection around it stay float32. Kept.
- Not taken: the whole decoder under bfloat16 autocast (about 4x faster, but -43 dB of the peak: the
  convolutions' rounding adds up layer after layer); oneDNN's reduced-precision float32 modes (no
  effect on these convolutions); torch.inference_mode instead of no_grad (no measurable change; used,
  as everywhere in the engine); oneDNN off for the LSTM (slower). Channels-last has no 1-d layout.
  Fewer overlapping frames in partial decoding: the context it keeps is what trained weights need,
  and random weights cannot show how long a trained LSTM remembers.
- More threads: decoding scales with the cores engine/threads.py gives it (issue 22 measured 218 ms at
  one thread and 135 at two on the quiet machine).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import torch

from sketchpad.engine.models import LoadedModel

_LSTM_KEY = "codec:lstm-bf16"  # LoadedModel.steps entry: the bfloat16 copies, made once per model


def fold_weight_norm(codec: torch.nn.Module) -> int:
    """Replace audiocraft's weight-norm hooks by the weights they compute (once); how many were folded."""
    from torch.nn.utils.weight_norm import WeightNorm

    folded = 0
    with torch.no_grad():
        for module in codec.modules():
            for hook in list(module._forward_pre_hooks.values()):
                if isinstance(hook, WeightNorm):
                    torch.nn.utils.remove_weight_norm(module, hook.name)
                    folded += 1
    return folded



def pad_inside_convolutions(codec: torch.nn.Module) -> int:
    """Let each stride-1, zero-padded convolution pad inside oneDNN instead of copying its input into a
    padded tensor first (audiocraft's StreamableConv1d pads, then convolves); how many were changed.

    Only where the padding is symmetric, as it is for odd kernels: the same sums in the same order,
    so the same audio bit for bit, without one copy of every 32 kHz activation per convolution."""
    changed = 0
    for module in codec.modules():
        conv = getattr(getattr(module, "conv", None), "conv", None)
        if not (type(module).__name__ == "StreamableConv1d" and isinstance(conv, torch.nn.Conv1d)):
            continue
        total = (conv.kernel_size[0] - 1) * conv.dilation[0] + 1 - conv.stride[0]
        if (module.causal or module.pad_mode != "constant" or conv.stride[0] != 1 or total % 2
                or conv.padding != (0,) or not isinstance(module.conv.norm, torch.nn.Identity)
                or conv.padding_mode != "zeros" or _has_weight_norm(conv)):
            continue
        module.forward = _PaddedForward(conv, total // 2)
        changed += 1
    return changed


def _has_weight_norm(module: torch.nn.Module) -> bool:
    """Whether a hook still computes the module's weight (fold_weight_norm first)."""
    from torch.nn.utils.weight_norm import WeightNorm

    return any(isinstance(hook, WeightNorm) for hook in module._forward_pre_hooks.values())


class _PaddedForward:
    """StreamableConv1d.forward for a symmetric zero padding: one convolution, no padded copy."""

    def __init__(self, conv: torch.nn.Conv1d, padding: int) -> None:
        self.conv, self.padding = conv, padding

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        conv = self.conv
        return torch.nn.functional.conv1d(x, conv.weight, conv.bias, conv.stride, self.padding, conv.dilation,
                                          conv.groups)


def bf16_native() -> bool:
    """Whether this CPU computes bfloat16 itself (AVX-512 BF16 or AMX); elsewhere it would be slower."""
    try:
        return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):
        return False


class _Bf16Lstm(torch.nn.Module):
    """An nn.LSTM's bfloat16 copy that takes and gives float32, as the original does."""

    def __init__(self, lstm: torch.nn.LSTM) -> None:
        super().__init__()
        self.lstm = lstm
        self.bf16 = _bf16_copy(lstm)

    def forward(self, x: torch.Tensor, *state: Any) -> tuple[torch.Tensor, Any]:
        y, hidden = self.bf16(x.to(torch.bfloat16), *state)
        return y.to(x.dtype), hidden


def _bf16_copy(lstm: torch.nn.LSTM) -> torch.nn.LSTM:
    copy = torch.nn.LSTM(lstm.input_size, lstm.hidden_size, lstm.num_layers, bias=lstm.bias,
                         batch_first=lstm.batch_first, bidirectional=lstm.bidirectional)
    copy.load_state_dict(lstm.state_dict())
    return copy.to(torch.bfloat16).eval()


def _lstm_owners(codec: torch.nn.Module) -> list[torch.nn.Module]:
    """audiocraft's StreamableLSTM modules (their `lstm` attribute is the nn.LSTM they call)."""
    return [module for module in codec.modules()
            if isinstance(getattr(module, "lstm", None), torch.nn.LSTM)]


@contextmanager
def fast_decoding(loaded: LoadedModel, precision: str) -> Iterator[None]:
    """For its duration, the codec's LSTMs run in bfloat16: in fast precision, on a CPU that has it."""
    if precision != "fast" or loaded.device != "cpu" or not bf16_native():
        yield
        return
    owners = _lstm_owners(loaded.musicgen.compression_model)
    if not owners:  # no LSTM, or already swapped by an enclosing call
        yield
        return
    swaps = loaded.steps.get(_LSTM_KEY)
    if swaps is None:
        swaps = loaded.steps[_LSTM_KEY] = [_Bf16Lstm(owner.lstm) for owner in owners]
    for owner, swap in zip(owners, swaps, strict=True):
        owner.lstm = swap
    try:
        yield
    finally:
        for owner, swap in zip(owners, swaps, strict=True):
            owner.lstm = swap.lstm
