"""A prompt written in sections ("0:05 loud rock drums" on its own line) on the real window and engine:
the request carries the sections, the take's waveform marks where the prompt changes, and so does the
clip once placed."""

from __future__ import annotations

from PySide6.QtCore import Qt

from sketchpad.ui.arrangement.timeline.block_image import section_frames
from tests.ui.conftest import GENERATE_TIMEOUT_MS


def test_sections_in_the_prompt_change_it_and_are_marked_on_the_take_and_the_clip(qtbot, window, tiny_models):
    window.idea.models.select(str(tiny_models.short_window))  # a 4 s window: a 9 s take has four windows
    window.idea.prompt.setPlainText("0:00 calm piano intro\n0:05 loud rock drums")
    window.idea.duration.setValue(9.0)
    with qtbot.waitSignal(window.generation.takes_ready, timeout=GENERATE_TIMEOUT_MS) as done:
        qtbot.keyClick(window.idea.prompt, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    request = window.generation.last_request
    assert request.prompts == ("calm piano intro",) and request.sections == ((0.0, "calm piano intro"),
                                                                              (5.0, "loud rock drums"))
    assert window.takes.current.result is done.args[1][0]  # the new take is selected and shown
    take = window.takes.current
    assert window.waveform.view.marks == [(0.0, "0:00 calm piano intro"), (6.4, "0:06.4 loud rock drums")]
    window.arrangement.add_take(take, None)
    (clip,) = [clip for _track, clip in window.document.sketch.iter_clips()]
    assert section_frames(clip) == [round(6.4 * 32000)]
