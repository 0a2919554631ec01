"""What survives a restart: the chosen model (folders too), duration, variations, advanced settings, the
window's size and splitters; a model folder as the default in Preferences; and a remembered folder
that is gone is said, not silently swapped for a 1.8 GB download."""

from __future__ import annotations

import shutil
from dataclasses import replace

from PySide6.QtCore import QSize

from sketchpad.engine import catalog
from sketchpad.ui.common import preferences as stored
from tests.ui.conftest import make_window


def _restart(qtbot, window, settings, engine_service, tmp_path):
    """Close `window` as a person quits, and open the window again on the same settings."""
    window.close()
    again = make_window(settings, engine_service, tmp_path)
    qtbot.addWidget(again)
    again.show()
    qtbot.wait(50)
    return again


def test_the_idea_panel_and_the_model_folder_survive_a_restart(qtbot, window, settings, engine_service,
                                                                 tiny_models, tmp_path):
    idea = window.idea
    idea.models.select(str(tiny_models.melody))
    idea.duration.setValue(7.5)
    idea.variations.setValue(3)
    idea.advanced_toggle.setChecked(True)
    idea.top_k.setValue(50)
    idea.top_p.setValue(0.9)
    idea.temperature.setValue(1.3)
    idea.guidance.setValue(4.5)
    idea.seed_lock.setChecked(True)
    idea.seed.setValue(4242)

    again = _restart(qtbot, window, settings, engine_service, tmp_path).idea
    assert again.models.model == str(tiny_models.melody.resolve())  # not musicgen-small, a 1.8 GB download
    assert (again.duration.value(), again.variations.value()) == (7.5, 3)
    assert (again.top_k.value(), again.top_p.value(), again.temperature.value(), again.guidance.value()) == (
        50, 0.9, 1.3, 4.5)
    assert again.seed_lock.isChecked() and again.seed.value() == 4242
    assert again.advanced_toggle.isChecked() and again.advanced.isVisible()


def test_the_window_size_and_splitters_survive_a_restart(qtbot, window, settings, engine_service, tmp_path):
    window.resize(790, 700)  # within the offscreen screen (800×800): a restored window never exceeds it
    qtbot.wait(20)
    main, arrangement = window.splitters["main"], window.splitters["arrangement"]
    main.setSizes([200, 440])
    arrangement.setSizes([sum(arrangement.sizes()), 0])  # the stereo view folded away
    kept_main = main.sizes()
    assert arrangement.sizes()[1] == 0

    again = _restart(qtbot, window, settings, engine_service, tmp_path)
    assert again.size() == QSize(790, 700)
    assert again.splitters["main"].sizes() == kept_main
    assert again.splitters["arrangement"].sizes()[1] == 0


def test_a_model_folder_can_be_the_default_in_preferences(qtbot, window, settings, engine_service, tiny_models,
                                                          tmp_path):
    window.idea.models.select(str(tiny_models.mono))  # the model used last...
    empty = tmp_path / "not-a-model"
    empty.mkdir()
    dialog = window.open_preferences()
    qtbot.waitExposed(dialog)
    assert dialog.default_model.findData(str(tiny_models.mono.resolve())) >= 0  # folders used before are offered
    assert not dialog.choose_default_folder(str(empty))
    assert "not a model folder" in dialog.default_problem.text() and "state_dict.bin" in dialog.default_problem.text()
    assert dialog.default_model.currentData() == ""  # the refused folder is not chosen
    assert dialog.choose_default_folder(str(tiny_models.melody))
    assert dialog.default_problem.isHidden()
    dialog.accept()
    assert window.prefs.default_model == str(tiny_models.melody.resolve())

    again = _restart(qtbot, window, settings, engine_service, tmp_path)  # ...but the default rules
    assert again.idea.models.model == str(tiny_models.melody.resolve())
    assert again.banner.text == ""


def test_a_remembered_folder_that_is_gone_is_said_and_replaced(qtbot, window, settings, engine_service, tiny_models,
                                                                tmp_path):
    moved = tmp_path / "my-finetune"
    shutil.copytree(tiny_models.mono, moved)
    window.idea.models.select(str(moved))
    window.close()
    shutil.rmtree(moved)
    again = make_window(settings, engine_service, tmp_path)
    qtbot.addWidget(again)
    again.show()
    assert again.idea.models.model == catalog.DEFAULT_MODEL
    assert "my-finetune" in again.banner.text and "musicgen-small is chosen instead" in again.banner.text
    again.idea.models.select(str(tiny_models.mono))
    assert again.banner.text == ""  # choosing another model puts it right


def test_preferences_round_trip_with_a_folder_default(settings, tiny_models):
    chosen = replace(stored.Preferences(), default_model=str(tiny_models.mono), offline=True)
    stored.save_preferences(settings, chosen)
    assert stored.load_preferences(settings) == chosen


def test_the_export_dialogs_choices_round_trip(settings, tmp_path):
    """The helpers the export dialog keeps its format, folder and range with."""
    assert stored.load_export_choices(settings) == stored.ExportChoices()
    chosen = stored.ExportChoices(format="flac", folder=str(tmp_path), range="loop", stems=True)
    stored.save_export_choices(settings, chosen)
    assert stored.load_export_choices(settings) == chosen


def test_unreadable_settings_fall_back_to_defaults(settings):
    settings.setValue("idea/duration", "twelve")
    settings.setValue("idea/variations", "nan")
    settings.setValue("generation/speeds", "{not json")
    choices = stored.load_idea(settings)
    assert choices is not None and choices.duration == 10.0 and choices.variations == 1
    assert stored.load_speeds(settings) == {}
