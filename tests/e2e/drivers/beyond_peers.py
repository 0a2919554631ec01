"""Stems, loops, prompt sections and the tempo of an import, in the app as launched: import a groove and take
its tempo in one click; a take whose prompt changes at 0:05 (marked on its waveform); a one-bar loop placed
and dragged to repeat; the imported clip split into stems; an export of it all."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import _path  # noqa: E402,F401
from PySide6.QtCore import QPoint, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402

from tests.e2e.driving import click, export_with_dialog, params, run, type_text, wait_until  # noqa: E402


def scenario(window, report: dict) -> None:
    p = params()
    sketch = lambda: window.document.sketch  # noqa: E731 - the open sketch, whichever it is
    wait_until(lambda: window.service.is_ready, "the engine", timeout=300)

    window.arrangement.import_files([p["groove"]], None, 0)
    wait_until(lambda: window.banner.action_button.isVisible(), "the tempo offer", timeout=120)
    report["offer"] = window.banner.text
    click(window.banner.action_button)
    report["tempo"], report["metre"] = sketch().tempo, list(sketch().metre)

    window.idea.models.select(p["sections_model"])
    window.idea.prompt.setPlainText("")
    type_text(window.idea.prompt, "0:00 calm piano intro")
    QTest.keyClick(window.idea.prompt, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    type_text(window.idea.prompt, "0:05 loud rock drums")
    window.idea.duration.setValue(9.0)
    takes = len(window.takes.takes)
    click(window.idea.generate_button)
    wait_until(lambda: len(window.takes.takes) > takes, "the sectioned take", timeout=300)
    report["marks"] = window.waveform.view.marks

    window.idea.models.select(p["model"])
    window.idea.prompt.setPlainText("")
    type_text(window.idea.prompt, "drum loop")
    click(window.idea.loop)
    window.idea.bars.setValue(1)
    takes = len(window.takes.takes)
    click(window.idea.generate_button)
    wait_until(lambda: len(window.takes.takes) > takes, "the loop", timeout=300)
    loop_take = window.takes.current
    report["loop_frames"] = loop_take.result.audio.shape[1]
    click(window.takes.add_button)
    loop_clip = next(clip for _, clip in sketch().iter_clips() if clip.media.params.get("loop"))
    view = window.timeline.view
    edge = QPoint(round(view.viewport_x(loop_clip.end)) - 2, 40 + ROW * sketch().track_index(
        sketch().find_clip(loop_clip.id)[0].id) - view.verticalScrollBar().value())
    far = QPoint(round(view.viewport_x(loop_clip.end + 2 * loop_clip.length)), edge.y())
    QTest.mousePress(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ShiftModifier, edge)
    for step in range(1, 9):
        QTest.mouseMove(view.viewport(), edge + (far - edge) * (step / 8))
    QTest.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ShiftModifier, far)
    report["loop_starts"] = sorted(clip.start for _, clip in sketch().iter_clips() if clip.media is loop_clip.media)

    groove = next(clip for _, clip in sketch().iter_clips() if clip.media.origin == "imported")
    window.timeline.select_clips([groove.id])
    tracks = len(sketch().tracks)
    window.actions["split_stems"].trigger()
    wait_until(lambda: len(sketch().tracks) == tracks + 4, "the stems", timeout=300)
    report["tracks"] = [track.name for track in sketch().tracks]
    report["groove_muted"] = sketch().clip(groove.id).muted
    report["exported"] = export_with_dialog(window, str(Path(p["home"]) / "all.wav"))


ROW = 0  # set from the timeline's geometry below


def drive(window) -> None:
    global ROW
    from sketchpad.ui.arrangement.timeline.geometry import ROW_HEIGHT

    ROW = ROW_HEIGHT
    run(window, scenario)
