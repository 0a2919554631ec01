"""The window generating on a server (Preferences > Generate on, set in an earlier session): the status bar
says where, the picker lists the server's models, a take is made there and placed, its decoder switched to
MultiBand Diffusion on the server, a long take cancelled; the test kills the serving replica during another
long take, the window says so in one sentence with nothing lost, and the next take works; then an export."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import _path  # noqa: E402,F401

from tests.e2e.driving import click, export_with_dialog, params, run, type_text, wait_until  # noqa: E402


def _state(window) -> dict:
    return {"takes": len(window.takes.takes), "clips": sum(1 for _ in window.document.sketch.iter_clips()),
            "undo_steps": window.document.undo_stack.count()}


def scenario(window, report: dict) -> None:
    from sketchpad.ui.generate.model_picker import ModelRole

    p = params()
    wait_until(lambda: window.service.is_ready, "connected to the server", timeout=300)
    report["status"] = window.statusBar().device.text()
    picker = window.idea.models
    report["models"] = [picker.itemData(index, ModelRole) for index in range(picker.count())]
    report["listed"] = [picker.itemData(index, ModelRole) for index in range(picker.count())
                        if not picker.view().isRowHidden(index) and picker.itemData(index, ModelRole) not in
                        (None, "__open_folder__")]
    picker.select("tiny")
    type_text(window.idea.prompt, "warm pads")
    window.idea.duration.setValue(1.0)
    click(window.idea.generate_button)
    wait_until(lambda: window.takes.current is not None, "a take from the server", timeout=300)
    report["take_server"] = window.takes.current.result.params.get("server")
    click(window.takes.add_button)
    (clip_id,) = [clip.id for _, clip in window.document.sketch.iter_clips()]
    window.timeline.select_clips([clip_id])
    window.actions["decoder:mbd"].trigger()
    wait_until(lambda: window.document.sketch.clip(clip_id).decoder == "mbd", "the server's MBD decode", timeout=300)
    report["decoders"] = sorted(window.document.sketch.clip(clip_id).media.audio)

    window.idea.duration.setValue(60.0)
    click(window.idea.generate_button)
    wait_until(lambda: window.idea.progress.bar.value() > 0, "a long take under way", timeout=120)
    click(window.idea.cancel_button)
    wait_until(lambda: window.idea.generate_button.isEnabled(), "the cancel", timeout=60)
    report["after_cancel"] = _state(window)

    click(window.idea.generate_button)
    wait_until(lambda: window.idea.progress.bar.value() > 0, "another long take under way", timeout=120)
    Path(p["home"], "generating.json").write_text(json.dumps({"at": "now"}))
    wait_until(lambda: window.idea.generate_button.isEnabled(), "the job's end after the replica died", timeout=120)
    report["message"] = window.banner.text
    report["after_kill"] = _state(window)
    window.idea.duration.setValue(1.0)
    click(window.idea.generate_button)
    wait_until(lambda: len(window.takes.takes) > report["after_kill"]["takes"], "a take after the replica died",
               timeout=300)
    report["after_restart"] = _state(window)
    report["exported"] = export_with_dialog(window, str(Path(p["home"]) / "mix.wav"))


def drive(window) -> None:
    run(window, scenario)
