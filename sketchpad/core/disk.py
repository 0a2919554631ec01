"""Why a write failed, in words: a full disk or a failing one, not the library's "System error."."""

from __future__ import annotations

import errno
import shutil
from pathlib import Path

FULL_BELOW_BYTES = 1 << 20  # a disk with less than this free counts as full (libsndfile hides errno)


def free_bytes(folder: Path) -> int | None:
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def explain_write_error(error: BaseException, path: Path) -> str:
    """A sentence for the person: what happened to `path`, and what to do."""
    code = getattr(error, "errno", None)
    free = free_bytes(Path(path).parent)
    if code in (errno.ENOSPC, errno.EDQUOT) or (free is not None and free < FULL_BELOW_BYTES):
        return f"the disk holding {Path(path).parent} is full; free some space and try again"
    if code == errno.EIO:
        return f"the disk holding {Path(path).parent} reported an input/output error; it may be failing"
    if code in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"{Path(path).parent} cannot be written to (no permission, or read-only)"
    return str(error).strip() or type(error).__name__
