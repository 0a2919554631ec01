"""Files on the real window: the title's unsaved mark, the question before losing work, crash recovery of
an untitled and a saved sketch from their autosaves, autosave itself, `sketchpad song.sketch`, a file
another program changed (asked before it is overwritten; nothing lost whatever the answer), a full
disk and a hostile file said in words."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from sketchpad.sketch import (
    AUDIO_TOLERANCE,
    SetTitle,
    autosave_path,
    load_sketch,
    mixdown,
    save_sketch,
    write_autosave,
)
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
    monkeypatch.setattr(sketchpad.app, "run_app", lambda argv, path=None, **_: opened.append(path) or 0)
    assert cli.main(["song.sketch"]) == 0 and opened == ["song.sketch"]
    assert cli.main([]) == 0 and opened[-1] is None
    with pytest.raises(SystemExit):
        cli.main(["--version"])
    assert "sketchpad" in capsys.readouterr().out


def click_in_message_box(button_text: str) -> list[str]:
    """Answer the next message box as a person does: click its button labelled `button_text`.
    Returns the texts of the boxes answered."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    seen: list[str] = []

    def click(tries: int = 200) -> None:
        boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
        if not boxes:
            if tries:
                QTimer.singleShot(10, lambda: click(tries - 1))
            return
        seen.append(boxes[0].text())
        next(b for b in boxes[0].buttons() if b.text() == button_text).click()

    QTimer.singleShot(0, click)
    return seen


def another_program_writes(path: Path, title: str) -> bytes:
    theirs = two_track_sketch()
    SetTitle(title).apply(theirs)
    save_sketch(theirs, path)
    later = path.stat().st_mtime_ns + 2 * 10**9  # a clock tick later than our save, whatever the file system
    os.utime(path, ns=(later, later))
    return path.read_bytes()


@pytest.fixture
def saved_here(qtbot, window, tmp_path):
    """The window's sketch saved as song.sketch, then edited (unsaved)."""
    window.document.replace(two_track_sketch())
    with qtbot.waitSignal(window.files.saved):
        window.files.save_to(tmp_path / "song.sketch")
    window.timeline.add_track()
    return tmp_path / "song.sketch"


def test_saving_over_a_file_another_program_changed_asks_and_cancel_writes_nothing(qtbot, window, saved_here):
    theirs = another_program_writes(saved_here, "their version")
    seen = click_in_message_box("Cancel")
    assert window.files.save() is None
    assert seen and "song.sketch was changed on disk by another program" in seen[0]
    assert "keeps the other one as song.sketch.bak" in seen[0]
    assert saved_here.read_bytes() == theirs and window.document.is_dirty  # nothing lost either side


def test_overwrite_keeps_the_other_programs_version_as_a_backup(qtbot, window, saved_here):
    theirs = another_program_writes(saved_here, "their version")
    click_in_message_box("Overwrite")
    with qtbot.waitSignal(window.files.saved, timeout=10_000):
        window.actions["save"].trigger()
    assert load_sketch(saved_here).tracks[-1].name == window.document.sketch.tracks[-1].name
    assert len(load_sketch(saved_here).tracks) == 3 and not window.document.is_dirty
    assert (saved_here.parent / "song.sketch.bak").read_bytes() == theirs
    seen = click_in_message_box("Overwrite")  # saved since: the next save asks nothing
    window.timeline.add_track()
    with qtbot.waitSignal(window.files.saved, timeout=10_000):
        window.files.save()
    assert seen == []


def test_save_as_leaves_the_other_programs_version_in_place(qtbot, window, saved_here, monkeypatch):
    theirs = another_program_writes(saved_here, "their version")
    mine = saved_here.parent / "mine.sketch"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(mine), ""))
    click_in_message_box("Save As…")
    with qtbot.waitSignal(window.files.saved, timeout=10_000):
        window.files.save()
    assert saved_here.read_bytes() == theirs and len(load_sketch(mine).tracks) == 3
    assert window.files.path == mine and window.windowTitle() == "mine — Sketchpad"


def test_a_file_touched_but_not_changed_is_saved_without_a_question(qtbot, window, saved_here):
    later = saved_here.stat().st_mtime_ns + 2 * 10**9
    os.utime(saved_here, ns=(later, later))  # a sync tool rewrote the same bytes
    seen = click_in_message_box("Cancel")
    with qtbot.waitSignal(window.files.saved, timeout=10_000):
        window.files.save()
    assert seen == [] and len(load_sketch(saved_here).tracks) == 3


def test_coming_back_to_the_window_says_once_that_the_file_changed(qtbot, window, saved_here):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    another_program_writes(saved_here, "their version")
    heard: list[str] = []
    window.files.problem.connect(heard.append)
    for _ in range(2):
        QApplication.instance().applicationStateChanged.emit(Qt.ApplicationState.ApplicationActive)
    assert len(heard) == 1 and heard[0].startswith("song.sketch was changed on disk by another program")
    assert "song.sketch was changed on disk" in window.banner.text


def test_saving_onto_a_full_disk_says_so_and_keeps_the_file(qtbot, window, saved_here, monkeypatch):
    from tests.sketch.faults import failing_disk

    before = saved_here.read_bytes()
    failing_disk(monkeypatch, room=2048)
    with qtbot.waitSignal(window.files.problem, timeout=10_000) as blocker:
        window.files.save()
    message = blocker.args[0]
    assert message.startswith("song.sketch could not be saved: the disk is full: ") and "Errno" not in message
    assert "needed for song.sketch" in message and "the previous song.sketch is unchanged" in message
    assert saved_here.read_bytes() == before and window.document.is_dirty
    assert sorted(p.name for p in saved_here.parent.iterdir() if p.name.startswith(".song")) == []


def test_a_hostile_file_says_what_is_wrong_in_one_line(qtbot, window, tmp_path):
    import zipfile

    hostile = tmp_path / "deep.sketch"
    with zipfile.ZipFile(hostile, "w") as archive:
        archive.writestr("sketch.json", "[" * 300_000, compress_type=zipfile.ZIP_DEFLATED)
    with qtbot.waitSignal(window.files.problem, timeout=10_000) as blocker:
        window.files.open_path(hostile)
    assert blocker.args[0] == ("deep.sketch could not be opened: deep.sketch: sketch.json is nested 300000 levels "
                               "deep (a sketch needs fewer than 64): the file is damaged or was not written by "
                               "Sketchpad")


def when_recovery_is_offered(act) -> list[list[str]]:
    """Run `act(dialog)` on the start-up recovery list once it shows; returns the lists it showed."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from sketchpad.ui.files.recovery_dialog import RecoveryDialog

    shown: list[list[str]] = []

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, RecoveryDialog) and dialog.isVisible():
            shown.append([dialog.list.item(row).text() for row in range(dialog.list.count())])
            act(dialog)
        else:
            QTimer.singleShot(20, look)

    QTimer.singleShot(0, look)
    return shown


def test_a_saved_sketch_cut_short_by_a_crash_is_listed_at_start_and_recovered(qtbot, window, settings,
                                                                              engine_service, tmp_path, monkeypatch):
    path = tmp_path / "song.sketch"
    save_sketch(two_track_sketch(), path)
    with qtbot.waitSignal(window.files.opened):
        window.files.open_path(path)
    window.document.push(SetTitle("after the save"))
    with qtbot.waitSignal(window.autosave.autosaved):
        window.autosave.autosave()
    expected = state(window.document.sketch)
    os.utime(autosave_path(path), ns=(path.stat().st_mtime_ns + 10**9,) * 2)
    window.document.replace(two_track_sketch(), clean=False)  # the untitled sketch has work of its own too
    window.files.path = None
    with qtbot.waitSignal(window.autosave.autosaved):
        window.autosave.autosave()
    window.document.undo_stack.setClean()

    # "Crash", then "Later": both stay offered, the newest work first, and nothing is deleted.
    later = make_window(settings, engine_service, tmp_path)
    qtbot.addWidget(later)
    shown = when_recovery_is_offered(lambda dialog: dialog.later_button.click())
    assert later.autosave.offer_recovery() is None
    assert [text.split("\n")[0] for text in shown[0]] == ["song.sketch", "The unsaved sketch"]
    assert autosave_path(path).exists() and autosave_path(tmp_path / "Untitled.sketch").exists()
    later.close()

    # Next start: discard the unsaved sketch's autosave (asked first), then recover the song.
    again = make_window(settings, engine_service, tmp_path)
    qtbot.addWidget(again)
    asked = answer(monkeypatch, Button.Discard)

    def discard_then_recover(dialog) -> None:
        dialog.list.setCurrentRow(1)
        dialog.discard_button.click()
        assert [dialog.list.item(row).text().split("\n")[0] for row in range(dialog.list.count())] == ["song.sketch"]
        dialog.recover_button.click()

    shown = when_recovery_is_offered(discard_then_recover)
    with qtbot.waitSignal(again.files.opened, timeout=10_000):
        assert again.autosave.offer_recovery() is not None
    assert len(shown) == 1 and len(asked) == 1 and "Discard the autosave" in asked[0]  # not asked again to open
    assert not autosave_path(tmp_path / "Untitled.sketch").exists()
    assert again.files.path == path.resolve() and state(again.document.sketch) == expected
    assert again.windowTitle() == "song* — Sketchpad"  # recovered work is not saved yet
    with qtbot.waitSignal(again.files.saved, timeout=10_000):
        again.files.save()
    assert not autosave_path(path).exists() and load_sketch(path).title == "after the save"
    assert again.autosave.recoverable() == []
    again.close()
