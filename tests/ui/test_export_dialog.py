"""The export dialog renders on its worker: the mix with a hard-left track, stems, ranges, rates,
formats, normalising, opening the folder, and errors shown in place."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf
from PySide6.QtCore import Qt

from sketchpad.sketch import Clip, Sketch, Track
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
        dialog = ExportDialog(sketch, folder=tmp_path, **kwargs)
        dialog.opened_folders = []
        dialog.open_folder = dialog.opened_folders.append
        qtbot.addWidget(dialog)
        dialog.show()
        return dialog

    return make


def choose(combo, data) -> None:
    combo.setCurrentIndex(combo.findData(data))


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

    from sketchpad.sketch import ExportOptions
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
    steps = export_job(ExportRequest(sketch, stems, target, ExportOptions()))(JobContext(cancel, heard))
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
