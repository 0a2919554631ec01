"""What a model reference names: a folder on disk or a catalog / Hugging Face id. Decided here only."""

from __future__ import annotations

from pathlib import Path


def is_folder(source: str) -> bool:
    """A path (absolute, relative, ~, or anything that exists on disk) rather than an id like
    `facebook/musicgen-small`."""
    return source.startswith((".", "/", "~")) or "\\" in source or Path(source).expanduser().exists()


def folder_key(source: str) -> str:
    """The one name of a folder model: its absolute path."""
    return str(Path(source).expanduser().resolve())


def short_name(source: str) -> str:
    """For people: a folder's name, or an id without its `facebook/` prefix."""
    return Path(source).name if is_folder(source) else source.removeprefix("facebook/")
