"""Why a file could not be written, in words a person can act on.

`WriteFailed` is an OSError (callers that catch OSError keep working) whose text names the file,
says what happened and what to do, and never shows Python's own text ("[Errno 28] ..."). It is
raised only after the previous file was left as it was and the temporary file removed.
"""

from __future__ import annotations

import errno
import shutil
from pathlib import Path

_DISK_FULL = {errno.ENOSPC: "the disk is full", getattr(errno, "EDQUOT", -1): "your disk quota is full"}


def free_space(folder: Path) -> int | None:
    try:
        return shutil.disk_usage(folder).free
    except (OSError, ValueError):
        return None


def size_text(size: int) -> str:
    if size >= 10**9:
        return f"{size / 1e9:.1f} GB"
    if size >= 100_000:
        return f"{size / 1e6:.1f} MB"
    return f"{max(1, round(size / 1e3))} KB"


class WriteFailed(OSError):
    """Writing `path` failed; any previous file there is unchanged and nothing partial is left."""

    def __init__(self, path: str | Path, cause: OSError, *, needed: int | None = None,
                 free: int | None = None, previous: bool = False) -> None:
        super().__init__(cause.errno, cause.strerror or str(cause), str(path))
        self.path = Path(path)
        self.needed, self.free, self.previous = needed, free, previous
        self.message = describe(self.path, cause, needed=needed, free=free, previous=previous)

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple:  # pickles (a worker's error crossing a process) keep the message
        return (_rebuild, (self.message, self.errno, self.strerror, str(self.path)))


def _rebuild(message: str, code: int | None, text: str, path: str) -> WriteFailed:
    error = WriteFailed(path, OSError(code, text))
    error.message = message
    return error


def describe(path: Path, cause: OSError, *, needed: int | None, free: int | None, previous: bool) -> str:
    """One sentence or two, starting in lower case so it reads after "Export failed: " and the like."""
    name, folder = path.name, path.parent
    kept = f"; the previous {name} is unchanged" if previous else ""
    code = cause.errno
    if code in _DISK_FULL:
        amounts = [f"{size_text(needed)} needed for {name}"] if needed else [f"no room for {name}"]
        if free is not None:
            amounts.append(f"{size_text(free)} free in {folder}")
        return f"{_DISK_FULL[code]}: {', '.join(amounts)}. Free some space or choose another folder{kept}."
    if code == errno.EIO:
        return (f"the disk reported an input/output error while writing {name} in {folder} (is it failing, "
                f"or was it removed?). Check the disk or choose another folder{kept}.")
    if code == errno.EFBIG:
        amount = f" ({size_text(needed)})" if needed else ""
        return (f"{name} is too large{amount} for the file system in {folder} (FAT-formatted drives hold at "
                f"most 4 GB per file). Choose another disk or a smaller format{kept}.")
    if code == errno.EROFS:
        return (f"the disk holding {folder} is read-only, so {name} cannot be written there. "
                f"Choose another folder{kept}.")
    if code in (errno.EACCES, errno.EPERM):
        return (f"no permission to write {name} in {folder} (or another program has it locked). Choose another "
                f"folder or close the program using it{kept}.")
    if code == errno.ENAMETOOLONG:
        return f"the name {name} is too long for the disk holding {folder}. Choose a shorter name{kept}."
    if code == errno.EEXIST:
        return f"{name} already exists in {folder} and is not a folder. Choose another name."
    if code in (errno.ENOENT, errno.ENOTDIR):
        return f"the folder {folder} does not exist (was it moved, or its disk removed?). Choose another folder."
    reason = (cause.strerror or "an unknown error").rstrip(".").lower()
    return f"{name} could not be written in {folder} ({reason}). Try again or choose another folder{kept}."


FULL_BELOW_BYTES = 1 << 20  # a disk with less than this free counts as full when the library hid errno


def explain(error: BaseException, path: Path) -> str:
    """`describe` for any failure of a writer, also one that hid errno (libsndfile says "System error."):
    with less than a megabyte free, the disk was full."""
    path = Path(path)
    free = free_space(path.parent)
    if isinstance(error, OSError) and error.errno is not None:
        cause = error
    elif free is not None and free < FULL_BELOW_BYTES:
        cause = OSError(errno.ENOSPC, "No space left on device")
    else:
        return str(error).strip() or type(error).__name__
    return describe(path, cause, needed=None, free=free, previous=False)
