"""Choose a melody model folder, import a hummed melody (File > Import Melody…), Generate, and add the
take to the timeline and export it."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import _path  # noqa: E402,F401
import soundfile as sf  # noqa: E402

from tests.e2e.driving import click, export_with_dialog, file_dialogs_answer, params, run, type_text, wait_until  # noqa: E402


def scenario(window, report: dict) -> None:
    p = params()
    picker = window.idea.models
    with file_dialogs_answer(p["model"]):
        picker.setCurrentIndex(picker.count() - 1)  # "Open model folder..."
        picker.activated.emit(picker.count() - 1)
    with file_dialogs_answer(p["melody"]) as asked:
        window.actions["import_melody"].trigger()
    report["dialogs"] = asked
    slot = window.idea.melody
    wait_until(lambda: slot.has_melody, "the melody in the slot", timeout=30)
    report["slot"] = {"offered": slot.offered, "seconds": slot.samples.shape[1] / slot.sample_rate}
    type_text(window.idea.prompt, p["prompt"])
    window.idea.duration.setValue(p["duration"])
    window.idea.seed_lock.setChecked(True)
    window.idea.seed.setValue(p["seed"])
    click(window.idea.generate_button)
    wait_until(lambda: window.takes.current is not None or "failed" in window.idea.progress.stage.text().lower(),
               "the take", timeout=300)
    assert window.takes.current is not None, window.banner.text
    take = window.takes.current
    report["take"] = {"seconds": take.seconds, "melody": take.result.params.get("melody"),
                      "channels": take.channels, "seed": take.seed}
    sf.write(p["take_wav"], take.result.audio.T, take.result.sample_rate, subtype="FLOAT")
    click(window.takes.add_button)
    export_with_dialog(window, p["export"])


def drive(window) -> None:
    run(window, scenario)
