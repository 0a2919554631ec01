"""The export dialog renders on its worker: the mix with a hard-left track, stems, ranges, rates,
formats (MP3 at a chosen bitrate), normalising, opening the folder, errors shown in place and in words;
it asks before replacing files, refuses a folder for the mix and a file for the stems, and remembers
its choices across a restart."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox

from sketchpad.sketch import Clip, ClipMedia, Sketch, Track
from sketchpad.ui.files.export_dialog import ExportDialog
from tests.sketch.conftest import RATE
from tests.ui.timeline_sketches import media, tone

TIMEOUT_MS = 20_000


def panned_sketch() -> Sketch:
    """A mono tone panned hard left (0..1 s) and a quiet stereo noise track muted; loop 0.25..0.75 s."""
    from sketchpad.sketch import ClipMedia

    left = Track(name="Left tone", pan=-1.0)
    left.clips.append(Clip(ClipMedia(RATE, {"source": tone(RATE)}), start=0, name="tone"))
    muted = Track(name="Noise", mute=True)
    muted.clips.append(Clip(media(RATE // 2), start=RATE // 4))
    return Sketch(sample_rate=RATE, title="Pan / test", loop=(RATE // 4, 3 * RATE // 4), tracks=[left, muted])


@pytest.fixture
def opened(qtbot, tmp_path):
    def make(sketch: Sketch, **kwargs) -> ExportDialog:
        kwargs.setdefault("folder", tmp_path)
        dialog = ExportDialog(sketch, **kwargs)
        dialog.opened_folders = []
        dialog.open_folder = dialog.opened_folders.append
        qtbot.addWidget(dialog)
        dialog.show()
        return dialog

    return make


def choose(combo, data) -> None:
    combo.setCurrentIndex(combo.findData(data))


def answer(qtbot, dialog: ExportDialog, text: str) -> str:
    """Press `text` ("Replace" or "Cancel") in the open replace question; returns what it said."""
    question = dialog.question
    assert question is not None and question.isVisible()
    said = f"{question.text()} {question.informativeText()}"
    button = question.button(QMessageBox.StandardButton.Cancel) if text == "Cancel" else next(
        b for b in question.buttons() if b.text() == text)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.question is None)
    return said


def run(qtbot, dialog: ExportDialog) -> list:
    with qtbot.waitSignal(dialog.exported, timeout=TIMEOUT_MS) as done:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    return done.args[0]


def test_mix_of_a_hard_left_track_has_a_silent_right_channel(qtbot, opened, tmp_path):
    dialog = opened(panned_sketch())
    choose(dialog.format, "wav32f")
    paths = run(qtbot, dialog)
    assert [p.name for p in paths] == ["Pan _ test.wav"] and paths[0].parent == tmp_path
    audio, rate = sf.read(paths[0], always_2d=True)
    assert rate == RATE and audio.shape == (RATE, 2)
    assert np.abs(audio[:, 0]).max() == pytest.approx(0.5, abs=1e-3)  # constant power: all of it on the left
    assert np.abs(audio[:, 1]).max() < 1e-6
    assert dialog.opened_folders == [tmp_path] and "Exported 1 file" in dialog.status.text()
    assert dialog.export_button.isEnabled() and dialog.close_button.text() == "Close"


def test_stems_loop_range_resampled_normalised_flac(qtbot, opened, tmp_path):
    sketch = panned_sketch()
    sketch.tracks[1].mute = False
    dialog = opened(sketch)
    choose(dialog.mode, True)
    choose(dialog.format, "flac")
    choose(dialog.rate, 48000)
    choose(dialog.range, "loop")
    dialog.normalize.setChecked(True)
    paths = run(qtbot, dialog)
    assert sorted(p.name for p in paths) == ["01 Left tone.flac", "02 Noise.flac"]
    assert all(p.parent == tmp_path / "Pan _ test" for p in paths)
    mix = 0
    for path in paths:
        audio, rate = sf.read(path, always_2d=True)
        assert rate == 48000 and abs(audio.shape[0] - 24000) <= 2  # half a second at 48 kHz
        mix = mix + audio
    assert 0.85 < np.abs(mix).max() <= 0.9  # normalised to about -1 dBFS (24-bit, resampled)


def test_selection_range_and_ogg(qtbot, opened):
    dialog = opened(panned_sketch(), selection=(0, RATE // 10))
    assert dialog.range.model().item(2).isEnabled()
    choose(dialog.range, "selection")
    choose(dialog.format, "ogg")
    dialog.open_when_done.setChecked(False)
    paths = run(qtbot, dialog)
    info = sf.info(paths[0])
    assert paths[0].suffix == ".ogg" and info.format == "OGG" and abs(info.frames - RATE // 10) < 200
    assert dialog.opened_folders == []


def test_errors_are_shown_and_the_dialog_stays_usable(qtbot, opened, tmp_path):
    empty = Sketch(sample_rate=RATE, tracks=[Track()])
    dialog = opened(empty)
    assert not dialog.range.model().item(1).isEnabled() and not dialog.range.model().item(2).isEnabled()
    with qtbot.waitSignal(dialog.failed, timeout=TIMEOUT_MS) as failure:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert "nothing to export" in failure.args[0]
    assert "Export failed" in dialog.status.text() and dialog.export_button.isEnabled()
    assert list(tmp_path.iterdir()) == []


def test_the_render_uses_a_snapshot_so_edits_after_export_do_not_leak_in(qtbot, opened):
    sketch = panned_sketch()
    dialog = opened(sketch)
    choose(dialog.format, "wav32f")
    request = dialog.request()
    sketch.tracks[0].pan = 1.0  # an edit after pressing Export
    assert request.sketch.tracks[0].pan == -1.0 and request.sketch.tracks[0] is not sketch.tracks[0]


@pytest.mark.parametrize("stems", [False, True])
def test_an_export_cancelled_between_blocks_stops_there_and_writes_nothing(tmp_path, stems):
    import threading

    from sketchpad.sketch import ExportOptions, plan_export
    from sketchpad.ui.common.jobs import JobCancelled, JobContext
    from sketchpad.ui.files.export_job import ExportRequest, export_job

    sketch = Sketch(sample_rate=RATE, tracks=[Track(name=f"T{n}") for n in range(2)])
    for track in sketch.tracks:
        track.clips.append(Clip(media(RATE * 20), start=0))
    cancel, reports = threading.Event(), []

    def heard(progress) -> None:
        reports.append(progress)
        if len(reports) == 3:  # the person presses Cancel while the third block renders
            cancel.set()

    target = tmp_path / ("stems" if stems else "mix.wav")
    plan = plan_export(sketch, target, stems, ExportOptions())
    steps = export_job(ExportRequest(sketch, plan))(JobContext(cancel, heard))
    with pytest.raises(JobCancelled):
        for step in steps:
            heard(step)
    assert 0 < reports[-1].done < reports[-1].total  # stopped part-way, not at the end
    assert not target.exists() or not any(target.iterdir())
    assert list(tmp_path.iterdir()) in ([], [target])


@pytest.mark.parametrize(("fmt", "stems"), [("wav24", False), ("flac", True)])
def test_a_full_disk_is_said_in_words_and_the_previous_file_stays(qtbot, opened, tmp_path, monkeypatch, fmt, stems):
    from tests.sketch.faults import failing_disk

    dialog = opened(panned_sketch())
    choose(dialog.format, fmt)
    choose(dialog.mode, stems)
    suffix = ".wav" if fmt == "wav24" else ".flac"
    previous = tmp_path / "Pan _ test" / f"01 Left tone{suffix}" if stems else tmp_path / f"Pan _ test{suffix}"
    previous.parent.mkdir(exist_ok=True)
    previous.write_bytes(b"the export before")
    opened_files = failing_disk(monkeypatch, room=4096)
    with qtbot.waitSignal(dialog.failed, timeout=TIMEOUT_MS) as failure:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
        answer(qtbot, dialog, "Replace")  # the previous file is there: the dialog asks first
    message = failure.args[0]
    assert message.startswith("the disk is full: ") and f"needed for {previous.name}" in message
    assert "Free some space or choose another folder" in message and "Assertion" not in message
    assert dialog.status.text() == f"Export failed: {message}" and dialog.export_button.isEnabled()
    assert previous.read_bytes() == b"the export before" and not any(p.exists() for p in opened_files)
    assert sorted(p.name for p in previous.parent.iterdir()) == [previous.name]


def test_a_long_title_gives_a_name_that_fits(qtbot, opened, tmp_path):
    sketch = panned_sketch()
    sketch.title = "歌" * 100  # 300 bytes
    dialog = opened(sketch)
    choose(dialog.mode, True)
    paths = run(qtbot, dialog)
    assert len(paths) == 1 and len(paths[0].parent.name.encode()) <= 120


def refused(qtbot, dialog: ExportDialog) -> str:
    with qtbot.waitSignal(dialog.failed, timeout=TIMEOUT_MS) as failure:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.job is None and dialog.question is None and dialog.export_button.isEnabled()
    return failure.args[0]


def test_an_existing_mix_is_replaced_only_when_the_person_says_so(qtbot, opened, tmp_path):
    previous = tmp_path / "Pan _ test.wav"
    previous.write_bytes(b"the export before")
    dialog = opened(panned_sketch())
    assert dialog.target.text() == str(previous)  # the file that will be written, suffix and all
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    said = answer(qtbot, dialog, "Cancel")
    assert said == f"Pan _ test.wav already exists in {tmp_path}. Replace it?"
    assert previous.read_bytes() == b"the export before" and dialog.job is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Pan _ test.wav"] and dialog.opened_folders == []
    assert dialog.status.text() == "Not exported: the existing files are as they were."
    with qtbot.waitSignal(dialog.exported, timeout=TIMEOUT_MS) as done:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
        answer(qtbot, dialog, "Replace")
    assert done.args[0] == [previous] and sf.info(str(previous)).frames == RATE


def test_closing_the_dialog_while_it_asks_replaces_nothing(qtbot, opened, tmp_path):
    previous = tmp_path / "Pan _ test.wav"
    previous.write_bytes(b"the export before")
    dialog = opened(panned_sketch())
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    question = dialog.question
    assert question is not None and question.isVisible()
    dialog.reject()
    assert dialog.question is None and dialog.job is None and not question.isVisible()
    qtbot.wait(50)
    assert previous.read_bytes() == b"the export before"


def test_existing_stems_are_named_in_the_question_and_other_files_stay(qtbot, opened, tmp_path):
    sketch = panned_sketch()
    sketch.tracks[1].mute = False
    folder = tmp_path / "Pan _ test"
    folder.mkdir()
    for name in ("02 Noise.flac", "notes.txt"):
        (folder / name).write_bytes(b"before")
    dialog = opened(sketch)
    choose(dialog.mode, True)
    choose(dialog.format, "flac")
    assert dialog.target.text() == str(folder)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    said = answer(qtbot, dialog, "Cancel")
    assert said.startswith(f"1 of these stems already exists in {folder}: 02 Noise.flac. Replace it?")
    assert sorted(p.name for p in folder.iterdir()) == ["02 Noise.flac", "notes.txt"]
    assert (folder / "02 Noise.flac").read_bytes() == b"before"
    with qtbot.waitSignal(dialog.exported, timeout=TIMEOUT_MS):
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
        answer(qtbot, dialog, "Replace")
    assert sorted(p.name for p in folder.iterdir()) == ["01 Left tone.flac", "02 Noise.flac", "notes.txt"]
    assert sf.info(str(folder / "02 Noise.flac")).format == "FLAC" and (folder / "notes.txt").read_bytes() == b"before"


def test_a_folder_for_the_mix_and_a_file_for_the_stems_are_refused_with_the_reason(qtbot, opened, tmp_path):
    dialog = opened(panned_sketch())
    choose(dialog.format, "flac")
    exports = tmp_path / "exports"
    exports.mkdir()
    for typed, folder in ((str(exports), exports), (f"{tmp_path / 'new'}/", tmp_path / "new")):
        dialog.target.setText(typed)
        message = refused(qtbot, dialog)
        assert message == (f"{folder} is a folder, but the mix is one file. Name the file (for example "
                           f"{folder / 'mix.flac'}), or export stems into the folder.")
        assert dialog.status.text() == f"Export failed: {message}"
    choose(dialog.mode, True)
    taken = tmp_path / "taken.wav"
    taken.write_bytes(b"a mix")
    dialog.target.setText(str(taken))
    assert refused(qtbot, dialog).startswith("taken.wav is a file, but stems go into a folder, one file per track")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["exports", "taken.wav"] and not any(exports.iterdir())


def test_errors_never_show_pythons_own_text(qtbot, opened, tmp_path, monkeypatch):
    dialog = opened(panned_sketch())
    messages = []
    for typed in ("", "   ", "~no-such-user-here/mix"):
        dialog.target.setText(typed)
        messages.append(refused(qtbot, dialog))
    assert messages[0] == messages[1] == "no place to export to: choose a file for the mix"
    assert messages[2].startswith("there is no home folder ~no-such-user-here on this computer")
    blocker = tmp_path / "a file"
    blocker.write_bytes(b"")
    dialog.target.setText(str(blocker / "mix"))  # its folder would be a file
    messages.append(refused(qtbot, dialog))
    assert messages[-1] == f"a file already exists in {tmp_path} and is not a folder. Choose another name."

    def broken_encoder(*_args, **_kwargs):
        raise RuntimeError("Error opening <_io.BytesIO object at 0x7f00>: ")

    monkeypatch.setattr("sketchpad.sketch.export.sf.SoundFile", broken_encoder)  # exports stream through one
    dialog.target.setText(str(tmp_path / "mix"))
    messages.append(refused(qtbot, dialog))
    assert messages[-1] == (f"mix.wav in {tmp_path} could not be written: the wav24 encoder failed (RuntimeError). "
                            "Try again, or choose another format.")
    for message in messages:
        assert not any(raw in message for raw in ("Errno", "PosixPath", "<_io", "Traceback", "Error opening"))


def test_mp3_at_the_chosen_bitrate(qtbot, opened, tmp_path):
    sketch = panned_sketch()
    sketch.tracks[0].clips[0] = Clip(ClipMedia(RATE, {"source": tone(RATE * 3)}), start=0, name="tone")
    dialog = opened(sketch)
    assert not dialog.bitrate.isEnabled()  # WAV has no bitrate
    choose(dialog.format, "mp3")
    assert dialog.bitrate.isEnabled() and dialog.bitrate.currentData() == 320
    assert dialog.target.text() == str(tmp_path / "Pan _ test.mp3")
    sizes = {}
    for kbps in (128, 320):
        choose(dialog.bitrate, kbps)
        dialog.target.setText(str(tmp_path / f"at {kbps}"))
        (path,) = run(qtbot, dialog)
        info = sf.info(str(path))
        assert path.name == f"at {kbps}.mp3" and (info.format, info.frames) == ("MP3", RATE * 3)
        sizes[kbps] = path.stat().st_size
        assert kbps <= sizes[kbps] * 8 / 3 / 1000 < kbps * 1.05  # the bitrate asked for, measured
    choose(dialog.format, "flac")
    assert not dialog.bitrate.isEnabled() and dialog.target.text() == str(tmp_path / "at 320.flac")


def test_switching_mode_and_format_shows_what_will_be_written(qtbot, opened, tmp_path):
    dialog = opened(panned_sketch())
    choose(dialog.format, "ogg")
    assert dialog.target.text() == str(tmp_path / "Pan _ test.ogg")
    choose(dialog.mode, True)
    assert dialog.target.text() == str(tmp_path / "Pan _ test")
    choose(dialog.mode, False)
    dialog.target.setText(str(tmp_path / "Take 1.5"))  # a dot that is not a suffix stays
    choose(dialog.format, "wav16")
    assert dialog.target.text() == str(tmp_path / "Take 1.5.wav")
    dialog.target.setText("relative")  # inside the dialog's folder
    assert run(qtbot, dialog) == [tmp_path / "relative.wav"]


def test_the_dialog_remembers_format_mode_range_bitrate_and_folder(qtbot, opened, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    elsewhere = tmp_path / "exports"
    first = opened(panned_sketch(), folder=None, settings=settings)
    assert first.format.currentData() == "wav24" and first.range.currentData() == "all"
    choose(first.format, "flac")
    choose(first.mode, True)
    choose(first.range, "loop")
    first.target.setText(str(elsewhere / "Song"))
    first.reject()
    assert not settings.contains("export/format")  # nothing is remembered before an export succeeds
    second = opened(panned_sketch(), folder=None, settings=settings)
    choose(second.format, "flac")
    choose(second.mode, True)
    choose(second.range, "loop")
    second.target.setText(str(elsewhere / "Song"))
    choose(second.bitrate, 128)  # kept for MP3 even when this export is FLAC
    run(qtbot, second)
    second.reject()
    settings.sync()
    again = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)  # as after a restart
    restored = opened(panned_sketch(), folder=None, settings=again)
    assert (restored.format.currentData(), restored.mode.currentData(), restored.range.currentData()) == (
        "flac", True, "loop")
    assert restored.bitrate.currentData() == 128
    assert restored.target.text() == str(elsewhere / "Pan _ test")  # the sketch has no folder of its own
    own = tmp_path / "songs"
    no_loop = panned_sketch()
    no_loop.loop = None
    placed = opened(no_loop, folder=own, settings=again)
    assert placed.range.currentData() == "all"  # no loop here: everything
    assert placed.target.text() == str(own / "Pan _ test")  # the sketch's own folder comes first
