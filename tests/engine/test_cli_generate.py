"""`sketchpad generate`, `sketchpad models` and `--version`, run as a person would."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
import soundfile as sf

from sketchpad import __version__
from sketchpad.cli import main


def write_hum(path, seconds=1.0, rate=22050):
    t = np.arange(int(seconds * rate)) / rate
    sf.write(path, 0.3 * np.sin(2 * np.pi * 330 * t), rate)
    return path


def test_version(capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["--version"])
    assert stopped.value.code == 0
    assert capsys.readouterr().out.strip() == f"sketchpad {__version__}"


def test_generate_writes_a_wav_of_the_asked_length(tiny_models, tmp_path, capsys):
    out = tmp_path / "idea.wav"
    code = main(["generate", "--model", str(tiny_models.mono), "--prompt", "earthy tones", "--duration", "0.5",
                 "--seed", "3", "--top-k", "10", "--out", str(out)])
    assert code == 0
    audio, rate = sf.read(out, always_2d=True)
    assert rate == 32000 and audio.shape == (16000, 1) and np.abs(audio).max() > 0
    assert "seed 3" in capsys.readouterr().err


def test_generate_stereo_flac_with_mbd_and_variations(tiny_models, tmp_path):
    out = tmp_path / "idea.flac"
    code = main(["generate", "--model", str(tiny_models.stereo), "--prompt", "wide", "--duration", "0.4",
                 "--variations", "2", "--decoder", "mbd", "--mbd", str(tiny_models.mbd), "--seed", "1",
                 "--out", str(out)])
    assert code == 0
    first, second = (sf.read(tmp_path / f"idea-{index}.flac", always_2d=True) for index in (1, 2))
    assert first[1] == 32000 and first[0].shape == (12800, 2) and second[0].shape == (12800, 2)
    assert not np.allclose(first[0], second[0])


def test_generate_with_a_melody_and_a_continuation(tiny_models, tmp_path):
    hum = write_hum(tmp_path / "hum.wav")
    out = tmp_path / "melody.wav"
    assert main(["generate", "--model", str(tiny_models.melody), "--prompt", "tune", "--duration", "0.5",
                 "--melody", str(hum), "--out", str(out)]) == 0
    assert sf.info(out).frames == 16000
    cont = tmp_path / "longer.wav"
    assert main(["generate", "--model", str(tiny_models.mono), "--prompt", "more", "--duration", "1.5",
                 "--continue", str(hum), "--out", str(cont)]) == 0
    assert sf.info(cont).frames == 48000


@pytest.mark.parametrize(("extra", "message"), [
    (["--duration", "0"], "duration must be more than 0 seconds"),
    (["--duration", "-2"], "duration must be more than 0 seconds"),
    (["--model", "/nonexistent/model"], "There is no model folder at /nonexistent/model"),
    (["--model", "facebook/musicgen-large"], "not on this computer and offline mode is on"),
    (["--out", "/tmp/idea.mp4"], "--out must end in .wav or .flac"),
    (["--out", "/nonexistent/dir/idea.wav"], "folder for --out does not exist"),
    (["--melody", "/nonexistent/hum.wav"], "melody file"),
    (["--decoder", "mbd", "--mbd", "/nonexistent/mbd"], "MultiBand Diffusion is not available"),
])
def test_bad_input_exits_nonzero_with_one_line(tiny_models, tmp_path, capsys, extra, message):
    args = ["generate", "--model", str(tiny_models.mono), "--prompt", "x", "--duration", "0.3",
            "--out", str(tmp_path / "x.wav"), *extra]
    code = main(args)
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert err[-1].startswith("sketchpad: ") and message in err[-1]
    assert not (tmp_path / "x.wav").exists()


def test_a_melody_file_that_is_not_audio(tiny_models, tmp_path, capsys):
    fake = tmp_path / "hum.wav"
    fake.write_bytes(b"this is a text file, not a recording\n" * 20)
    code = main(["generate", "--model", str(tiny_models.melody), "--prompt", "x", "--duration", "0.3",
                 "--melody", str(fake), "--out", str(tmp_path / "x.wav")])
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert code == 2 and "melody file is not usable: hum.wav" in last


def test_a_melody_on_a_model_without_melody(tiny_models, tmp_path, capsys):
    hum = write_hum(tmp_path / "hum.wav")
    code = main(["generate", "--model", str(tiny_models.mono), "--prompt", "x", "--duration", "0.3",
                 "--melody", str(hum), "--out", str(tmp_path / "x.wav")])
    assert code == 2 and "does not take a melody" in capsys.readouterr().err


def test_models_lists_the_catalog_and_what_is_on_disk(capsys):
    assert main(["models"]) == 0
    out = capsys.readouterr().out
    assert out.count("facebook/musicgen-") == 10
    assert "downloads on first use" in out and "stereo, melody" in out
    assert "Text encoder every model needs (t5-base, about 0.9 GB): " in out


def test_models_sees_the_companions_once_cached(tiny_models, capsys):
    assert main(["models"]) == 0
    out = capsys.readouterr().out
    assert "(t5-base, about 0.9 GB): on disk" in out and "(htdemucs, about 80 MB): on disk" in out


def test_the_installed_command_runs_end_to_end(tiny_models, tmp_path):
    out = tmp_path / "cli.wav"
    done = subprocess.run(
        [sys.executable, "-m", "sketchpad", "generate", "--model", str(tiny_models.mono), "--prompt", "calm",
         "--duration", "0.3", "--seed", "9", "--out", str(out)],
        capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert sf.info(out).frames == 9600
    assert "WARNING[XFORMERS]" not in done.stderr, "library noise must not reach the person"
    assert "Traceback" not in done.stderr


def test_a_six_channel_file_continues_as_it_imports(tiny_models, tmp_path):
    """A surround file becomes its first pair for a continuation exactly as it does for a clip: one route."""
    from sketchpad.workflow.importing import import_clip_media, read_clip_audio

    rate = 22050
    t = np.arange(rate) / rate
    six = np.stack([0.1 * (index + 1) * np.sin(2 * np.pi * 220 * (index + 1) * t) for index in range(6)], axis=1)
    sf.write(tmp_path / "six.wav", six, rate)
    read = read_clip_audio(tmp_path / "six.wav")
    assert read.samples.shape == (2, rate)
    np.testing.assert_allclose(read.samples, six[:, :2].T, atol=1e-4)
    assert import_clip_media(tmp_path / "six.wav", rate).channels == 2
    out = tmp_path / "longer.wav"
    assert main(["generate", "--model", str(tiny_models.mono), "--prompt", "more", "--duration", "1.5",
                 "--continue", str(tmp_path / "six.wav"), "--out", str(out)]) == 0
    assert sf.info(out).frames == 48000
