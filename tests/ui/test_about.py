"""The About dialog states the licences plainly, above all the weights' non-commercial terms."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from sketchpad import __version__
from sketchpad.ui.window.about import AboutDialog, application_icon, show_about


def test_about_names_the_code_and_weights_licences(qtbot) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    text = dialog.text()
    assert f"Sketchpad {__version__}" in text
    assert "MIT licence" in text
    assert "CC-BY-NC 4.0" in text
    assert "MusicGen and MultiBand Diffusion model weights" in text
    assert "for non-commercial use only" in text


def test_about_lists_third_party_notices(qtbot) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    text = dialog.text()
    for component in ("PySide6", "PyTorch", "audiocraft", "transformers", "LGPL-3.0", "Apache-2.0"):
        assert component in text


def test_show_about_opens_without_blocking_and_closes(qtbot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    dialog = show_about(parent)
    qtbot.waitExposed(dialog)
    assert dialog.isVisible() and dialog.isModal()
    assert dialog.windowTitle() == "About Sketchpad"
    with qtbot.waitSignal(dialog.destroyed):  # WA_DeleteOnClose: closing frees it
        dialog.reject()


def test_application_icon_has_every_size(qtbot) -> None:
    sizes = {(size.width(), size.height()) for size in application_icon().availableSizes()}
    assert {(16, 16), (48, 48), (256, 256), (512, 512)} <= sizes
