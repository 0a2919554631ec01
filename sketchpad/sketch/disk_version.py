"""Which version of a sketch file is on disk: noticing that another program changed it.

An editor remembers the file it opened or saved (modification time, size and, when cheap, a hash)
and, before saving over it, checks whether the file on disk is still that one. The hash spares a
question when only the time changed (a sync tool rewrote the same bytes, `touch`).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

HASH_LIMIT = 64 * 2**20  # larger files are compared by time and size alone (hashing may run on the GUI thread)
_BLOCK = 2**20


@dataclass(frozen=True)
class DiskVersion:
    mtime_ns: int
    size: int
    digest: str | None  # BLAKE2b of the bytes, None above HASH_LIMIT


def _digest(path: Path) -> str:
    hasher = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as handle:
        while block := handle.read(_BLOCK):
            hasher.update(block)
    return hasher.hexdigest()


def disk_version(path: str | os.PathLike[str]) -> DiskVersion | None:
    """What is at `path` now, or None when nothing is (or it cannot be read)."""
    path = Path(path)
    try:
        status = path.stat()
        digest = _digest(path) if status.st_size <= HASH_LIMIT else None
    except OSError:
        return None
    return DiskVersion(status.st_mtime_ns, status.st_size, digest)


def changed_on_disk(path: str | os.PathLike[str], known: DiskVersion | None) -> bool:
    """True when `path` holds something other than `known`: saving over it would lose that.

    A file that is gone is not "changed": saving loses nothing. Nothing known (a new sketch, or a
    file that could not be read when opened) is never changed."""
    if known is None:
        return False
    try:
        status = Path(path).stat()
    except OSError:
        return False
    if (status.st_mtime_ns, status.st_size) == (known.mtime_ns, known.size):
        return False
    if status.st_size != known.size or known.digest is None or status.st_size > HASH_LIMIT:
        return True
    try:
        return _digest(Path(path)) != known.digest
    except OSError:
        return True
