"""A save that dies part-way (killed process, full disk, failed sync) leaves the previous file
loadable and unchanged, says why in words, and leaves no partial file; a save that succeeds leaves no
debris and, on request, a backup, also where the file system has no hard links."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from sketchpad.core import durable
from sketchpad.core.write_errors import WriteFailed, size_text
from sketchpad.sketch import MissingMemberError, SetTitle, Sketch, load_sketch, save_sketch
from tests.sketch.conftest import state
from tests.sketch.faults import failing_disk, fill, small_disk


@pytest.fixture
def saved(sketch: Sketch, tmp_path: Path) -> tuple[Path, dict, bytes]:
    path = save_sketch(sketch, tmp_path / "song.sketch")
    SetTitle("edited since").apply(sketch)
    return path, state(load_sketch(path)), path.read_bytes()


def assert_untouched(path: Path, old_state: dict, old_bytes: bytes) -> None:
    assert path.read_bytes() == old_bytes
    assert state(load_sketch(path)) == old_state


def only_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_full_disk_mid_write_keeps_the_old_file_and_says_how_much_room(saved, sketch: Sketch, monkeypatch,
                                                                      tmp_path: Path, capfd) -> None:
    path, old_state, old_bytes = saved
    opened = failing_disk(monkeypatch, room=20000)
    with pytest.raises(WriteFailed) as caught:
        save_sketch(sketch, path)
    monkeypatch.undo()
    assert opened and not any(p.exists() for p in opened)  # no partial file left
    assert_untouched(path, old_state, old_bytes)
    assert only_files(path.parent) == ["song.sketch"]
    # The writer ran to its end, so the message knows the whole file's size, to the byte.
    (tmp_path / "elsewhere").mkdir()
    complete = save_sketch(sketch, tmp_path / "elsewhere" / "song.sketch").stat().st_size
    error = caught.value
    assert isinstance(error, OSError) and error.errno == errno.ENOSPC and error.needed == complete
    message = str(error)
    assert message.startswith(f"the disk is full: {size_text(complete)} needed for song.sketch, ")
    assert "Free some space or choose another folder; the previous song.sketch is unchanged." in message
    assert "Errno" not in message and "\n" not in message
    assert "Traceback" not in capfd.readouterr().err


def test_failed_fsync_keeps_the_old_file(saved, sketch: Sketch, monkeypatch) -> None:
    path, old_state, old_bytes = saved

    def broken_fsync(fd: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(durable.os, "fsync", broken_fsync)
    with pytest.raises(WriteFailed, match="the disk reported an input/output error while writing song.sketch"):
        save_sketch(sketch, path)
    monkeypatch.undo()
    assert_untouched(path, old_state, old_bytes)
    assert only_files(path.parent) == ["song.sketch"]


def test_failed_rename_keeps_the_old_file(saved, sketch: Sketch, monkeypatch) -> None:
    path, old_state, old_bytes = saved

    def broken_replace(*args: object) -> None:
        raise PermissionError(errno.EACCES, "file is locked")

    monkeypatch.setattr(durable.os, "replace", broken_replace)
    with pytest.raises(WriteFailed, match="^no permission to write song.sketch in ") as caught:
        save_sketch(sketch, path)
    assert caught.value.errno == errno.EACCES
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


def test_backup_is_kept_on_request_and_left_alone_otherwise(saved, sketch: Sketch) -> None:
    path, _, old_bytes = saved
    save_sketch(sketch, path)
    assert not durable.backup_path(path).exists()
    SetTitle("third").apply(sketch)
    previous = path.read_bytes()
    save_sketch(sketch, path, keep_backup=True)
    assert durable.backup_path(path).read_bytes() == previous != old_bytes
    assert load_sketch(path).title == "third"
    SetTitle("fourth").apply(sketch)
    save_sketch(sketch, path)  # a save that asks for no backup neither makes nor removes one
    assert durable.backup_path(path).read_bytes() == previous
    assert only_files(path.parent) == ["song.sketch", "song.sketch.bak"]


def no_hard_links(monkeypatch) -> list[tuple]:
    """The file system refuses hard links (FAT, exFAT, some network shares); copies are recorded."""
    copies: list[tuple] = []

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EPERM, "Operation not permitted")

    def recorded(real):
        def copy(*args, **kwargs):
            copies.append(args)
            return real(*args, **kwargs)
        return copy

    monkeypatch.setattr(os, "link", refuse)
    for name in ("copyfileobj", "copyfile", "copy2"):
        monkeypatch.setattr(shutil, name, recorded(getattr(shutil, name)))
    return copies


def test_without_hard_links_a_save_copies_nothing_unless_a_backup_is_asked_for(saved, sketch: Sketch,
                                                                               monkeypatch) -> None:
    path, _, old_bytes = saved
    copies = no_hard_links(monkeypatch)
    save_sketch(sketch, path)
    assert copies == [] and only_files(path.parent) == ["song.sketch"]
    assert load_sketch(path).title == "edited since"
    SetTitle("with a backup").apply(sketch)
    previous = path.read_bytes()
    save_sketch(sketch, path, keep_backup=True)
    assert len(copies) == 1 and durable.backup_path(path).read_bytes() == previous
    assert load_sketch(path).title == "with a backup"


def test_without_hard_links_a_backup_that_does_not_fit_leaves_no_truncated_copy(saved, sketch: Sketch,
                                                                                 monkeypatch) -> None:
    path, old_state, old_bytes = saved
    no_hard_links(monkeypatch)
    new_size = len(old_bytes) + 1000  # room for the new file, not for a copy of the old one besides
    opened = failing_disk(monkeypatch, room=new_size)
    with pytest.raises(WriteFailed, match=r"^the disk is full: .* needed for song.sketch.bak") as caught:
        save_sketch(sketch, path, keep_backup=True)
    assert caught.value.needed == len(old_bytes)
    monkeypatch.undo()
    assert_untouched(path, old_state, old_bytes)
    assert only_files(path.parent) == ["song.sketch"] and not any(p.exists() for p in opened)


def test_without_hard_links_a_save_that_fits_on_a_nearly_full_disk_succeeds(sketch: Sketch, tmp_path: Path,
                                                                           monkeypatch) -> None:
    """A real small disk: room for the old file and the new one, not for a third copy."""
    with small_disk(tmp_path / "disk", 1024) as disk:
        path = save_sketch(sketch, disk / "song.sketch")
        fill(disk, leave=path.stat().st_size + 64 * 1024)
        no_hard_links(monkeypatch)
        SetTitle("fits").apply(sketch)
        save_sketch(sketch, path)
        assert load_sketch(path).title == "fits"
        assert only_files(disk) == ["ballast", "song.sketch"]


def test_a_full_real_disk_keeps_the_old_file(sketch: Sketch, tmp_path: Path) -> None:
    with small_disk(tmp_path / "disk", 1024) as disk:
        path = save_sketch(sketch, disk / "song.sketch")
        old_state, old_bytes = state(load_sketch(path)), path.read_bytes()
        fill(disk, leave=len(old_bytes) // 2)
        SetTitle("too big").apply(sketch)
        with pytest.raises(WriteFailed, match=r"^the disk is full: .* needed for song.sketch, .* free in "):
            save_sketch(sketch, path)
        assert_untouched(path, old_state, old_bytes)
        assert only_files(disk) == ["ballast", "song.sketch"]


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
