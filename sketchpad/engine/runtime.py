"""Importing audiocraft once, quietly, with the attention backend inference needs."""

from __future__ import annotations

import threading

from sketchpad.engine.quiet import silence_library_noise
from sketchpad.engine.xformers_compat import install_if_missing

_lock = threading.Lock()


def import_audiocraft() -> None:
    """Import audiocraft (slow: torch, transformers, spacy); safe from any thread, done once."""
    with _lock:
        silence_library_noise()
        install_if_missing()  # macOS has no xformers wheel; audiocraft imports it unconditionally
        import audiocraft.models  # noqa: F401
        from audiocraft.modules.transformer import set_efficient_attention_backend

        # torch's scaled_dot_product_attention: works on CUDA, MPS and CPU without xformers kernels.
        set_efficient_attention_backend("torch")
