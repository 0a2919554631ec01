"""Replace a file so that a crash, a power cut or a full disk never leaves less than before.

Shared by the sketch (documents, exports) and audio (recordings, written files) layers; stdlib only.

Write the new content beside the old file, flush and fsync it, check it, keep the old file as a
backup, rename the new one over it and fsync the folder (a rename without that can come back as
an empty file after a power cut). The backup goes only once the new file is safely in place.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

PARTIAL_SUFFIX = ".partial"


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + ".bak")


def fsync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable. Windows cannot open folders; its renames are journaled."""
    if os.name == "nt":
        return
    descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _keep_backup(path: Path, backup: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        backup.unlink()
    try:
        os.link(path, backup)  # instant, and the old bytes stay exactly as they were
    except OSError:
        shutil.copy2(path, backup)
        with open(backup, "rb+") as handle:
            os.fsync(handle.fileno())


def write_atomically(
    path: str | os.PathLike[str],
    write: Callable[[BinaryIO], None],
    *,
    verify: Callable[[Path], None] | None = None,
    keep_backup: bool = False,
) -> Path:
    """Produce `path` with what `write` puts in the file object it is given, atomically.

    `verify(temporary_path)` may inspect the written file and raise to abandon it. On any error
    the previous file is untouched and the temporary file is removed. With `keep_backup`, the
    previous version stays as `<name>.bak`; otherwise it is removed once the new one is in place.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    partial = folder / f".{path.name}.{uuid.uuid4().hex[:8]}{PARTIAL_SUFFIX}"
    try:
        with open(partial, "xb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        if verify is not None:
            verify(partial)
    except BaseException:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise
    backup = backup_path(path)
    had_old = path.exists()
    try:
        if had_old:
            _keep_backup(path, backup)
        os.replace(partial, path)
    except BaseException:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise  # the old file was never touched; a backup, if made, is a spare copy of it
    fsync_folder(folder)
    if had_old and not keep_backup:
        with contextlib.suppress(OSError):
            backup.unlink()
    remove_stale_partials(path)
    return path


def remove_stale_partials(path: Path) -> None:
    """Temporary files a crashed save left beside `path` (saves never run two at once)."""
    for stale in path.parent.glob(f".{glob.escape(path.name)}.*{PARTIAL_SUFFIX}"):
        with contextlib.suppress(OSError):
            stale.unlink()
