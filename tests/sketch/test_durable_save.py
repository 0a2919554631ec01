"""A save that dies part-way (killed process, full disk, failed sync) leaves the previous file
loadable and unchanged; a save that succeeds leaves no debris and, on request, a backup."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from sketchpad.core import durable
from sketchpad.sketch import MissingMemberError, SetTitle, Sketch, load_sketch, save_sketch
from tests.sketch.conftest import state


@pytest.fixture
def saved(sketch: Sketch, tmp_path: Path) -> tuple[Path, dict, bytes]:
    path = save_sketch(sketch, tmp_path / "song.sketch")
    SetTitle("edited since").apply(sketch)
    return path, state(load_sketch(path)), path.read_bytes()


def assert_untouched(path: Path, old_state: dict, old_bytes: bytes) -> None:
    assert path.read_bytes() == old_bytes
    assert state(load_sketch(path)) == old_state


class FullDisk:
    """A file object that accepts `room` bytes and then fails like a full disk."""

    def __init__(self, handle, room: int) -> None:
        self._handle, self._room = handle, room

    def write(self, data) -> int:
        if self._room < len(data):
            raise OSError(errno.ENOSPC, "No space left on device")
        self._room -= len(data)
        return self._handle.write(data)

    def __getattr__(self, name: str):
        return getattr(self._handle, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc: object) -> None:
        self._handle.close()


def test_full_disk_mid_write_keeps_the_old_file(saved, sketch: Sketch, monkeypatch) -> None:
    path, old_state, old_bytes = saved
    def cramped_open(*args, **kwargs) -> FullDisk:
        return FullDisk(open(*args, **kwargs), 20000)  # noqa: SIM115 - FullDisk closes it

    monkeypatch.setattr(durable, "open", cramped_open, raising=False)
    with pytest.raises(OSError, match="No space"):
        save_sketch(sketch, path)
    assert_untouched(path, old_state, old_bytes)
    assert sorted(p.name for p in path.parent.iterdir()) == ["song.sketch"]


def test_failed_fsync_keeps_the_old_file(saved, sketch: Sketch, monkeypatch) -> None:
    path, old_state, old_bytes = saved

    def broken_fsync(fd: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(durable.os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="Input/output"):
        save_sketch(sketch, path)
    monkeypatch.undo()
    assert_untouched(path, old_state, old_bytes)
    assert sorted(p.name for p in path.parent.iterdir()) == ["song.sketch"]


def test_failed_rename_keeps_the_old_file(saved, sketch: Sketch, monkeypatch) -> None:
    path, old_state, old_bytes = saved

    def broken_replace(*args: object) -> None:
        raise PermissionError(errno.EACCES, "file is locked")

    monkeypatch.setattr(durable.os, "replace", broken_replace)
    with pytest.raises(PermissionError):
        save_sketch(sketch, path)
    assert_untouched(path, old_state, old_bytes)
    assert not list(path.parent.glob("*.partial"))


def test_a_file_that_does_not_verify_is_never_swapped_in(saved, sketch: Sketch, monkeypatch) -> None:
    path, old_state, old_bytes = saved
    import sketchpad.sketch.bundle as bundle

    put = bundle._put

    def forgetful_put(archive, name: str, data: bytes, compress: int) -> None:
        if not name.endswith("mbd.flac"):  # a writer bug that drops a member
            put(archive, name, data, compress)

    monkeypatch.setattr(bundle, "_put", forgetful_put)
    with pytest.raises(MissingMemberError, match="mbd.flac"):
        save_sketch(sketch, path)
    assert_untouched(path, old_state, old_bytes)


def test_backup_is_kept_on_request_and_removed_otherwise(saved, sketch: Sketch) -> None:
    path, _, old_bytes = saved
    save_sketch(sketch, path)
    assert not durable.backup_path(path).exists()
    SetTitle("third").apply(sketch)
    previous = path.read_bytes()
    save_sketch(sketch, path, keep_backup=True)
    assert durable.backup_path(path).read_bytes() == previous != old_bytes
    assert load_sketch(path).title == "third"


WRITER = """
import os, sys, time, zipfile
sys.path.insert(0, {root!r})
from sketchpad.sketch import load_sketch, save_sketch, SetTitle
sketch = load_sketch({path!r})
SetTitle("never saved").apply(sketch)
original = zipfile.ZipFile.writestr
def slow_writestr(self, *args, **kwargs):
    original(self, *args, **kwargs)
    print("writing", flush=True)
    time.sleep(60)
zipfile.ZipFile.writestr = slow_writestr
save_sketch(sketch, {path!r})
"""


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL")
def test_killed_writer_leaves_the_old_file(saved) -> None:
    path, old_state, old_bytes = saved
    root = str(Path(__file__).resolve().parents[2])
    code = textwrap.dedent(WRITER.format(root=root, path=str(path)))
    writer = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "writing"
        leftovers = list(path.parent.glob(".song.sketch.*.partial"))
        assert len(leftovers) == 1 and leftovers[0].stat().st_size > 0  # killed mid-way, for real
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=30)
    assert_untouched(path, old_state, old_bytes)
    save_sketch(load_sketch(path), path)  # the next save clears what the crash left
    assert sorted(p.name for p in path.parent.iterdir()) == ["song.sketch"]
