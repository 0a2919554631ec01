"""The autosave copy kept beside a sketch, and noticing on open that it is newer than the sketch.

`song.sketch` autosaves to `song.sketch.autosave` (a complete bundle, written just as atomically),
so a crash loses at most one autosave interval. Saving the sketch properly makes the autosave
stale; `discard_autosave` then removes it.

Only a regular file is ever taken for an autosave: Sketchpad never writes anything else there, so a
folder (or a device) under that name is neither offered nor removed.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from sketchpad.core.durable import fit_name, name_max
from sketchpad.sketch.bundle import save_sketch
from sketchpad.sketch.model import Sketch

AUTOSAVE_SUFFIX = ".autosave"


def autosave_path(path: str | os.PathLike[str]) -> Path:
    """`<name>.autosave`; for a name too long to take the suffix (80 CJK characters are 240 bytes),
    its start, a short hash of the whole name (so two long names never share an autosave), and the suffix."""
    path = Path(path)
    name = path.name + AUTOSAVE_SUFFIX
    limit = name_max(path.parent)
    if len(os.fsencode(name)) > limit:
        digest = hashlib.blake2b(os.fsencode(path.name), digest_size=4).hexdigest()
        name = f"{fit_name(path.name, limit - len(AUTOSAVE_SUFFIX) - 9)}~{digest}{AUTOSAVE_SUFFIX}"
    return path.with_name(name)


def write_autosave(sketch: Sketch, path: str | os.PathLike[str]) -> Path:
    """Write the autosave for the sketch that lives (or will live) at `path`."""
    return save_sketch(sketch, autosave_path(path))


@dataclass(frozen=True)
class Recovery:
    """An autosave worth offering: written after the sketch file was last saved (or no file)."""

    autosave: Path
    autosave_mtime_ns: int
    sketch_mtime_ns: int | None


def newer_autosave(path: str | os.PathLike[str]) -> Recovery | None:
    """The autosave to offer when opening `path`, or None when there is none (or something other than a
    file under its name) or it is stale. A path that cannot be looked at (a folder in it is a file,
    too long, no permission, a disk error, a null character) raises OSError or ValueError: the caller
    says so, and goes on with its other sketches."""
    candidate = autosave_path(path)
    try:
        found = candidate.stat()
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(found.st_mode):
        return None
    try:
        saved: int | None = Path(path).stat().st_mtime_ns
    except FileNotFoundError:
        saved = None
    if saved is not None and found.st_mtime_ns <= saved:
        return None
    return Recovery(candidate, found.st_mtime_ns, saved)


def discard_autosave(path: str | os.PathLike[str]) -> None:
    """After a proper save (or when recovery is declined): the autosave is no longer needed. Nothing
    there, or something that is not a file (a folder of that name is not ours to remove), is fine;
    a file that cannot be removed raises OSError."""
    candidate = autosave_path(path)
    try:
        candidate.unlink()
    except FileNotFoundError:
        return
    except OSError:  # EISDIR on Linux, EPERM on macOS for a folder; anything else is a real failure
        with contextlib.suppress(OSError):
            if not stat.S_ISREG(candidate.lstat().st_mode):
                return
        raise
