"""Keep noise that is not the person's business off the console, and nothing else.

Each filter names one known message from one library; real errors and unknown warnings pass.
"""

from __future__ import annotations

import logging
import os
import warnings

_done = False


def silence_library_noise() -> None:
    """Call before importing torch-side libraries; idempotent."""
    global _done
    if _done:
        return
    _done = True
    # xformers' C++ kernels are built for another torch; audiocraft only uses its pure-Python ops.
    logging.getLogger("xformers").setLevel(logging.ERROR)
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    warnings.filterwarnings(
        "ignore", message=r".*torch\.nn\.utils\.weight_norm.* is deprecated", category=FutureWarning)
    warnings.filterwarnings("ignore", message=r".*xFormers.*", category=UserWarning)
    warnings.filterwarnings("ignore", category=FutureWarning, module=r"transformers\..*")
    warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"(audiocraft|demucs|librosa|spacy)\..*")
    warnings.filterwarnings("ignore", message=r".*torch\.cuda\.amp\.autocast.*", category=FutureWarning)
    warnings.filterwarnings("ignore", message=r".*`torch\.cuda\.amp.*is deprecated", category=FutureWarning)
    for name in ("transformers.modeling_utils", "transformers.tokenization_utils_base",
                 "huggingface_hub.file_download", "huggingface_hub.utils._http"):
        logging.getLogger(name).setLevel(logging.ERROR)
