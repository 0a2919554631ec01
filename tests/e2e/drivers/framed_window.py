"""Under a real window manager: say the window is up and framed, wait while the test measures its frame
from outside, then look at the idea panel as a person at this screen would: Record and Import in view
without scrolling, and File > Import Melody… bringing the melody slot into view from wherever the panel
was scrolled."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import _path  # noqa: E402,F401
from PySide6.QtCore import QPoint, QRect  # noqa: E402

from tests.e2e.driving import file_dialogs_answer, params, pause, run, wait_until  # noqa: E402
from tests.ui.fit_checks import wholly_visible  # noqa: E402


def _in_view(widget, viewport) -> bool:
    """Wholly inside the scroll area's viewport (what a person sees without scrolling)."""
    return viewport.rect().contains(QRect(widget.mapTo(viewport, QPoint(0, 0)), widget.size()))


def scenario(window, report: dict) -> None:
    p = params()
    home = Path(p["home"])
    wait_until(lambda: window.isVisible() and not (window.frameGeometry().size() - window.geometry().size()).isNull(),
               "the window manager to frame the window", timeout=60)
    pause(500)  # the window's own refit after framing
    (home / "shown.json").write_text(json.dumps({"window_id": int(window.winId())}))
    wait_until(lambda: (home / "measured").exists(), "the test to measure the frame", timeout=60)
    area = window.screen().availableGeometry()
    report["inside"] = {"frame": window.frameGeometry().getRect(), "area": area.getRect()}

    picker, slot, panel = window.idea.models, window.idea.melody, window.idea
    with file_dialogs_answer(p["model"]):  # a melody model: the slot's buttons are enabled
        picker.setCurrentIndex(picker.count() - 1)  # "Open model folder..."
        picker.activated.emit(picker.count() - 1)
    wait_until(lambda: slot.offered, "the melody model chosen", timeout=30)
    pause(100)
    viewport = panel.scroll.viewport()
    bar = panel.scroll.verticalScrollBar()
    bar.setValue(0)
    pause(50)
    report["without_scrolling"] = {name: _in_view(button, viewport) and wholly_visible(button) and button.isEnabled()
                                   for name, button in (("record", slot.record_button), ("import", slot.import_button))}

    panel.advanced_toggle.setChecked(True)  # more settings than fit: scrolled to the end, the melody is out of view
    pause(100)
    bar.setValue(bar.maximum())
    pause(50)
    report["scrolled_away"] = not _in_view(slot.record_button, viewport)
    with file_dialogs_answer(p["melody"]):
        window.actions["import_melody"].trigger()
    wait_until(lambda: slot.has_melody, "the melody in the slot", timeout=30)
    pause(200)
    report["after_import"] = {"status": slot.status.text(), "status_in_view": _in_view(slot.status, viewport),
                              "wave_in_view": _in_view(slot.wave, viewport),
                              "record_in_view": _in_view(slot.record_button, viewport)}
    window.grab().save(str(home / "framed.png"))


def drive(window) -> None:
    run(window, scenario)
