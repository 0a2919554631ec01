"""Every take is kept with the sketch on the real window: saved and shown again when the sketch is opened,
autosaved and recovered after a crash, cleared by New, never undone by Ctrl+Z, and never marked saved by
a save that started before it arrived."""

from __future__ import annotations

import json
import zipfile

import numpy as np
from PySide6.QtWidgets import QMessageBox

from sketchpad.sketch import AUDIO_TOLERANCE, load_sketch
from tests.ui.conftest import GENERATE_TIMEOUT_MS, generate, make_window


def texts(window) -> list[str]:
    """The list's rows, first lines only: "Request 1: 2 takes", "Take 1/2: prompt", …"""
    return [window.takes.list.item(row).text().split("\n")[0] for row in range(window.takes.list.count())]


def test_takes_are_saved_with_the_sketch_and_shown_again_when_it_is_opened(qtbot, window, tmp_path):
    results = generate(qtbot, window, prompt="rainy piano", variations=2)
    sketch = window.document.sketch
    kept = sketch.takes
    assert [(k.name, k.group, k.variation, k.variations) for k in kept] == [("Take 1/2", 1, 0, 2),
                                                                            ("Take 2/2", 1, 1, 2)]
    assert (kept[1].media.tokens == results[1].tokens).all() and kept[1].media.params["prompt"] == "rainy piano"
    assert window.takes.current.result is results[0]  # the very result the engine sent, current
    assert window.document.is_dirty and window.windowTitle() == "Untitled* — Sketchpad"
    window.takes.add_button.click()
    assert sketch.tracks[0].clips[0].media is kept[0].media  # the clip shares the take's audio
    with qtbot.waitSignal(window.files.saved):
        window.files.save_to(tmp_path / "takes")
    with zipfile.ZipFile(tmp_path / "takes.sketch") as bundle:
        document = json.loads(bundle.read("sketch.json"))
    assert len(document["media"]) == 2  # two takes, one of them also a clip: each stored once

    window.files.new()
    assert window.document.sketch.takes == [] and window.takes.takes == {} and texts(window) == []
    assert window.waveform.take is None
    with qtbot.waitSignal(window.files.opened):
        window.files.open_path(tmp_path / "takes.sketch")
    reopened = window.document.sketch
    assert [(k.id, k.name) for k in reopened.takes] == [(k.id, k.name) for k in kept]
    assert texts(window) == ["Request 1: 2 takes", "Take 1/2: rainy piano", "Take 2/2: rainy piano"]
    assert reopened.takes[0].media is reopened.tracks[0].clips[0].media
    np.testing.assert_allclose(reopened.takes[1].media.audio["encodec"], results[1].audio, atol=4 * AUDIO_TOLERANCE)

    # A reopened take is a take like any other: shown, placed (sharing its media), and numbered on from.
    window.takes.list.setCurrentRow(2)
    take = window.takes.current
    assert window.waveform.take is take and take.prompt == "rainy piano" and take.label == "Take 2/2"
    assert (take.result.tokens == results[1].tokens).all() and take.result.sample_rate == results[1].sample_rate
    window.takes.add_button.click()
    assert reopened.tracks[0].clips[1].media is reopened.takes[1].media
    generate(qtbot, window, prompt="second thought")
    assert [k.group for k in reopened.takes] == [1, 1, 2]
    assert texts(window)[3:] == ["Request 2: 1 take", "Take: second thought"]
    assert window.takes.current.prompt == "second thought"  # the newest take becomes current


def test_takes_are_autosaved_and_come_back_after_a_crash(qtbot, window, settings, engine_service, tmp_path,
                                                         monkeypatch):
    generate(qtbot, window, prompt="first idea")
    with qtbot.waitSignal(window.autosave.autosaved):
        assert window.autosave.autosave() is not None
    generate(qtbot, window, prompt="second idea")  # no undo step between the two autosaves
    with qtbot.waitSignal(window.autosave.autosaved):
        assert window.autosave.autosave() is not None, "the second take is not in the autosave"
    expected = [(k.id, k.name, k.group) for k in window.document.sketch.takes]

    # "Crash": a new window over the same data folder offers the autosave back, takes and all.
    monkeypatch.setattr(QMessageBox, "question", lambda *_args: QMessageBox.StandardButton.Yes)
    second = make_window(settings, engine_service, tmp_path)
    qtbot.addWidget(second)
    with qtbot.waitSignal(second.files.opened, timeout=10_000):
        second.autosave.offer_recovery()
    assert [(k.id, k.name, k.group) for k in second.document.sketch.takes] == expected
    assert texts(second) == ["Request 1: 1 take", "Take: first idea", "Request 2: 1 take", "Take: second idea"]
    assert second.document.is_dirty
    second.close()


def test_undo_after_generating_undoes_the_last_edit_and_keeps_the_take(qtbot, window, tmp_path):
    window.timeline.add_track()  # the person's last edit before generating
    generate(qtbot, window, prompt="keep me")
    sketch, undo, redo = window.document.sketch, window.actions["undo"], window.actions["redo"]
    take_id = sketch.takes[0].id
    assert undo.text() == "Undo Add track"  # not "New takes": the take is no step of the history
    undo.trigger()
    assert sketch.tracks == [] and [k.id for k in sketch.takes] == [take_id]
    assert not undo.isEnabled() and texts(window) == ["Request 1: 1 take", "Take: keep me"]
    redo.trigger()
    assert len(sketch.tracks) == 1 and [k.id for k in sketch.takes] == [take_id]

    # Saved, then a take arrives: unsaved, and going back to the saved step does not make it saved.
    with qtbot.waitSignal(window.files.saved):
        window.files.save_to(tmp_path / "song")
    assert not window.document.is_dirty
    generate(qtbot, window, prompt="after saving")
    assert window.document.is_dirty and window.windowTitle() == "song* — Sketchpad"
    undo.trigger()
    redo.trigger()
    assert window.document.is_dirty and len(sketch.takes) == 2


def test_a_take_arriving_while_a_save_runs_leaves_the_sketch_unsaved(qtbot, window, tmp_path):
    results = generate(qtbot, window, prompt="saved one")
    with qtbot.waitSignal(window.files.saved):
        window.files.save_to(tmp_path / "race")  # the snapshot is taken now, the file written on its thread
        window.keeper.keep(results)  # …and a take arrives before that save is done
    assert window.document.is_dirty and window.windowTitle() == "race* — Sketchpad"
    assert len(load_sketch(tmp_path / "race.sketch").takes) == 1 and len(window.document.sketch.takes) == 2
    with qtbot.waitSignal(window.files.saved):
        window.files.save()
    assert not window.document.is_dirty and len(load_sketch(tmp_path / "race.sketch").takes) == 2


def test_the_keeper_hears_the_generation_itself_without_a_window(qtbot, settings, engine_service, tiny_models,
                                                                  tmp_path):
    """The parts subscribe where they meet: nothing relays the takes from the generation to the keeper."""
    from sketchpad.ui.files.document import SketchDocument
    from sketchpad.ui.generate.controller import GenerationController
    from sketchpad.ui.generate.idea_panel import IdeaPanel
    from sketchpad.ui.takes.keeper import TakeKeeper
    from sketchpad.ui.takes.panel import TakesPanel

    engine_service.start()  # again, if a test crashed it on purpose
    idea, takes, document = IdeaPanel(tmp_path / "takes"), TakesPanel(), SketchDocument()
    qtbot.addWidget(idea)
    qtbot.addWidget(takes)
    generation = GenerationController(idea, engine_service, settings)
    keeper = TakeKeeper(document, takes, generation)
    idea.models.select(str(tiny_models.mono))
    idea.prompt.setPlainText("warm lofi piano")
    idea.duration.setValue(0.5)
    with qtbot.waitSignal(generation.takes_ready, timeout=GENERATE_TIMEOUT_MS):
        generation.generate()
    assert len(document.sketch.takes) == 1 and takes.current is not None
    assert takes.current.id == document.sketch.takes[0].id
    keeper.detach()
