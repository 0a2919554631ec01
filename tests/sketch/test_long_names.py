"""Legal names near the 255-byte limit: a sketch named with 80 CJK characters (240 bytes) saves,
autosaves, keeps a backup and exports; stems of tracks named with 100 CJK characters are written
under shortened, distinct names."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from sketchpad.cli import main
from sketchpad.core.durable import backup_path, fit_name
from sketchpad.sketch import (
    Clip,
    ClipMedia,
    ExportOptions,
    SetTitle,
    Sketch,
    Track,
    autosave_path,
    export_mix,
    load_sketch,
    newer_autosave,
    save_sketch,
    write_autosave,
)
from sketchpad.sketch.export import STEM_NAME_BYTES, stem_names
from tests.sketch.conftest import RATE

LONG = "曲" * 80  # 240 bytes in UTF-8


def size(name: str) -> int:
    return len(os.fsencode(name))


def test_a_sketch_named_near_the_limit_saves_autosaves_and_keeps_a_backup(sketch: Sketch, tmp_path: Path) -> None:
    path = tmp_path / f"{LONG}.sketch"
    assert size(path.name) == 247
    save_sketch(sketch, path)
    SetTitle("second").apply(sketch)
    save_sketch(sketch, path, keep_backup=True)
    assert load_sketch(path).title == "second" and load_sketch(backup_path(path)).title == "Test sketch"
    autosaved = write_autosave(sketch, path)
    assert autosaved == autosave_path(path) and size(autosaved.name) <= 255
    os.utime(autosaved, ns=(path.stat().st_mtime_ns + 10**9,) * 2)
    recovery = newer_autosave(path)
    assert recovery is not None and load_sketch(recovery.autosave).title == "second"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([path.name, backup_path(path).name, autosaved.name])


def test_two_long_names_sharing_their_start_never_share_an_autosave(tmp_path: Path) -> None:
    one, other = tmp_path / f"{LONG}一.sketch", tmp_path / f"{LONG}二.sketch"
    assert autosave_path(one) != autosave_path(other)
    assert size(autosave_path(one).name) <= 255 and autosave_path(tmp_path / "a.sketch").name == "a.sketch.autosave"


def test_a_mix_named_near_the_limit_exports(sketch: Sketch, tmp_path: Path) -> None:
    path = tmp_path / f"{LONG}.flac"
    export_mix(sketch, path, ExportOptions(format="flac"))
    export_mix(sketch, path, ExportOptions(format="flac"))  # and replaces itself
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


def cjk_tracks() -> Sketch:
    audio = np.full((1, RATE // 10), 0.1, np.float32)
    names = ["鼓" * 100, "鼓" * 100, "Drums", "drums", "a/b:c*", ""]
    return Sketch(sample_rate=RATE, tracks=[
        Track(name=name, clips=[Clip(ClipMedia(RATE, {"source": audio}))]) for name in names
    ])


def test_render_stems_of_tracks_with_long_and_equal_names(tmp_path: Path, capsys) -> None:
    source = save_sketch(cjk_tracks(), tmp_path / "song.sketch")
    assert main(["render", str(source), "--stems", str(tmp_path / "stems")]) == 0
    names = sorted(p.name for p in (tmp_path / "stems").iterdir())
    assert len(names) == 6 and len({name.casefold() for name in names}) == 6
    assert all(size(name) <= STEM_NAME_BYTES and name.endswith(".wav") for name in names)
    assert names[:4] == ["01 " + fit_name("鼓" * 100, STEM_NAME_BYTES - 7) + ".wav",
                         "02 " + fit_name("鼓" * 100, STEM_NAME_BYTES - 7) + ".wav",
                         "03 Drums.wav", "04 drums.wav"]
    assert names[4:] == ["05 a_b_c_.wav", "06 track.wav"]
    assert len(capsys.readouterr().out.splitlines()) == 6


def test_stem_names_stay_distinct_where_the_disk_ignores_case() -> None:
    names = stem_names([(0, "Drums"), (0, "drums"), (0, "DRUMS")], ".wav")
    assert names == ["01 Drums.wav", "01 drums (2).wav", "01 DRUMS (3).wav"]
    long = stem_names([(0, "鼓" * 100), (0, "鼓" * 101)], ".flac")
    assert long[0] != long[1] and all(size(name) <= STEM_NAME_BYTES for name in long)


@pytest.mark.parametrize("room", range(0, 12))
def test_names_are_shortened_on_character_boundaries(room: int) -> None:
    cut = fit_name("a曲b", room)
    assert size(cut) <= room and "a曲b".startswith(cut)
    assert cut == {0: "", 1: "a", 2: "a", 3: "a"}.get(room, "a曲" if room == 4 else "a曲b")
