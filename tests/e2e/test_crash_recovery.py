"""A saved sketch's unsaved work survives the app being killed, and the next plain start offers it."""

from __future__ import annotations

import signal
from pathlib import Path

from sketchpad.sketch import autosave_path, load_sketch, save_sketch
from tests.e2e.conftest import assert_no_orphans
from tests.ui.timeline_sketches import two_track_sketch


def test_work_on_a_saved_sketch_killed_before_saving_is_offered_at_the_next_start(launcher, tiny_models):
    launcher.settings(offline="true", compute_device="cpu")
    song = launcher.home / "song.sketch"
    save_sketch(two_track_sketch(), song)
    before = load_sketch(song).tracks[0].name

    first = launcher.start("crash_recovery", str(song), phase="edit", close=False)
    launcher.engine_of(first)
    first.wait_for_file(first.report_path, "the edit's report", timeout=240)
    report = first.report
    assert report["ok"], report.get("error")
    assert report["title"] == "song* — Sketchpad" and Path(report["autosave"]) == autosave_path(song)
    first.process.send_signal(signal.SIGKILL)  # a crash: nothing runs after it
    assert first.wait() == -signal.SIGKILL
    assert_no_orphans(first)  # the engine noticed its window was gone
    assert load_sketch(song).tracks[0].name == before  # the file itself is as last saved

    second = launcher.start("crash_recovery", phase="recover")
    launcher.engine_of(second)
    assert second.wait() == 0, second.output()
    report = second.report
    assert report["ok"], report.get("error")
    assert [[entry.split("\n")[0] for entry in shown] for shown in report["offered"]] == [["song.sketch"]]
    assert report["title"] == "song* — Sketchpad" and report["tracks"][0] == "Cello line"
    assert report["saved_title"] == "song — Sketchpad"
    assert load_sketch(song).tracks[0].name == "Cello line" and not autosave_path(song).exists()
    assert_no_orphans(second)
