"""Noticing that another program changed a file: by time and size, with the bytes' hash sparing a
question when only the time changed."""

from __future__ import annotations

import os
from pathlib import Path

from sketchpad.sketch.disk_version import changed_on_disk, disk_version


def later(path: Path, seconds: int = 2) -> None:
    moment = path.stat().st_mtime_ns + seconds * 10**9
    os.utime(path, ns=(moment, moment))


def test_a_change_is_noticed_and_a_touch_is_not(tmp_path: Path) -> None:
    path = tmp_path / "song.sketch"
    path.write_bytes(b"ours")
    known = disk_version(path)
    assert known is not None and not changed_on_disk(path, known)
    later(path)
    assert not changed_on_disk(path, known)  # same bytes, new time: a sync tool, `touch`
    path.write_bytes(b"them")  # same size, other bytes
    later(path, 4)
    assert changed_on_disk(path, known)
    path.write_bytes(b"theirs, longer")
    assert changed_on_disk(path, known)


def test_nothing_known_or_nothing_there_is_no_change(tmp_path: Path) -> None:
    path = tmp_path / "song.sketch"
    assert disk_version(path) is None and not changed_on_disk(path, None)
    path.write_bytes(b"x")
    known = disk_version(path)
    path.unlink()
    assert not changed_on_disk(path, known)  # saving there loses nothing
