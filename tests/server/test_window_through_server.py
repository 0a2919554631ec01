"""The window, launched as a person launches it, generating on a real `sketchpad serve` on 127.0.0.1."""

from __future__ import annotations

import os
import signal

import soundfile as sf

from tests.e2e.launching import Launcher
from tests.server.conftest import wait_until_serving


def test_the_window_generates_switches_cancels_survives_a_killed_replica_and_exports(server, tmp_path):
    launcher = Launcher(tmp_path)
    launcher.settings(engine_server=server.url, server_token=server.token)
    run = launcher.start("server_window")
    run.wait_for_file(tmp_path / "generating.json", "a long take under way", timeout=900)
    os.kill(wait_until_serving(server)["pid"], signal.SIGKILL)  # the replica serving this window
    assert run.wait(900) == 0, run.output()
    report = run.report
    assert report["status"].startswith(f"Generating on: {server.url} ("), report["status"]
    assert {"tiny", "tiny-stereo", "tiny-melody"} <= set(report["models"])  # the server's models, by name
    assert report["listed"] == ["tiny", "tiny-stereo", "tiny-melody"]  # and only those are offered
    assert report["take_server"] == server.url  # the take remembers where it was made
    assert report["decoders"] == ["encodec", "mbd"]
    assert report["after_cancel"]["takes"] == 1  # a cancelled take is not kept
    assert "stopped in the middle of this job" in report["message"], report["message"]
    assert report["after_kill"]["clips"] == report["after_cancel"]["clips"] == 1  # nothing lost
    assert report["after_kill"]["undo_steps"] == report["after_cancel"]["undo_steps"]
    assert report["after_restart"]["takes"] == report["after_kill"]["takes"] + 1
    (mix,) = report["exported"]
    assert sf.info(mix).frames > 0
    assert not any("sketchpad.engine_host" in " ".join(child.cmdline()) for child in run.children())
