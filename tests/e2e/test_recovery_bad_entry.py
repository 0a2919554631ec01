"""A remembered sketch whose path now fails (a folder in it became a file) never keeps the next start
from offering the unsaved sketch's autosave; the bad entry is said once in one log line and forgotten."""

from __future__ import annotations

from sketchpad.sketch import write_autosave
from tests.e2e.conftest import assert_no_orphans
from tests.ui.timeline_sketches import two_track_sketch


def test_a_bad_remembered_entry_beside_the_unsaved_sketchs_autosave(launcher, tiny_models):
    launcher.settings(offline="true", compute_device="cpu")
    (launcher.home / "was-a-folder").write_text("a file now")
    bad = launcher.home / "was-a-folder" / "song.sketch"  # stat raises NotADirectoryError
    with (launcher.config / "Sketchpad" / "Sketchpad.conf").open("a") as conf:
        conf.write(f"\n[files]\nautosaved={bad}\n")
    sketch = two_track_sketch()
    (launcher.data / "Sketchpad" / "Sketchpad").mkdir(parents=True)
    write_autosave(sketch, launcher.data / "Sketchpad" / "Sketchpad" / "Untitled.sketch")

    app = launcher.start("recovery_bad_entry")
    launcher.engine_of(app)
    assert app.wait() == 0, app.output()
    report = app.report
    assert report["ok"], report.get("error")
    assert len(report["asked"]) == 1 and "the unsaved sketch" in report["asked"][0]
    assert report["tracks"] == [track.name for track in sketch.tracks]
    said = [line for line in app.output().splitlines() if str(bad) in line]
    assert len(said) == 1 and "cannot be looked at" in said[0], app.output()[-3000:]
    conf = (launcher.config / "Sketchpad" / "Sketchpad.conf").read_text()
    assert str(bad) not in conf  # forgotten: the next start says nothing more of it
    assert_no_orphans(app)
