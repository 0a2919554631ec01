"""Replace a file so that a crash, a power cut, a full disk or a second writer never leaves less than before.

Shared by the sketch (documents, exports) and audio (recordings, written files) layers; stdlib only.

Write the new content to a temporary file beside the old one, flush and fsync it, check it, rename
it over the old file and fsync the folder (a rename without that can come back as an empty file
after a power cut). The rename is atomic, so the old file is whole until the new one replaces it;
a backup is made only when asked for. A failure removes the temporary file and raises `WriteFailed`
(an OSError) whose text says what happened, to which file, and what to do.

Two writers of one file (two windows, two processes) never disturb each other: each holds a lock
on its own temporary file until it is renamed, and the clean-up of temporaries a crashed save left
deletes only unlocked ones: a lock dies with its process, so an unlocked temporary is provably
abandoned.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from sketchpad.core.write_errors import WriteFailed, free_space
from sketchpad.core.write_sink import Sink

try:
    import fcntl
except ImportError:  # Windows: a file open for writing cannot be deleted there, which protects it instead
    fcntl = None  # type: ignore[assignment]

__all__ = ["PARTIAL_SUFFIX", "WriteFailed", "backup_path", "fit_name", "fsync_folder", "name_max",
           "remove_stale_partials", "write_atomically"]

PARTIAL_SUFFIX = ".partial"
_TOKEN_CHARS = 8
_PARTIAL_EXTRA = len("." + "." + "x" * _TOKEN_CHARS + PARTIAL_SUFFIX)  # 18 bytes around the name
_BACKUP_SUFFIX = ".bak"
_WINDOWS_STALE_S = 3600
_DEFAULT_NAME_MAX = 255  # bytes, on nearly every file system (ext4, APFS, NTFS in UTF-16 units, FAT)


def name_max(folder: Path) -> int:
    try:
        return int(os.pathconf(folder, "PC_NAME_MAX"))
    except (OSError, ValueError, AttributeError):  # no pathconf (Windows), or the folder is not there yet
        return _DEFAULT_NAME_MAX


def fit_name(name: str, room: int) -> str:
    """The longest start of `name` whose UTF-8 bytes fit in `room`, never cutting a character in two."""
    encoded = os.fsencode(name)
    if len(encoded) <= room:
        return name
    cut = max(room, 0)
    while cut > 0 and (encoded[cut] & 0xC0) == 0x80:  # a continuation byte: back up to its lead byte
        cut -= 1
    return os.fsdecode(encoded[:cut])


def _partial_stem(path: Path) -> str:
    return fit_name(path.name, name_max(path.parent) - _PARTIAL_EXTRA)


def backup_path(path: Path) -> Path:
    """`<name>.bak`, the name shortened first when the suffix would not fit the file system's limit."""
    folder = path.parent if str(path.parent) else Path(".")
    return path.with_name(fit_name(path.name, name_max(folder) - len(_BACKUP_SUFFIX)) + _BACKUP_SUFFIX)


def fsync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable. Windows cannot open folders; its renames are journaled."""
    if os.name == "nt":
        return
    descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _new_partial(folder: Path, stem: str) -> Path:
    return folder / f".{stem}.{uuid.uuid4().hex[:_TOKEN_CHARS]}{PARTIAL_SUFFIX}"


@contextlib.contextmanager
def _claimed(folder: Path, stem: str) -> Iterator[tuple[Path, BinaryIO]]:
    """A new temporary file, open for writing and locked against clean-up until the block ends.

    On any error inside the block the temporary file is removed."""
    for _ in range(8):
        partial = _new_partial(folder, stem)
        handle = open(partial, "xb")  # noqa: SIM115 - closed below
        lock = _lock(partial)
        if lock is not False:
            break
        handle.close()  # a clean-up took it between creation and locking: take another name
    else:
        raise OSError(errno.EAGAIN, "could not claim a temporary file", str(folder))
    try:
        yield partial, handle
    except BaseException:
        handle.close()
        with contextlib.suppress(OSError):
            partial.unlink()
        raise
    finally:
        handle.close()
        if isinstance(lock, int):
            os.close(lock)  # releases the lock, after the rename or the removal


def _lock(partial: Path) -> int | bool | None:
    """An fd locking `partial`'s file; None where there are no locks; False when a clean-up removed it first."""
    if fcntl is None:
        return None
    try:
        descriptor = os.open(partial, os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)  # waits out a clean-up that holds it this very moment
    except OSError:  # a file system without locks: clean-up cannot lock it either, so it stays safe
        return descriptor
    try:
        same = _same_file(os.fstat(descriptor), os.stat(partial, follow_symlinks=False))
    except FileNotFoundError:
        same = False
    if not same:
        os.close(descriptor)
        return False
    return descriptor


def _same_file(one: os.stat_result, other: os.stat_result) -> bool:
    return (one.st_dev, one.st_ino) == (other.st_dev, other.st_ino)


def _finish(handle: BinaryIO, sink: Sink) -> None:
    """Raise what the writer met, else make the bytes durable; the handle is closed either way (Windows
    cannot rename an open file; the lock is held through another descriptor)."""
    with handle:
        sink.check()
        handle.flush()
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
    the previous file is untouched and the temporary file is removed; an OSError (a full disk, an
    I/O error, no permission) comes out as `WriteFailed`, with a message for a person. With
    `keep_backup`, the previous version stays as `<name>.bak`.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    had_old, replaced = path.exists(), False
    sink: Sink | None = None
    try:
        with _claimed(folder, _partial_stem(path)) as (partial, handle):
            sink = Sink(handle)
            write(sink)  # type: ignore[arg-type] - a file object in all a writer uses
            _finish(handle, sink)
            if verify is not None:
                verify(partial)
            if keep_backup and had_old:
                _keep_backup(path, folder)
            os.replace(partial, path)
            replaced = True
        fsync_folder(folder)
    except Exception as error:
        # A write error the sink recorded is the cause even when the writer stumbled on afterwards.
        recorded = sink.error if sink is not None else None
        cause = recorded or (error if isinstance(error, OSError) else None)
        if cause is None or isinstance(error, WriteFailed):
            raise
        raise WriteFailed(path, cause, needed=None if sink is None else sink.extent,
                          free=free_space(folder), previous=had_old and not replaced) from cause
    remove_stale_partials(path)
    return path


def _keep_backup(path: Path, folder: Path) -> None:
    """`<name>.bak` becomes the current file, by an atomic rename, so two writers never collide on it."""
    stem = _partial_stem(path)
    for _ in range(8):
        spare = _new_partial(folder, stem)
        try:
            os.link(path, spare)  # instant, and the old bytes stay exactly as they were
        except FileNotFoundError:
            return  # another writer replaced it meanwhile: nothing of ours to keep
        except FileExistsError:
            continue
        except OSError:  # no hard links here (FAT, exFAT, some network shares): a copy, then
            _copy_backup(path, folder, stem)
            return
        lock = _lock(spare)
        if lock is False:
            continue  # a clean-up removed the name before it was locked
        try:
            os.replace(spare, backup_path(path))
        except BaseException:
            with contextlib.suppress(OSError):
                spare.unlink()
            raise
        finally:
            if isinstance(lock, int):
                os.close(lock)
        return


def _copy_backup(path: Path, folder: Path, stem: str) -> None:
    try:
        with open(path, "rb") as reading, _claimed(folder, stem) as (spare, handle):
            sink = Sink(handle)
            shutil.copyfileobj(reading, sink)  # type: ignore[misc] - a file object in all it uses
            _finish(handle, sink)
            os.replace(spare, backup_path(path))
    except FileNotFoundError:
        return  # another writer replaced it meanwhile: nothing of ours to keep
    except OSError as error:  # say so about the backup: the new file itself would have fitted
        raise WriteFailed(backup_path(path), error, needed=_size(path), free=free_space(folder)) from error


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except OSError:
        return None


def remove_stale_partials(path: Path) -> None:
    """Remove the temporary files that crashed saves left beside `path`, and only those.

    A writer holds a lock on its temporary file until it is renamed, and a lock dies with its
    process, so a temporary whose lock can be taken is abandoned. Where the file system has no
    locks, nothing can be proved and nothing is removed.
    """
    folder = path.parent if str(path.parent) else Path(".")
    with contextlib.suppress(OSError):
        for candidate in folder.glob(f".{glob.escape(_partial_stem(path))}.*{PARTIAL_SUFFIX}"):
            _remove_if_abandoned(candidate)


def _remove_if_abandoned(candidate: Path) -> None:
    if fcntl is None:
        # Windows: no advisory locks, and a closed temporary awaiting its rename cannot be told from
        # an abandoned one; so only old ones go (a save takes seconds, not an hour).
        with contextlib.suppress(OSError):
            if time.time() - candidate.stat().st_mtime > _WINDOWS_STALE_S:
                candidate.unlink()
        return
    try:
        descriptor = os.open(candidate, os.O_RDONLY)
    except OSError:
        return
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        if _same_file(os.fstat(descriptor), os.stat(candidate, follow_symlinks=False)):
            candidate.unlink()
    except OSError:
        return  # a writer holds it (or locks are not supported): not provably abandoned
    finally:
        os.close(descriptor)
