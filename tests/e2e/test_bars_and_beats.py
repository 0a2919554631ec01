"""Bars and beats in the app as launched: the prompt's tempo, the transport's fields, the metronome."""

from __future__ import annotations

import os

from sketchpad.sketch import load_sketch
from tests.e2e.conftest import assert_no_orphans


def test_a_prompted_tempo_typed_fields_and_the_metronome_reach_the_sketch_and_come_back(launcher, tiny_models):
    launcher.settings(offline="true", compute_device="cpu")
    song = launcher.home / "groove.sketch"
    run = launcher.start("bars_and_beats", phase="first", model=str(tiny_models.mono), sketch=str(song),
                         shot=os.environ.get("SKETCHPAD_E2E_SHOT", ""))
    launcher.engine_of(run)
    assert run.wait() == 0, run.output()
    report = run.report
    assert report["ok"], report.get("error")
    assert report["metronome_enabled_without_tempo"] is False  # no tempo, nothing to click to
    prompted = report["after_prompt"]
    assert prompted["tempo"] == 80.0 and prompted["metre"] == [6, 8] and prompted["tempo_field"] == "80 bpm"
    typed = report["typed"]
    assert typed["tempo"] == 96.0 and typed["metre"] == [3, 8] and typed["master_db"] == -6.0
    assert typed["metronome_on"] and typed["player_clicks"] and "bar 1.1" in typed["time"]
    assert report["steps"][0] == "Tempo from the prompt" and len(report["steps"]) == 4
    assert_no_orphans(run)
    saved = load_sketch(song)
    assert (saved.tempo, saved.metre, saved.master_gain_db) == (96.0, (3, 8), -6.0)

    again = launcher.start("bars_and_beats", str(song), phase="second")
    launcher.engine_of(again)
    assert again.wait() == 0, again.output()
    reopened = again.report["reopened"]
    assert again.report["ok"], again.report.get("error")
    assert reopened["tempo_field"] == "96 bpm" and reopened["metronome_on"] and reopened["player_clicks"]
    assert_no_orphans(again)
