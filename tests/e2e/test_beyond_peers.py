"""Stems, seamless loops, prompt sections and the tempo of imported audio, through the real `sketchpad`."""

from __future__ import annotations

import soundfile as sf

from tests.audio.music import RATE, drums, progression
from tests.e2e.conftest import assert_no_orphans


def test_stems_loops_sections_and_an_imports_tempo_in_the_app_as_launched(launcher, tiny_models):
    launcher.settings(offline="true", compute_device="cpu")
    groove = launcher.home / "groove.wav"
    sf.write(groove, (drums(97, seconds=16)[0] + progression(57, True, seconds=16)[0]) * 0.5, RATE)
    run = launcher.start("beyond_peers", model=str(tiny_models.mono), sections_model=str(tiny_models.short_window),
                         groove=str(groove))
    launcher.engine_of(run)
    assert run.wait(1200) == 0, run.output()
    report = run.report
    assert report["ok"], report.get("error")
    assert "“groove.wav” sounds like 97.0 bpm, in 4/4, A minor" in report["offer"]
    assert report["tempo"] == 97.0 and report["metre"] == [4, 4]
    assert [text for _at, text in report["marks"]] == ["0:00 calm piano intro", "0:06.4 loud rock drums"]
    bar = round(4 * 60 / 97.0 * RATE)
    assert report["loop_frames"] == bar  # exactly one bar at the sketch's tempo
    first = report["loop_starts"][0]
    assert report["loop_starts"] == [first, first + bar, first + 2 * bar]  # dragged: two whole repeats
    assert report["tracks"][1:5] == ["groove Drums", "groove Bass", "groove Other", "groove Vocals"]
    assert report["groove_muted"]
    (mix,) = report["exported"]
    assert sf.info(mix).frames >= first + 3 * bar
    assert_no_orphans(run)
