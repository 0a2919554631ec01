"""Finding checkpoint files (local folder or Hugging Face cache) and reading them safely.

Every file goes through `torch.load(..., weights_only=True)`; where audiocraft's own format stores
config objects (MultiBand Diffusion), exactly those classes are allowed and nothing else.
"""

from __future__ import annotations

import os
import pickle
import re
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import torch

from sketchpad.core import model_ref
from sketchpad.engine import catalog
from sketchpad.engine.errors import ModelLoadError, ModelNotFoundError, ModelUnavailableOfflineError


def resolve_file(source: str, filename: str, *, offline: bool, what: str = "model") -> Path:
    """The local path of `filename` from a folder, or from the hub cache (downloading unless offline)."""
    if model_ref.is_folder(source):
        folder = Path(source).expanduser()
        if not folder.is_dir():
            raise ModelNotFoundError(f"There is no {what} folder at {folder}.")
        path = folder / filename
        if not path.is_file():
            raise ModelNotFoundError(f"{folder} is not a {what} folder: {filename} is missing.")
        return path
    from huggingface_hub import hf_hub_download
    from huggingface_hub.errors import (
        EntryNotFoundError,
        GatedRepoError,
        LocalEntryNotFoundError,
        RepositoryNotFoundError,
    )

    # A cached file is used as it is: no network round trip, so a model on disk starts offline and fast.
    cached = catalog.cached_file(source, filename)
    if cached is not None:
        return cached
    try:
        return Path(hf_hub_download(repo_id=source, filename=filename, local_files_only=offline))
    except (RepositoryNotFoundError, GatedRepoError) as error:
        raise ModelNotFoundError(f"{source} is not a known {what}: no such repository on Hugging Face.") from error
    except LocalEntryNotFoundError as error:
        size = _download_hint(source)
        reason = "offline mode is on" if offline or _hub_offline() else "the network cannot be reached"
        raise ModelUnavailableOfflineError(
            f"{source} is not on this computer and {reason}. Connect to the internet once to download it"
            f"{size}; it is then kept for offline use. Or choose a model folder that is already on disk."
        ) from error
    except EntryNotFoundError as error:
        raise ModelNotFoundError(f"{source} has no {filename}; it is not a MusicGen {what}.") from error
    except ValueError as error:  # malformed repo ids
        raise ModelNotFoundError(f"{source!r} is neither a model folder nor a model id.") from error


def _hub_offline() -> bool:
    from huggingface_hub import constants

    return bool(constants.HF_HUB_OFFLINE)


def _download_hint(source: str) -> str:
    info = catalog.find(source)
    return f" (about {info.download_gb:g} GB)" if info else ""


def load_package(path: Path, *, allowed: Iterable[Any] = ()) -> dict:
    """A checkpoint dict, read with torch's safe loader; damaged files raise ModelLoadError."""
    try:
        with torch.serialization.safe_globals(list(allowed)):
            package = torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as error:
        raise ModelLoadError(f"{path.name} ({path.parent}) {refusal(error)}") from error
    except (RuntimeError, EOFError, OSError, zipfile.BadZipFile, ValueError) as error:
        raise ModelLoadError(f"{path.name} ({path.parent}) is damaged or incomplete and cannot be read.") from error
    if not isinstance(package, dict):
        raise ModelLoadError(f"{path.name} ({path.parent}) does not hold an audiocraft checkpoint.")
    return package


_UNSUPPORTED = re.compile(r"Unsupported (?:global|operand)[^A-Za-z0-9]*(?:GLOBAL )?([A-Za-z0-9_.<>]{1,120})")


def refusal(error: pickle.UnpicklingError) -> str:
    """Our own sentence for torch refusing a checkpoint that names Python objects: torch's text suggests
    loading it unsafely, which Sketchpad never does and never suggests."""
    named = _UNSUPPORTED.search(str(error))
    what = f" ({named.group(1)})" if named else ""
    return (f"is not a plain checkpoint: it holds Python objects{what} that could run code when read, so "
            "Sketchpad does not read it. Use a checkpoint that holds only weights, from a source you trust.")


def require_keys(package: dict, path: Path, keys: Iterable[str]) -> None:
    missing = [key for key in keys if key not in package]
    if missing:
        raise ModelLoadError(f"{path.name} ({path.parent}) is not an audiocraft checkpoint: "
                             f"{', '.join(missing)} missing.")


@contextmanager
def forced_safe_loading(allowed: Iterable[Any]) -> Iterator[None]:
    """Force torch's safe loader on library code that asks for the unsafe one, allowing exactly `allowed`.

    demucs reads the htdemucs checkpoint (which audiocraft needs for melody models) with
    `weights_only=False`; torch's TORCH_FORCE_WEIGHTS_ONLY_LOAD overrides that for the duration.
    """
    previous = os.environ.get("TORCH_FORCE_WEIGHTS_ONLY_LOAD")
    os.environ["TORCH_FORCE_WEIGHTS_ONLY_LOAD"] = "1"
    try:
        with torch.serialization.safe_globals(list(allowed)):
            yield
    finally:
        if previous is None:
            del os.environ["TORCH_FORCE_WEIGHTS_ONLY_LOAD"]
        else:
            os.environ["TORCH_FORCE_WEIGHTS_ONLY_LOAD"] = previous


def htdemucs_allowed_globals() -> list[Any]:
    """What demucs' serialised htdemucs names: its model class, and Fraction for its segment length."""
    from fractions import Fraction

    from demucs.htdemucs import HTDemucs

    return [HTDemucs, Fraction]


def mbd_allowed_globals() -> list[Any]:
    """The config classes pickled inside audiocraft's MultiBand Diffusion checkpoints.

    Each band's `cfg` is an OmegaConf DictConfig; these are the classes its pickle names (ListConfig for
    configs that hold lists). Nothing here can run code on load.
    """
    import typing
    from collections import defaultdict

    from omegaconf import DictConfig, ListConfig
    from omegaconf.base import ContainerMetadata, Metadata
    from omegaconf.nodes import AnyNode

    return [DictConfig, ListConfig, ContainerMetadata, Metadata, AnyNode, typing.Any, dict, defaultdict]
