"""Exports onto a full or failing disk (WAV, FLAC, OGG; mix or stems; the library and `sketchpad render`)
end with one clear sentence: what happened, how much room was needed, what to do. The previous file
stays byte for byte, no partial file is left, and nothing is printed from soundfile's callbacks."""

from __future__ import annotations

import errno
from pathlib import Path

import numpy as np
import pytest

from sketchpad.cli import main
from sketchpad.core.write_errors import WriteFailed, size_text
from sketchpad.sketch import (
    FORMATS,
    Clip,
    ClipMedia,
    ExportOptions,
    Sketch,
    Track,
    export_mix,
    export_stems,
    save_sketch,
)
from tests.sketch.conftest import RATE
from tests.sketch.faults import failing_disk, fill, small_disk


def two_seconds() -> Sketch:
    """Two tracks of two seconds of noise: a few hundred KB in any format."""
    rng = np.random.default_rng(5)
    tracks = [
        Track(name=name, clips=[Clip(ClipMedia(RATE, {"source": rng.uniform(-0.5, 0.5, (2, 2 * RATE)).astype(
            np.float32)}))]) for name in ("Keys", "Bass")
    ]
    return Sketch(sample_rate=RATE, title="Noise", tracks=tracks)


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("fmt", ["wav16", "wav24", "wav32f", "flac", "ogg"])
def test_a_mix_that_does_not_fit_keeps_the_old_file_and_says_how_much_it_needs(tmp_path, monkeypatch, capfd,
                                                                               fmt: str) -> None:
    sketch, suffix = two_seconds(), FORMATS[fmt].suffix
    options = ExportOptions(format=fmt, dither_seed=1)
    complete = export_mix(sketch, tmp_path / f"complete{suffix}", options).path.stat().st_size
    target = tmp_path / "out" / f"mix{suffix}"
    target.parent.mkdir()
    target.write_bytes(b"the previous export")
    opened = failing_disk(monkeypatch, room=complete // 3)
    with pytest.raises(WriteFailed) as caught:
        export_mix(sketch, target, options)
    monkeypatch.undo()
    assert target.read_bytes() == b"the previous export"
    assert listing(target.parent) == [target.name] and opened and not any(p.exists() for p in opened)
    error = caught.value
    assert error.errno == errno.ENOSPC and error.needed == complete  # the encoder ran to its end, unwritten
    message = str(error)
    assert message.startswith(f"the disk is full: {size_text(complete)} needed for mix{suffix}, ")
    assert message.endswith(f"Free some space or choose another folder; the previous mix{suffix} is unchanged.")
    printed = capfd.readouterr()
    assert "Traceback" not in printed.err and "cffi" not in printed.err and "Assertion" not in printed.err


def test_stems_on_a_failing_disk_say_input_output_error(tmp_path, monkeypatch) -> None:
    failing_disk(monkeypatch, room=50_000, code=errno.EIO)
    with pytest.raises(WriteFailed, match=r"^the disk reported an input/output error while writing 01 Keys\.flac"):
        export_stems(two_seconds(), tmp_path / "stems", ExportOptions(format="flac"))
    assert listing(tmp_path / "stems") == []


def test_render_onto_a_full_disk_prints_one_line(tmp_path, monkeypatch, capsys) -> None:
    source = save_sketch(two_seconds(), tmp_path / "noise.sketch")
    out = tmp_path / "mix.wav"
    out.write_bytes(b"before")
    failing_disk(monkeypatch, room=10_000)
    assert main(["render", str(source), "--out", str(out)]) == 2
    printed = capsys.readouterr()
    lines = printed.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("sketchpad: the disk is full: ")
    assert "needed for mix.wav" in lines[0] and "Free some space" in lines[0] and "Errno" not in lines[0]
    assert out.read_bytes() == b"before" and listing(tmp_path) == ["mix.wav", "noise.sketch"]


def test_render_onto_a_full_real_disk(tmp_path, capsys) -> None:
    source = save_sketch(two_seconds(), tmp_path / "noise.sketch")
    with small_disk(tmp_path / "disk", 2048) as disk:
        (disk / "mix.flac").write_bytes(b"previous mix")
        fill(disk, leave=100_000)
        assert main(["render", str(source), "--out", str(disk / "mix.flac"), "--stems", str(disk / "stems")]) == 2
        error = capsys.readouterr().err
        assert error.startswith("sketchpad: the disk is full: ") and "needed for mix.flac" in error
        assert (disk / "mix.flac").read_bytes() == b"previous mix"
        assert listing(disk) == ["ballast", "mix.flac"]
        (disk / "ballast").unlink()
        fill(disk, leave=600_000)  # room for the mix, not for both stems
        assert main(["render", str(source), "--stems", str(disk / "stems")]) == 2
        printed = capsys.readouterr()
        assert printed.out.startswith(f"wrote {disk / 'stems' / '01 Keys.wav'}")  # what was done is said
        assert printed.err.startswith("sketchpad: the disk is full: ") and "needed for 02 Bass.wav" in printed.err
        assert listing(disk / "stems") == ["01 Keys.wav"]


def test_an_unwritable_folder_is_named_in_words(tmp_path, capsys) -> None:
    source = save_sketch(two_seconds(), tmp_path / "noise.sketch")
    blocker = tmp_path / "stems"
    blocker.write_text("a file where the folder should be")
    assert main(["render", str(source), "--stems", str(blocker)]) == 2
    error = capsys.readouterr().err.strip()
    assert error.startswith("sketchpad: ") and "stems" in error and "Errno" not in error
