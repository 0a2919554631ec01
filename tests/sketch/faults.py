"""Disk faults for the tests: a file whose writes fail like a full or failing disk (always available),
and a small real tmpfs (where the tests may mount one: root, or a test that skips).

The fault sits beneath everything Sketchpad does: `durable.open` is the one place the durable writer
opens its temporary files, and the file it gets is a real `io.FileIO` behind Python's own buffered
writer, whose raw writes fail as the kernel's would (what fits is written, then ENOSPC or EIO).
"""

from __future__ import annotations

import errno
import io
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from sketchpad.core import durable


class Disk:
    """Room left on a pretend disk, shared by every file written to it."""

    def __init__(self, room: int, code: int) -> None:
        self.room, self.code = room, code


class FailingFile(io.FileIO):
    """A real file on a `Disk`: writes take its room, then fail with its error code."""

    disk = Disk(0, errno.ENOSPC)

    def write(self, data) -> int:  # type: ignore[override]
        size = memoryview(data).nbytes
        if size > self.disk.room:
            if self.disk.room > 0:  # a short write first, as a filling disk does
                written = super().write(memoryview(data)[: self.disk.room])
                self.disk.room -= written
                return written
            raise OSError(self.disk.code, os.strerror(self.disk.code))
        self.disk.room -= size
        return super().write(data)


def failing_disk(monkeypatch, room: int, code: int = errno.ENOSPC) -> list[Path]:
    """Every file the durable writer opens for writing from now on shares `room` bytes, then fails.
    Returns the paths it opened, so a test can check they are gone."""
    opened: list[Path] = []
    disk = Disk(room, code)
    real_open = open

    def durable_open(file, mode="r", *args, **kwargs):
        if "x" not in mode and "w" not in mode:
            return real_open(file, mode, *args, **kwargs)
        raw = FailingFile(file, mode.replace("b", ""))
        raw.disk = disk
        opened.append(Path(file))
        return io.BufferedWriter(raw)

    monkeypatch.setattr(durable, "open", durable_open, raising=False)
    return opened


def can_mount() -> bool:
    return os.name == "posix" and os.geteuid() == 0 and shutil.which("mount") is not None


@contextmanager
def small_disk(folder: Path, size_kib: int) -> Iterator[Path]:
    """A tmpfs of `size_kib` KiB mounted on `folder`; skips the test where none can be mounted."""
    if not can_mount():
        pytest.skip("mounting a small tmpfs needs root")
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kib}k", "tmpfs", str(folder)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(folder: Path, leave: int) -> None:
    """Fill the disk holding `folder` until about `leave` bytes stay free."""
    free = shutil.disk_usage(folder).free - leave
    if free > 0:
        with open(folder / "ballast", "wb") as handle:
            handle.write(b"\0" * free)
