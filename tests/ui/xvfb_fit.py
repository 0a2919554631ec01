"""Run under Xvfb by test_fits_the_screen.py: the main window on a real X screen of a given size, as the
app opens it; prints what it saw as one JSON line and saves a screenshot.

    xvfb-run -a -s "-screen 0 1024x768x24" python -m tests.ui.xvfb_fit SETTINGS.ini SHOT.png
"""

from __future__ import annotations

import json
import sys
import time


def main(settings_path: str, shot: str) -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    app.setApplicationName("Sketchpad")
    app.setOrganizationName("Sketchpad")
    from sketchpad.ui.window.main_window import MainWindow
    from tests.ui.fit_checks import wholly_visible, widgets_outside

    window = MainWindow(QSettings(settings_path, QSettings.Format.IniFormat))
    window.show()
    window.waveform.build_view()  # what start_engine builds, without starting an engine
    window.stereo.build_goniometer()
    _settle(app)
    area = window.screen().availableGeometry()
    report = {"screen": area.getRect(), "opened": window.frameGeometry().getRect(),
              "opened_within": area.contains(window.frameGeometry())}
    window.setGeometry(area)  # as large as the screen allows, as a person maximising it would
    _settle(app)
    report.update(size=[window.width(), window.height()], outside=widgets_outside(window),
                  generate_visible=wholly_visible(window.idea.generate_button),
                  progress_visible=wholly_visible(window.idea.progress))
    window.grab().save(shot)
    window.close()
    print(json.dumps(report))


def _settle(app, seconds: float = 0.5) -> None:
    """Let the X server map and lay out the window (a real server answers asynchronously)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.02)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
