"""Make a take and put it on the timeline; start a long generation; the test kills the engine process
from outside once its first seconds are heard; check that the message is clear, the live state is gone,
the seconds made so far are kept as a partial take, and the sketch and the undo history are as they
were; generate again; then start another long generation and quit in the middle of it."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import _path  # noqa: E402,F401

from tests.e2e.driving import click, params, run, type_text, wait_until  # noqa: E402


def _state(window) -> dict:
    return {"takes": len(window.takes.takes), "clips": sum(1 for _ in window.document.sketch.iter_clips()),
            "undo_steps": window.document.undo_stack.count(), "dirty": window.document.is_dirty}


def scenario(window, report: dict) -> None:
    p = params()
    window.idea.models.select(p["model"])
    type_text(window.idea.prompt, "warm pads")
    window.idea.duration.setValue(1.0)
    click(window.idea.generate_button)
    wait_until(lambda: window.takes.current is not None, "the first take", timeout=300)
    click(window.takes.add_button)
    before = _state(window)
    report["before"] = before

    window.idea.duration.setValue(300.0)
    click(window.idea.generate_button)
    wait_until(lambda: window.idea.progress.bar.value() > 0 and window.live_take.seconds_ready > 0,
               "generation under way, its first seconds heard", timeout=120)
    report["heard_before_crash"] = window.live_take.seconds_ready
    signal = Path(p["home"]) / "generating.json"
    signal.write_text(json.dumps({"engine_pid": window.service.pid}))
    wait_until(lambda: "stopped unexpectedly" in window.banner.text, "the message about the engine", timeout=60)
    report["message"] = window.banner.text
    report["progress"] = window.idea.progress.stage.text()
    wait_until(lambda: len(window.takes.takes) > before["takes"], "the partial take", timeout=30)
    report["after_crash"] = _state(window)
    report["waveform_after_crash"] = window.waveform.info.text()
    report["live_after_crash"] = window.live_take.buffers is not None
    report["partial_take"] = {"name": window.document.sketch.takes[-1].name,
                              "seconds": window.takes.current.seconds if window.takes.current else None}
    report["generate_enabled"] = window.idea.generate_button.isEnabled()

    window.idea.duration.setValue(1.0)
    click(window.idea.generate_button)
    wait_until(lambda: len(window.takes.takes) > report["after_crash"]["takes"], "a take from the new engine",
               timeout=300)
    report["after_restart"] = _state(window)
    report["second_engine_pid"] = window.service.pid

    window.idea.duration.setValue(300.0)
    click(window.idea.generate_button)
    wait_until(lambda: window.idea.progress.bar.value() > 0, "the last generation under way", timeout=120)
    report["quit_during"] = window.idea.progress.stage.text()


def drive(window) -> None:
    run(window, scenario)
