"""A person's first session and the next one, through the real entry point (`sketchpad`)."""

from __future__ import annotations

import numpy as np
import soundfile as sf

from sketchpad.sketch import SetClipDecoder, load_sketch, mixdown
from tests.e2e.conftest import assert_no_orphans

LOOSE_MAX_GAP_MS = 250  # the bench's target is 50 ms; a shared CI machine gets room here, not a pass for freezes


def test_generate_switch_decoder_export_save_quit_and_reopen(launcher, tiny_models):
    launcher.settings(offline="true", compute_device="cpu", mbd_folder=tiny_models.mbd)
    first_export, sketch_path = launcher.home / "idea.wav", launcher.home / "song.sketch"
    run = launcher.start("idea_to_export", model=str(tiny_models.mono), duration=2.0, export=str(first_export),
                         sketch=str(sketch_path))
    engine = launcher.engine_of(run)
    assert run.wait() == 0, run.output()
    report = run.report
    assert report["ok"], report.get("error")
    assert report["torch_in_gui_process"] == []  # the window's process never imported torch
    assert report["engine_pid"] == engine.pid != report["gui_pid"]
    assert report["dialogs"] == ["Open a model folder"] and report["model"] == str(tiny_models.mono.resolve())
    assert abs(report["take"]["seconds"] - 2.0) < 0.05 and report["decoder"] == "mbd"
    assert report["status"][0] == "Generating on: This computer (CPU)" and "mono" in report["status"][1]
    assert report["status"][2].startswith("Engine memory:")
    ui = report["ui"]
    print(f"event loop while the engine started, loaded and generated: {ui}")
    assert ui["ticks"] > 100 and ui["max_gap_ms"] < LOOSE_MAX_GAP_MS, ui
    assert_no_orphans(run)

    audio, rate = sf.read(first_export, always_2d=True)
    assert rate == 32000 and abs(len(audio) / rate - 2.0) < 0.05 and np.abs(audio).max() > 1e-3
    sketch = load_sketch(sketch_path)
    clips = [clip for _track, clip in sketch.iter_clips()]
    assert len(clips) == 1 and clips[0].decoder == "mbd" and set(clips[0].media.audio) == {"encodec", "mbd"}
    assert clips[0].media.tokens is not None and clips[0].media.params["seed"] == report["take"]["seed"]
    assert [take.media for take in sketch.takes] == [clips[0].media]  # the take is kept, its audio stored once
    np.testing.assert_allclose(audio.T, mixdown(sketch, 0, sketch.length), atol=1e-4)

    second_export = launcher.home / "again.wav"
    again = launcher.start("reopen", str(sketch_path), export=str(second_export))
    launcher.engine_of(again)
    assert again.wait() == 0, again.output()
    reopened = again.report
    assert reopened["ok"], reopened.get("error")
    assert reopened["title"].startswith("song")
    assert reopened["clips"] == [{"decoder": "mbd", "decoders_stored": ["encodec", "mbd"]}]
    assert reopened["takes"] == [{"name": "Take", "group": 1, "on_timeline": True}]
    assert reopened["takes_list"] == ["Request 1: 1 take", "Take: earthy tones, ukulele, gentle grooves"]
    assert_no_orphans(again)
    back, _ = sf.read(second_export, always_2d=True)
    SetClipDecoder(clips[0].id, decoder="encodec").apply(sketch)
    np.testing.assert_allclose(back.T, mixdown(sketch, 0, sketch.length), atol=1e-4)
    assert not np.allclose(back, audio, atol=1e-3)  # the two decoders really differ
