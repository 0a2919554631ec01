"""Autosave beside the sketch, and the newer-autosave check made when a sketch is opened."""

from __future__ import annotations

import os
from pathlib import Path

from sketchpad.sketch import (
    SetTitle,
    Sketch,
    autosave_path,
    discard_autosave,
    load_sketch,
    newer_autosave,
    save_sketch,
    write_autosave,
)


def test_newer_autosave_is_offered_until_saved_or_discarded(sketch: Sketch, tmp_path: Path) -> None:
    path = save_sketch(sketch, tmp_path / "song.sketch")
    assert newer_autosave(path) is None
    SetTitle("work in progress").apply(sketch)
    written = write_autosave(sketch, path)
    assert written == autosave_path(path) == tmp_path / "song.sketch.autosave"
    later = path.stat().st_mtime_ns + 5_000_000_000
    os.utime(written, ns=(later, later))
    offer = newer_autosave(path)
    assert (
        offer is not None and offer.autosave == written and offer.sketch_mtime_ns == path.stat().st_mtime_ns
    )
    assert load_sketch(offer.autosave).title == "work in progress"
    discard_autosave(path)
    assert newer_autosave(path) is None and not written.exists()
    discard_autosave(path)  # nothing there: still fine


def test_stale_autosave_is_not_offered(sketch: Sketch, tmp_path: Path) -> None:
    path = tmp_path / "song.sketch"
    written = write_autosave(sketch, path)
    assert newer_autosave(path) is not None  # never saved properly: the autosave is all there is
    save_sketch(sketch, path)
    earlier = path.stat().st_mtime_ns - 5_000_000_000
    os.utime(written, ns=(earlier, earlier))
    assert newer_autosave(path) is None


def test_a_folder_where_the_autosave_goes_is_neither_offered_nor_removed(tmp_path: Path) -> None:
    path = tmp_path / "song.sketch"
    autosave_path(path).mkdir()
    (autosave_path(path) / "mine.txt").write_text("not Sketchpad's")
    assert newer_autosave(path) is None
    discard_autosave(path)  # no IsADirectoryError: not ours, left as it is
    assert (autosave_path(path) / "mine.txt").read_text() == "not Sketchpad's"
    (tmp_path / "folder.sketch").mkdir()
    discard_autosave(tmp_path / "folder.sketch")  # the sketch's own path a folder: nothing to discard
