"""Start-up recovery offers every valid autosave whatever one remembered entry does: a path that now
raises NotADirectoryError, ENAMETOOLONG, ELOOP, a null character (made for real), or EACCES, EIO,
ESTALE and ENOTCONN (an unmounted share; injected, since root reads anything and no test can unplug
a disk) is reported once in one log line and forgotten."""

from __future__ import annotations

import errno
import logging
import os
from pathlib import Path

import pytest

from sketchpad.sketch import autosave_path, newer_autosave, save_sketch, write_autosave
from sketchpad.ui.common import preferences as stored
from tests.ui.conftest import make_window
from tests.ui.timeline_sketches import two_track_sketch

REAL = ("ENOTDIR", "ENAMETOOLONG", "ELOOP", "NUL")
INJECTED = ("EACCES", "EIO", "ESTALE", "ENOTCONN")


def bad_entry(kind: str, folder: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A remembered sketch path that raises `kind` when looked at."""
    if kind == "ENOTDIR":
        (folder / "was-a-folder").write_bytes(b"now a file")
        return str(folder / "was-a-folder" / "song.sketch")
    if kind == "ENAMETOOLONG":
        return str(folder / ("n" * 300) / "song.sketch")
    if kind == "ELOOP":
        (folder / "loop").symlink_to(folder / "loop")
        return str(folder / "loop" / "song.sketch")
    if kind == "NUL":
        return str(folder / "so\0ng.sketch")
    share = folder / "share"
    share.mkdir()
    path = share / "song.sketch"
    save_sketch(two_track_sketch(), path)
    write_autosave(two_track_sketch(), path)
    code = getattr(errno, kind)
    real_stat = Path.stat

    def stat(self: Path, *args, **kwargs):
        if str(self).startswith(str(share)):
            raise OSError(code, os.strerror(code), str(self))
        return real_stat(self, *args, **kwargs)

    monkeypatch.setattr(Path, "stat", stat)
    return str(path)


@pytest.mark.parametrize("kind", REAL + INJECTED)
def test_one_bad_remembered_entry_never_hides_the_other_autosaves(kind, qtbot, settings, engine_service, tmp_path,
                                                                  monkeypatch, caplog):
    untitled = tmp_path / "Untitled.sketch"
    write_autosave(two_track_sketch(), untitled)
    song = tmp_path / "song.sketch"
    save_sketch(two_track_sketch(), song)
    write_autosave(two_track_sketch(), song)
    os.utime(autosave_path(song), ns=(song.stat().st_mtime_ns + 10**9,) * 2)
    bad = bad_entry(kind, tmp_path, monkeypatch)
    settings.setValue("files/autosaved", [bad, str(song)])

    window = make_window(settings, engine_service, tmp_path)
    qtbot.addWidget(window)
    with caplog.at_level(logging.WARNING, logger="sketchpad"):
        offered = window.autosave.recoverable()
        said = [record.getMessage() for record in caplog.records]
        assert [entry.path for entry in offered] == [None, song]
        assert stored.load_autosaved_sketches(settings) == [str(song)]  # forgotten
        assert len(said) == 1 and "\n" not in said[0] and bad in said[0], said
        caplog.clear()
        assert [entry.path for entry in window.autosave.recoverable()] == [None, song]
        assert caplog.records == []  # reported once: the next start says nothing more
    window.close()


def test_a_save_stays_a_success_when_the_old_autosave_cannot_be_removed(qtbot, window, tmp_path, monkeypatch):
    """The autosave beside a sketch that cannot be removed (EACCES, injected: root removes anything) is
    older than the save, so it is never offered again; the save is reported as what it is: done."""
    song = tmp_path / "song.sketch"
    save_sketch(two_track_sketch(), song)
    with qtbot.waitSignal(window.files.opened, timeout=10_000):
        window.files.open_path(song)
    write_autosave(two_track_sketch(), song)
    real_unlink = Path.unlink

    def unlink(self: Path, *args, **kwargs):
        if self == autosave_path(song):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))
        return real_unlink(self, *args, **kwargs)

    monkeypatch.setattr(Path, "unlink", unlink)
    problems: list[str] = []
    window.files.problem.connect(problems.append)
    with qtbot.waitSignal(window.files.saved, timeout=10_000):
        window.files.save()
    assert problems == [] and autosave_path(song).exists()
    assert newer_autosave(song) is None  # older than the save: never offered
