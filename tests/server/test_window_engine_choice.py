"""Preferences > Generate on, and what the window says when a server cannot be used: on the real widgets,
against the real `sketchpad serve` of the session (and an address where nothing listens)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import QSettings

from sketchpad.ui.common import preferences as stored
from sketchpad.ui.window.engine_choice import SERVER, EngineChoice
from tests.server.conftest import free_port, wait_until_serving

ANSWER_MS = 30_000


def _tested(qtbot, choice: EngineChoice) -> str:
    qtbot.addWidget(choice)
    choice.where.setCurrentIndex(choice.where.findData(SERVER))
    choice.test_button.click()
    qtbot.waitUntil(lambda: choice.test_button.isEnabled(), timeout=ANSWER_MS)
    return choice.result.text()


def test_test_connection_says_what_the_server_offers_or_why_not(qtbot, server):
    wait_until_serving(server)
    said = _tested(qtbot, EngineChoice(server.url, server.token))
    assert said.startswith(f"Connected to {server.url}:") and "3 models (tiny, tiny-stereo, tiny-melody)" in said
    assert "with MultiBand Diffusion" in said
    assert "token" in _tested(qtbot, EngineChoice(server.url, "wrong-token")).lower()
    nowhere = f"http://127.0.0.1:{free_port()}"
    assert "127.0.0.1" in _tested(qtbot, EngineChoice(nowhere, "")) and "Connected" not in _tested(
        qtbot, EngineChoice(nowhere, ""))
    assert "not a server address" in _tested(qtbot, EngineChoice("gpu box", ""))


@pytest.fixture
def own_settings(tmp_path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def test_an_unreachable_server_is_one_sentence_and_one_click_back_to_this_computer(qtbot, own_settings, tmp_path,
                                                                                     tiny_models):
    from sketchpad.ui.window.main_window import MainWindow

    stored.save_preferences(own_settings, replace(stored.Preferences(), engine_server=f"http://127.0.0.1:{free_port()}",
                                                  offline=True, compute_device="cpu"))
    window = MainWindow(own_settings, untitled=tmp_path / "Untitled.sketch")
    qtbot.addWidget(window)
    window.show()
    window.start_engine()
    qtbot.waitUntil(lambda: window.banner.action_button.isVisible(), timeout=ANSWER_MS)
    assert "could not start" in window.banner.text and "127.0.0.1" in window.banner.text
    assert window.banner.action_button.text() == "Generate on this computer"
    window.banner.action_button.click()
    qtbot.waitUntil(lambda: window.service.is_ready, timeout=240_000)
    assert window.prefs.engine_server == "" and window.service.pid is not None  # a local engine process
    assert window.statusBar().device.text().startswith("Generating on: This computer")
    window.service.shutdown()
    window.close()
