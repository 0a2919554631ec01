"""`sketchpad render` and `sketchpad info` through the real CLI entry point."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import soundfile as sf

from sketchpad.cli import main
from sketchpad.sketch import Sketch, mixdown, save_sketch
from tests.sketch.conftest import RATE


@pytest.fixture
def sketch_file(sketch: Sketch, tmp_path: Path) -> Path:
    return save_sketch(sketch, tmp_path / "song.sketch")


def test_render_mix_and_stems(sketch: Sketch, sketch_file: Path, tmp_path: Path, capsys) -> None:
    out, stems = tmp_path / "mix.flac", tmp_path / "stems"
    assert (
        main(["render", str(sketch_file), "--out", str(out), "--stems", str(stems), "--rate", "48000"]) == 0
    )
    info = sf.info(str(out))
    assert (info.format, info.subtype, info.samplerate) == ("FLAC", "PCM_24", 48000)
    assert abs(info.frames - round(sketch.length * 48000 / RATE)) <= 1
    assert sorted(p.name for p in stems.iterdir()) == ["01 Drums.flac", "02 Hum.flac"]
    printed = capsys.readouterr().out.splitlines()
    assert len(printed) == 3 and printed[0].startswith(f"wrote {out}:") and "dBTP" in printed[0]


def test_render_a_range_as_sixteen_bit_wav(sketch: Sketch, sketch_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "part.wav"
    assert (
        main(["render", str(sketch_file), "--out", str(out), "--format", "wav16", "--range", "0.05:0.2"]) == 0
    )
    data, rate = sf.read(out, dtype="float32")
    assert rate == RATE and data.shape == (round(0.15 * RATE), 2)
    assert abs(data.T - mixdown(sketch, 1600, 6400)).max() <= 1.5 * 2.0**-15


def test_render_loop_normalized(sketch_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "loop.ogg"
    assert main(["render", str(sketch_file), "--out", str(out), "--range", "loop", "--normalize"]) == 0
    assert sf.info(str(out)).frames == 7000


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--out", "x.aiff"], "cannot tell the format"),
        (["--out", "x.flac", "--bitrate", "192"], "--bitrate is for MP3 files; flac has no bitrate to choose"),
        (["--out", "x.wav", "--format", "flac"], "writes .flac files"),
        (["--out", "x.wav", "--rate", "22050"], "--rate must be"),
        (["--out", "x.wav", "--range", "5:1"], "START < END"),
        (["--out", "x.wav", "--range", "soon"], "--range must be"),
        ([], "needs --out"),
    ],
)
def test_bad_render_arguments_exit_2_with_one_line(
    sketch_file: Path, tmp_path: Path, capsys, args, message
) -> None:
    args = [a if not a.startswith("x.") else str(tmp_path / a) for a in args]
    assert main(["render", str(sketch_file), *args]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and err.startswith("sketchpad: ")


def test_render_mp3_at_a_chosen_bitrate(sketch: Sketch, sketch_file: Path, tmp_path: Path, capsys) -> None:
    sizes = {}
    for kbps in ("128", "320"):
        out = tmp_path / f"mix{kbps}.mp3"
        assert main(["render", str(sketch_file), "--out", str(out), "--bitrate", kbps, "--rate", "44100"]) == 0
        info = sf.info(str(out))
        assert (info.format, info.samplerate) == ("MP3", 44100)
        assert abs(info.frames - round(sketch.length * 44100 / RATE)) <= 1
        sizes[kbps] = out.stat().st_size
        assert f"44100 Hz, mp3 {kbps} kbps, " in capsys.readouterr().out
    assert sizes["320"] > 2 * sizes["128"]
    assert main(["render", str(sketch_file), "--out", str(tmp_path / "x.mp3"), "--bitrate", "100"]) == 2
    assert "--bitrate must be 128, 192, 256, 320 (kbps), not 100" in capsys.readouterr().err


def test_a_folder_as_out_or_a_file_as_stems_is_refused_before_anything_is_written(
    sketch_file: Path, tmp_path: Path, capsys
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    assert main(["render", str(sketch_file), "--out", str(folder)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{folder} is a folder, but the mix is one file" in err
    taken = tmp_path / "taken.wav"
    taken.write_bytes(b"not a folder")
    out = tmp_path / "mix.wav"
    assert main(["render", str(sketch_file), "--out", str(out), "--stems", str(taken)]) == 2
    assert "taken.wav is a file, but stems go into a folder" in capsys.readouterr().err
    assert not out.exists() and not any(folder.iterdir()) and taken.read_bytes() == b"not a folder"


def test_damaged_or_missing_files_exit_2(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.sketch"
    bad.write_bytes(b"nope")
    assert main(["info", str(bad)]) == 2
    assert "bad.sketch: is not a sketch file" in capsys.readouterr().err
    assert main(["render", str(tmp_path / "none.sketch"), "--out", str(tmp_path / "x.wav")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_info_describes_the_sketch(sketch_file: Path, capsys) -> None:
    assert main(["info", str(sketch_file)]) == 0
    out = capsys.readouterr().out
    assert "title: Test sketch" in out and "sample rate: 32000 Hz" in out and "tempo: 96 BPM" in out
    assert "1. Drums: gain -2.0 dB, pan -0.25, 3 clips" in out
    assert "3. Spare: gain +0.0 dB, pan +0.00 [mute], 0 clips" in out
    assert "generated by facebook/musicgen-small, playing mbd" in out
    assert "imported from hum.wav" in out


@pytest.mark.skipif(shutil.which("uv") is None, reason="needs uv")
def test_installed_command_runs(sketch_file: Path) -> None:
    result = subprocess.run(
        ["uv", "run", "sketchpad", "info", str(sketch_file)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.returncode == 0, result.stderr
    assert "tracks: 3" in result.stdout
