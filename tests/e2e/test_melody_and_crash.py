"""A melody model with an imported hum; an engine killed mid-generation; quitting mid-generation."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time

import numpy as np
import psutil
import soundfile as sf

from tests.audio.conftest import hum
from tests.e2e.conftest import assert_no_orphans
from tests.e2e.launching import console_script


def test_a_melody_model_generates_over_an_imported_hum(launcher, tiny_models):
    launcher.settings(offline="true", compute_device="cpu")
    melody = launcher.home / "hum.wav"
    sf.write(melody, hum(1.5, lead=0.3, tail=0.5, rate=44100), 44100, subtype="PCM_16")
    export, take_wav = launcher.home / "tune.wav", launcher.home / "take.wav"
    prompt, seed = "lofi piano over this tune", 4242
    run = launcher.start("melody", model=str(tiny_models.melody), melody=str(melody), duration=2.0,
                         export=str(export), take_wav=str(take_wav), prompt=prompt, seed=seed)
    launcher.engine_of(run)
    assert run.wait() == 0, run.output()
    report = run.report
    assert report["ok"], report.get("error")
    assert report["torch_in_gui_process"] == []
    assert report["dialogs"] == ["Import a melody"]
    assert report["slot"]["offered"] and abs(report["slot"]["seconds"] - 2.3) < 0.05
    used = report["take"]["melody"]
    assert used is not None and used["sample_rate"] == 32000 and 1.4 < used["frames"] / 32000 < 2.01
    audio, rate = sf.read(export, always_2d=True)
    assert rate == 32000 and abs(len(audio) / rate - 2.0) < 0.05 and np.abs(audio).max() > 1e-3
    assert_no_orphans(run)

    # The command line, given the same file, prompt and seed, prepares the melody the same way.
    cli_wav = launcher.home / "cli.wav"
    done = subprocess.run([str(console_script()), "generate", "--model", str(tiny_models.melody), "--prompt", prompt,
                           "--melody", str(melody), "--duration", "2", "--seed", str(seed), "--device", "cpu",
                           "--offline", "--out", str(cli_wav)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    window_take, _ = sf.read(take_wav, always_2d=True)
    from_cli, _ = sf.read(cli_wav, always_2d=True)
    np.testing.assert_allclose(from_cli, window_take, atol=1e-5)


def test_a_killed_engine_is_explained_nothing_is_lost_and_quitting_mid_generation_leaves_no_engine(
        launcher, tiny_models):
    launcher.settings(offline="true", compute_device="cpu")
    run = launcher.start("engine_crash", model=str(tiny_models.mono))
    launcher.engine_of(run)
    signal_file = run.wait_for_file(launcher.home / "generating.json", "the long generation", timeout=300)
    victim = json.loads(signal_file.read_text())["engine_pid"]
    os.kill(victim, signal.SIGKILL)  # from outside, as the system's out-of-memory killer would
    second = launcher.engine_of(run)
    deadline = time.monotonic() + 120
    while second.pid == victim:  # the killed engine may still be listed (a zombie) until the app reaps it
        assert time.monotonic() < deadline, f"no new engine replaced {victim}:\n{run.output()}"
        time.sleep(0.1)
        second = launcher.engine_of(run)
    assert run.wait() == 0, run.output()
    report = run.report
    assert report["ok"], report.get("error")
    assert "stopped unexpectedly" in report["message"] and "killed" in report["message"]
    assert "safe" in report["message"] and report["progress"] == "Failed" and report["generate_enabled"]
    after, before = report["after_crash"], report["before"]
    assert before["clips"] == 1 and {key: after[key] for key in ("clips", "undo_steps")} == \
        {key: before[key] for key in ("clips", "undo_steps")}
    assert after["takes"] == before["takes"] + 1  # the seconds made before the crash, kept
    partial = report["partial_take"]
    assert partial["name"].startswith("Take (partial: ") and partial["seconds"] >= report["heard_before_crash"] > 0
    assert not report["waveform_after_crash"].startswith("Generating") and not report["live_after_crash"]
    assert report["after_restart"]["takes"] == before["takes"] + 2
    assert report["second_engine_pid"] == second.pid != victim
    assert report["quit_during"].startswith("Generating")
    assert not psutil.pid_exists(victim) or psutil.Process(victim).status() == psutil.STATUS_ZOMBIE
    assert_no_orphans(run)
