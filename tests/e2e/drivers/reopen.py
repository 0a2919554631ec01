"""Open a saved sketch from the command line (`sketchpad song.sketch`), look at it and at its kept takes,
A/B the decoder back to EnCodec from the stored audio, export, quit (discarding the change)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import _path  # noqa: E402,F401

from tests.e2e.driving import click, export_with_dialog, params, run, wait_until  # noqa: E402


def scenario(window, report: dict) -> None:
    p = params()
    wait_until(lambda: window.files.path is not None, "the sketch to open", timeout=60)
    report["title"] = window.windowTitle()
    clips = [clip for _track, clip in window.document.sketch.iter_clips()]
    report["clips"] = [{"decoder": clip.decoder, "decoders_stored": sorted(clip.media.audio)} for clip in clips]
    report["takes"] = [{"name": kept.name, "group": kept.group,
                        "on_timeline": any(kept.media is clip.media for clip in clips)}
                       for kept in window.document.sketch.takes]
    takes_list = window.takes.list
    report["takes_list"] = [takes_list.item(row).text().split("\n")[0] for row in range(takes_list.count())]
    window.timeline.select_clips([clips[0].id])
    click(window.decoder_switch.buttons["encodec"])
    wait_until(lambda: window.document.sketch.clip(clips[0].id).decoder == "encodec", "the switch back")
    report["exported"] = export_with_dialog(window, p["export"])


def drive(window) -> None:
    run(window, scenario)
