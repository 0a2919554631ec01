"""`sketchpad generate --bars N --tempo BPM --metre M --loop`: exactly N bars, seamless, also through MBD."""

from __future__ import annotations

import soundfile as sf

from sketchpad.cli import main


def test_a_loop_of_bars_is_exactly_that_long_with_either_decoder(tiny_models, tmp_path, capsys):
    for decoder, out in (("encodec", tmp_path / "loop.wav"), ("mbd", tmp_path / "loop-mbd.wav")):
        args = ["generate", "--model", str(tiny_models.mono), "--prompt", "drum loop, 90 bpm", "--bars", "2",
                "--metre", "3/4", "--loop", "--seed", "4", "--out", str(out), "--decoder", decoder]
        if decoder == "mbd":
            args += ["--mbd", str(tiny_models.mbd)]
        assert main(args) == 0
        info = sf.info(out)
        assert info.samplerate == 32000 and info.frames == round(2 * 3 * 60 / 90 * 32000)  # the prompt's tempo


def test_bars_flags_say_what_is_wrong(tiny_models, tmp_path, capsys):
    base = ["generate", "--model", str(tiny_models.mono), "--prompt", "x", "--out", str(tmp_path / "x.wav")]
    for extra, words in ((["--bars", "0"], "--bars must be 1"), (["--bars", "2", "--metre", "4-4"], "--metre must"),
                         (["--tempo", "90"], "go with --bars"), (["--bars", "1", "--tempo", "900"], "--tempo must")):
        assert main([*base, *extra]) == 2
        assert words in capsys.readouterr().err


def test_prompt_at_changes_the_prompt_from_a_window_on(tiny_models, tmp_path, capsys):
    out = tmp_path / "form.wav"
    assert main(["generate", "--model", str(tiny_models.short_window), "--prompt", "calm piano", "--duration", "9",
                 "--prompt-at", "5", "loud rock drums", "--seed", "2", "--out", str(out)]) == 0
    assert abs(sf.info(out).frames - 9 * 32000) <= 0.05 * 32000  # audiocraft's extension rounds to frames
    assert main(["generate", "--model", str(tiny_models.short_window), "--prompt", "x", "--duration", "3",
                 "--prompt-at", "1", "y", "--out", str(out)]) == 2
    assert "only between the windows" in capsys.readouterr().err
    assert main(["generate", "--model", str(tiny_models.mono), "--prompt", "x", "--prompt-at", "soon", "y",
                 "--out", str(out)]) == 2
