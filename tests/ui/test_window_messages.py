"""What the window says, and when: a folder that is not a model refused when chosen, the network tried
for a model not on disk (said at once, with how long it waits), a stale banner cleared once its cause
is put right, how long a request will take here, and no raw Python text."""

from __future__ import annotations

import sys
from dataclasses import replace

from sketchpad.ui.common import preferences as stored
from sketchpad.ui.generate import model_picker
from sketchpad.ui.generate.estimate import describe
from sketchpad.ui.window import errors
from sketchpad.ui.window.errors import ExceptionHook
from tests.ui.conftest import GENERATE_TIMEOUT_MS, broken_model, generate, hum_file, make_window


def _open_folder_item(picker) -> int:
    return picker.findData(model_picker.OPEN_FOLDER)


def test_a_folder_that_is_not_a_model_is_refused_when_chosen(qtbot, window, tiny_models, tmp_path, monkeypatch):
    picker = window.idea.models
    half = tmp_path / "half-a-model"
    half.mkdir()
    (half / "state_dict.bin").write_bytes(b"weights")
    monkeypatch.setattr(model_picker.QFileDialog, "getExistingDirectory", lambda *args, **kwargs: str(half))
    picker.setCurrentIndex(_open_folder_item(picker))
    picker.activated.emit(_open_folder_item(picker))  # the person picks "Open model folder..."
    assert "half-a-model is not a model folder" in window.banner.text
    assert "compression_state_dict.bin" in window.banner.text and "lacks state_dict.bin" not in window.banner.text
    assert picker.model == str(tiny_models.mono.resolve())  # the choice before stays
    assert picker.findData(str(half.resolve())) < 0

    parent = tmp_path / "models"
    parent.mkdir()
    (parent / "mine").symlink_to(tiny_models.mono, target_is_directory=True)
    assert not picker.choose_folder(str(parent))
    assert "holds model folders (mine)" in window.banner.text and "Preferences" in window.banner.text
    assert picker.choose_folder(str(parent / "mine"))
    assert window.banner.text == ""  # choosing a model puts the refusal right


def test_without_offline_mode_the_network_is_announced_at_once_and_the_failure_clears(qtbot, window, tiny_models,
                                                                                    monkeypatch):
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)  # as a person's machine: offline mode is a preference
    monkeypatch.delenv("HF_HUB_ETAG_TIMEOUT", raising=False)
    window.idea.models.select("facebook/musicgen-small")  # not in the tests' cache
    window.idea.prompt.setPlainText("earthy tones, ukulele")
    window.idea.generate_button.click()
    job = window.generation.job
    assert window.banner.kind == "info"  # said before the engine has even looked
    assert "Trying the network" in window.banner.text and "musicgen-small (1.8 GB)" in window.banner.text
    assert "about 10 s per file" in window.banner.text
    with qtbot.waitSignal(job.finished, timeout=GENERATE_TIMEOUT_MS):
        pass  # the tests' engine is offline: it refuses, as it would after the timeout without a network
    assert window.banner.kind == "error" and "musicgen-small" in window.banner.text
    window.idea.models.select(str(tiny_models.mono))  # a model that works
    assert window.banner.text == ""


def test_offline_mode_or_a_model_on_disk_announces_no_network(qtbot, window, tiny_models, monkeypatch):
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    notices = []
    window.generation.notice.connect(notices.append)
    generate(qtbot, window, duration=1.0)  # a model folder, its text encoder in the cache: nothing to fetch
    window.apply_preferences(replace(window.prefs, offline=True))
    window.idea.models.select("facebook/musicgen-small")
    window.idea.generate_button.click()
    with qtbot.waitSignal(window.generation.job.finished, timeout=GENERATE_TIMEOUT_MS):
        pass
    assert notices == [] and "offline mode is on" in window.banner.text


def test_a_load_failure_clears_when_another_model_is_chosen_and_other_problems_stay(qtbot, window, tiny_models,
                                                                                    tmp_path):
    broken = broken_model(tmp_path)
    window.idea.models.select(str(broken))
    window.idea.prompt.setPlainText("anything")
    window.idea.generate_button.click()
    with qtbot.waitSignal(window.generation.job.finished, timeout=GENERATE_TIMEOUT_MS):
        pass
    assert "Generation failed" in window.banner.text and window.banner.cause == "model"
    window.idea.models.select(str(tiny_models.mono))
    assert window.banner.text == ""

    window.show_problem("Cannot play: no sound output.")  # not the model's doing: a new model leaves it
    window.idea.models.select(str(tiny_models.melody))
    assert "Cannot play" in window.banner.text


def test_a_failure_after_the_model_loaded_is_the_generation_s_not_the_model_s(qtbot, window, tiny_models, tmp_path):
    """Told by the engine's own word for the job (its model loaded), not by the progress text: a silent
    melody fails after loading, and choosing another model would not put it right."""
    window.idea.models.select(str(tiny_models.melody))
    slot = window.idea.melody
    with qtbot.waitSignal(slot.import_file(hum_file(tmp_path)).result, timeout=10_000):
        pass
    slot.wave.set_selection(0.0, 0.2)  # the silence before the hum
    failures = []
    window.generation.failed.connect(lambda message, cause: failures.append(cause))
    window.idea.prompt.setPlainText("anything")
    window.idea.generate_button.click()
    with qtbot.waitSignal(window.generation.job.finished, timeout=GENERATE_TIMEOUT_MS):
        pass
    assert failures == ["generation"] and "melody cannot be used" in window.banner.text
    assert window.banner.cause == "generation"


def test_the_estimate_comes_from_this_computers_measured_pace_and_survives_a_restart(
        qtbot, window, settings, engine_service, tiny_models, tmp_path):
    model = str(tiny_models.mono.resolve())
    assert window.idea.estimate.isHidden()  # nothing measured yet: no guess
    generate(qtbot, window, duration=1.0, variations=2)
    pace = stored.load_speeds(settings)[model]
    assert pace > 0
    window.idea.duration.setValue(240.0)
    window.idea.variations.setValue(1)
    expected = describe(pace * 240.0)
    assert window.idea.estimate.isVisible()
    assert window.idea.estimate.text() == f"{expected.capitalize()} on this computer"
    window.close()

    again = make_window(settings, engine_service, tmp_path)
    qtbot.addWidget(again)
    again.show()
    again.idea.models.select(model)
    assert again.idea.estimate.text() == f"{expected.capitalize()} on this computer"  # 240 s remembered too
    again.idea.prompt.setPlainText("a long ambient pad")
    again.idea.generate_button.click()
    assert expected in again.idea.progress.stage.text()  # said again as it starts
    again.generation.cancel()
    qtbot.waitUntil(lambda: not again.generation.busy, timeout=GENERATE_TIMEOUT_MS)


def test_the_estimate_says_minutes_and_hours_as_a_person_would():
    assert describe(3) == "about 5 s" and describe(41) == "about 40 s"
    assert describe(100) == "about 2 min" and describe(59 * 60) == "about 59 min"
    assert describe(3600) == "about 1 h" and describe(4800) == "about 1 h 20 min"


def test_an_error_log_that_cannot_be_written_is_told_in_words(qtbot, window, monkeypatch):
    def refuse(_title, _details):
        raise PermissionError(13, "Permission denied", "/read-only/sketchpad-errors.log")

    monkeypatch.setattr(errors, "write_log", refuse)
    hook = ExceptionHook(lambda: window)
    try:
        raise RuntimeError("a bug in a slot")
    except RuntimeError:
        hook(*sys.exc_info())
    assert "[Errno" not in hook.last_message and "PermissionError" not in hook.last_message
    assert "/read-only/sketchpad-errors.log could not be written: permission denied" in hook.last_message
    hook.dialogs[-1].accept()


def test_an_unexpected_system_error_is_shown_in_words(qtbot, window):
    hook = ExceptionHook(lambda: window)
    try:
        raise FileExistsError(17, "File exists", "/sketches/idea.sketch")
    except FileExistsError:
        hook(*sys.exc_info())
    assert "[Errno" not in hook.last_message
    assert hook.last_message.startswith("Something went wrong: File exists: /sketches/idea.sketch")
    hook.dialogs[-1].accept()


def test_a_model_path_that_is_no_folder_is_said_in_words(tmp_path):
    not_a_folder = tmp_path / "model.bin"
    not_a_folder.write_bytes(b"x")
    assert model_picker.folder_problem(not_a_folder) == f"There is no folder at {not_a_folder}."
