"""Files on the real window: the title's unsaved mark, the question before losing work, crash recovery of
an untitled and a saved sketch from their autosaves, autosave itself, and `sketchpad song.sketch`."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from sketchpad.sketch import AUDIO_TOLERANCE, SetTitle, autosave_path, mixdown, save_sketch, write_autosave
from tests.sketch.conftest import state
from tests.ui.conftest import make_window
from tests.ui.timeline_sketches import two_track_sketch

Button = QMessageBox.StandardButton


def answer(monkeypatch, button: Button) -> list[str]:
    """Patch the message box: every question gets `button`; the questions asked are returned."""
    asked: list[str] = []

    def question(_parent, title, text, *_args):
        asked.append(f"{title}: {text}")
        return button

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


@pytest.fixture
def asking(window):
    del window.files.ask_to_save  # the fixture's silent Discard off: the real question again
    return window


def test_the_title_shows_the_name_and_unsaved_state(qtbot, window, tmp_path):
    assert window.windowTitle() == "Untitled — Sketchpad"
    window.timeline.add_track()
    assert window.windowTitle() == "Untitled* — Sketchpad"
    with qtbot.waitSignal(window.files.saved):
        window.files.save_to(tmp_path / "idea")
    assert (tmp_path / "idea.sketch").exists() and window.windowTitle() == "idea — Sketchpad"
    window.actions["undo"].trigger()
    assert window.windowTitle() == "idea* — Sketchpad"
    window.actions["redo"].trigger()
    assert window.windowTitle() == "idea — Sketchpad"


def test_closing_with_unsaved_changes_asks_cancel_keeps_discard_closes(qtbot, asking, monkeypatch):
    asking.timeline.add_track()
    asked = answer(monkeypatch, Button.Cancel)
    asking.close()
    assert asking.isVisible() and asked and "Save the changes" in asked[0]
    answer(monkeypatch, Button.Discard)
    asking.close()
    assert not asking.isVisible()


def test_save_from_the_question_saves_first_then_closes(qtbot, asking, monkeypatch, tmp_path):
    asking.timeline.add_track()
    answer(monkeypatch, Button.Save)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(tmp_path / "kept.sketch"), ""))
    asking.close()
    qtbot.waitUntil(lambda: not asking.isVisible(), timeout=10_000)
    assert (tmp_path / "kept.sketch").exists() and not asking.document.is_dirty


def test_an_untitled_sketch_autosaves_and_is_recovered_after_a_crash(qtbot, window, settings, engine_service,
                                                                     tmp_path, monkeypatch):
    window.document.replace(two_track_sketch(), clean=False)
    with qtbot.waitSignal(window.autosave.autosaved) as blocker:
        assert window.autosave.autosave() is not None
    assert Path(blocker.args[0]) == autosave_path(tmp_path / "Untitled.sketch")
    assert window.autosave.autosave() is None  # nothing new since
    expected = state(window.document.sketch)

    # "Crash": a new window over the same data folder finds the autosave and offers it back.
    asked = answer(monkeypatch, Button.Yes)
    second = make_window(settings, engine_service, tmp_path)
    qtbot.addWidget(second)
    with qtbot.waitSignal(second.files.opened, timeout=10_000):
        second.autosave.offer_recovery()
    assert "Recover" in asked[0]
    assert state(second.document.sketch) == expected and second.files.path is None
    assert second.windowTitle() == "Two tracks* — Sketchpad"  # recovered work is not saved yet
    assert len(second.timeline.view.clip_items) == 3
    second.close()


def test_opening_a_sketch_with_a_newer_autosave_offers_it(qtbot, window, monkeypatch, tmp_path):
    path = tmp_path / "song.sketch"
    saved = two_track_sketch()
    save_sketch(saved, path)
    later = two_track_sketch()
    SetTitle("autosaved").apply(later)
    write_autosave(later, path)
    os.utime(autosave_path(path), ns=(path.stat().st_mtime_ns + 10**9,) * 2)
    answer(monkeypatch, Button.Yes)
    with qtbot.waitSignal(window.files.opened):
        window.files.open_path(path)
    assert window.document.sketch.title == "autosaved" and window.document.is_dirty
    assert window.windowTitle() == "song* — Sketchpad"
    sketch = window.document.sketch
    np.testing.assert_allclose(mixdown(sketch, 0, sketch.length), mixdown(later, 0, later.length),
                               atol=4 * AUDIO_TOLERANCE)
    answer(monkeypatch, Button.No)  # declined: the saved file, and the autosave is gone
    window.document.undo_stack.setClean()
    with qtbot.waitSignal(window.files.opened):
        window.files.open_path(path)
    assert window.document.sketch.title == "Two tracks" and not autosave_path(path).exists()


def test_a_damaged_file_says_what_is_wrong(qtbot, window, tmp_path):
    bad = tmp_path / "bad.sketch"
    bad.write_bytes(b"not a zip at all")
    with qtbot.waitSignal(window.files.problem) as blocker:
        window.files.open_path(bad)
    assert "bad.sketch could not be opened" in blocker.args[0]
    assert "bad.sketch could not be opened" in window.banner.text


def test_the_command_line_opens_a_sketch_and_keeps_its_commands(monkeypatch, capsys):
    import sketchpad.app
    from sketchpad import cli

    opened: list = []
    monkeypatch.setattr(sketchpad.app, "run_app", lambda argv, path=None: opened.append(path) or 0)
    assert cli.main(["song.sketch"]) == 0 and opened == ["song.sketch"]
    assert cli.main([]) == 0 and opened[-1] is None
    with pytest.raises(SystemExit):
        cli.main(["--version"])
    assert "sketchpad" in capsys.readouterr().out
