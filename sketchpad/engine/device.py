"""Which device computes: CUDA, then Apple MPS, then the CPU, unless the person chooses."""

from __future__ import annotations

import ctypes
import gc
import sys

import torch

from sketchpad.engine.catalog import DEVICE_CHOICES
from sketchpad.engine.errors import EngineError


def _mps_available() -> bool:
    backend = getattr(torch.backends, "mps", None)
    return bool(backend is not None and backend.is_available())


def pick_device(preference: str | None = None) -> str:
    """A torch device string. `None` or "auto" picks the best available; anything else must exist."""
    choice = (preference or "auto").strip().lower()
    if choice == "auto":
        if torch.cuda.is_available():
            return "cuda"
        return "mps" if _mps_available() else "cpu"
    if choice == "cpu":
        return "cpu"
    if choice.startswith("cuda"):
        if not torch.cuda.is_available():
            raise EngineError("A CUDA GPU was requested, but this torch build or computer has none. "
                              "Choose Auto or CPU as the compute device.")
        index = int(choice.partition(":")[2] or 0)
        if index >= torch.cuda.device_count():
            raise EngineError(f"CUDA device {index} was requested, but only {torch.cuda.device_count()} exist.")
        return choice
    if choice == "mps":
        if not _mps_available():
            raise EngineError("Apple MPS was requested, but it is not available on this computer.")
        return "mps"
    raise EngineError(f"Unknown compute device {preference!r}: use one of {', '.join(DEVICE_CHOICES)}.")


def describe_device(device: str) -> str:
    """A short name for the status bar, e.g. 'CUDA: NVIDIA H100 80GB HBM3'."""
    if device.startswith("cuda"):
        return f"CUDA: {torch.cuda.get_device_name(torch.device(device))}"
    return "Apple MPS" if device == "mps" else "CPU"


def memory_in_use(device: str) -> int | None:
    """Bytes held by torch on an accelerator; None on the CPU where torch does not track it."""
    if device.startswith("cuda"):
        return int(torch.cuda.memory_allocated(torch.device(device)))
    if device == "mps":
        return int(torch.mps.current_allocated_memory())
    return None


def release_memory(device: str, *, collect: bool = False) -> None:
    """Return cached blocks to the driver (after an out-of-memory error, or an unload).

    With `collect`, objects only a reference cycle keeps alive go first, and on Linux the C allocator
    hands its freed pages back to the system: otherwise the process keeps them, and its size stays
    where the largest model took it.
    """
    if collect:
        gc.collect()
    if device.startswith("cuda"):
        torch.cuda.empty_cache()
    elif device == "mps":
        torch.mps.empty_cache()
    if collect:
        _trim_c_heap()


def _trim_c_heap() -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.malloc_trim(0)
    except (OSError, AttributeError):  # musl and other C libraries have no malloc_trim
        pass


def is_out_of_memory(error: BaseException) -> bool:
    if isinstance(error, torch.OutOfMemoryError):
        return True
    # MPS and some CUDA paths raise a plain RuntimeError.
    return isinstance(error, RuntimeError) and "out of memory" in str(error).lower()
