"""A stand-in for the two xformers pieces audiocraft uses, for platforms with no xformers wheel (macOS).

audiocraft.modules.transformer does `from xformers import ops` at import time, then, with the torch
attention backend Sketchpad selects, uses only `ops.unbind` (a gradient-friendly torch.unbind) and
`ops.LowerTriangularMask` (a marker: the torch backend only asks whether a mask exists, and passes
`is_causal=True` to scaled_dot_product_attention). Inference needs neither the kernels nor the gradients,
so plain torch does the same. The stand-in is installed only when the real xformers cannot be imported,
so Linux and Windows keep the real package.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
import types
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    import torch

MARKER = "__sketchpad_xformers_compat__"


class LowerTriangularMask:
    """A causal mask marker, as in xformers.ops; audiocraft's torch backend never materialises it."""


def unbind(x: torch.Tensor, dim: int) -> tuple[torch.Tensor, ...]:
    import torch  # here, not at the top: installing the stand-in must not import torch

    return torch.unbind(x, dim)


def memory_efficient_attention(*args: object, **kwargs: object) -> NoReturn:
    raise NotImplementedError(
        "xformers is not installed; use audiocraft's 'torch' attention backend "
        "(set_efficient_attention_backend('torch'))"
    )


def xformers_available() -> bool:
    """Whether the real xformers package can be found (not counting this stand-in)."""
    module = sys.modules.get("xformers")
    if module is not None:
        return not getattr(module, MARKER, False)
    try:
        return importlib.util.find_spec("xformers") is not None
    except (ImportError, ValueError):  # a blocked or broken entry counts as absent
        return False


def _package(name: str) -> types.ModuleType:
    module = types.ModuleType(name)
    # A real spec, so importlib.util.find_spec("xformers") answers instead of raising ValueError.
    module.__spec__ = importlib.machinery.ModuleSpec(name, loader=None, is_package=True)
    module.__path__ = []
    setattr(module, MARKER, True)
    return module


def install_if_missing() -> bool:
    """Put the stand-in into sys.modules when xformers is absent; returns True if it did. Idempotent."""
    if xformers_available():
        return False
    if getattr(sys.modules.get("xformers"), MARKER, False):
        return True
    package = _package("xformers")
    ops = _package("xformers.ops")
    ops.unbind = unbind
    ops.LowerTriangularMask = LowerTriangularMask
    ops.memory_efficient_attention = memory_efficient_attention
    package.ops = ops
    package.__version__ = "0+sketchpad.compat"
    sys.modules["xformers"] = package
    sys.modules["xformers.ops"] = ops
    return True
