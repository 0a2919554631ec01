"""Every audio file a person hands the window goes one way (the hardened reader): odd but valid files
import as melody and as clips, a damaged file gets the same reason on both paths (and the command
line), and a file too long is refused up front, all without freezing the window."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from sketchpad.cli import main as cli_main
from tests.audio.conftest import hum

HUM_S = 1.5


def _write(path: Path, rate: int, channels: int, **options: object) -> Path:
    mono = hum(HUM_S, lead=0.2, tail=0.3, rate=rate)
    sf.write(path, np.repeat(mono[:, None], channels, axis=1) * 0.5, rate, **options)
    return path


@pytest.fixture(scope="module")
def odd_files(tmp_path_factory) -> dict[str, tuple[Path, float]]:
    """(file, its seconds): the odd but valid files a person may have."""
    folder = tmp_path_factory.mktemp("odd")
    seconds = HUM_S + 0.5
    return {
        "8-bit": (_write(folder / "u8.wav", 22050, 1, subtype="PCM_U8"), seconds),
        "8 kHz": (_write(folder / "phone.wav", 8000, 1, subtype="PCM_16"), seconds),
        "6 channels": (_write(folder / "surround.wav", 48000, 6, subtype="PCM_16"), seconds),
        "192 kHz": (_write(folder / "hires.wav", 192000, 2, subtype="PCM_24"), seconds),
        "mp3": (_write(folder / "hum.mp3", 44100, 2, format="MP3"), seconds),
        "ogg": (_write(folder / "hum.ogg", 44100, 1, format="OGG", subtype="VORBIS"), seconds),
    }


@pytest.fixture(scope="module")
def ten_hours(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("long") / "ten-hours.flac"
    with sf.SoundFile(path, "w", 8000, 1, subtype="PCM_16") as handle:
        block = np.zeros(8000 * 600, np.int16)
        for _ in range(60):
            handle.write(block)
    return path


def _melody(qtbot, window, path: Path) -> tuple[bool, str]:
    problems: list[str] = []
    window.idea.melody.problem.connect(problems.append)
    job = window.idea.melody.import_file(path)
    qtbot.waitUntil(lambda: job.done, timeout=30_000)
    window.idea.melody.problem.disconnect(problems.append)
    return job.result is not None and not problems, problems[0] if problems else ""


def _clip(qtbot, window, path: Path) -> str:
    """The problem the timeline reported, or "" once the clip landed."""
    problems: list[str] = []
    window.arrangement.problem.connect(problems.append)
    job = window.arrangement.import_files([str(path)], None, 0)
    qtbot.waitUntil(lambda: job.done, timeout=60_000)
    qtbot.wait(10)
    window.arrangement.problem.disconnect(problems.append)
    return problems[0] if problems else ""


@pytest.mark.parametrize("kind", ["8-bit", "8 kHz", "6 channels", "192 kHz", "mp3", "ogg"])
def test_an_odd_but_valid_file_becomes_a_melody_and_a_clip(qtbot, window, odd_files, kind):
    path, seconds = odd_files[kind]
    ok, problem = _melody(qtbot, window, path)
    slot = window.idea.melody
    assert ok and problem == "" and slot.source_name == path.name
    assert abs(slot.samples.shape[1] / slot.sample_rate - seconds) < 0.06  # mp3 pads a little
    assert _clip(qtbot, window, path) == ""
    clip = window.document.sketch.tracks[-1].clips[-1]
    media = clip.media
    assert media.sample_rate == window.document.sketch.sample_rate and media.channels in (1, 2)
    assert abs(clip.length / media.sample_rate - seconds) < 0.06
    assert np.abs(media.audio["source"]).max() > 0.1


def test_a_damaged_file_gets_the_same_reason_on_every_path(qtbot, window, tmp_path, capsys):
    bad = tmp_path / "damaged.wav"
    bad.write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(range(200)))
    ok, melody_problem = _melody(qtbot, window, bad)
    clip_problem = _clip(qtbot, window, bad)
    assert not ok and melody_problem.startswith("The melody could not be imported: damaged.wav")
    assert clip_problem.startswith("The audio file could not be imported: damaged.wav")
    reason = melody_problem.partition(": ")[2]
    assert clip_problem.partition(": ")[2] == reason and "Errno" not in reason
    assert cli_main(["generate", "--prompt", "x", "--melody", str(bad), "--out", str(tmp_path / "o.wav")]) == 2
    assert reason in capsys.readouterr().err


def test_a_ten_hour_file_is_refused_up_front_and_the_window_stays_responsive(qtbot, window, ten_hours):
    from tests.e2e.driving import LatenessProbe

    probe = LatenessProbe()
    probe.start()
    began = time.monotonic()
    ok, melody_problem = _melody(qtbot, window, ten_hours)
    clip_problem = _clip(qtbot, window, ten_hours)
    ui = probe.stop()
    assert not ok and "too long (10:00:00" in melody_problem and "the limit is 10:00" in melody_problem
    assert "too long (10:00:00" in clip_problem and "the limit is 20:00" in clip_problem
    assert time.monotonic() - began < 10 and ui["max_gap_ms"] < 200, ui
