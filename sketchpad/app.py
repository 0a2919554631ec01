"""The Qt application: show the main window first, then start the engine process beside it.

This process never imports torch (see ui/engine_service.py for why). With SKETCHPAD_DRIVER naming a
Python file, that file's `drive(window)` runs once the window is up: how the end-to-end tests and the
screenshot script operate the app exactly as it is launched. Running a file an environment variable names
is said in the log every time, and a packaged (frozen) Sketchpad does it only when its command line asks
too (--allow-driver): a stray variable must not make a shipped program run code silently.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Mapping, Sequence

APP_NAME = "Sketchpad"
DRIVER_VARIABLE = "SKETCHPAD_DRIVER"
ALLOW_DRIVER_FLAG = "--allow-driver"
DESKTOP_ID = "io.github.sketchpad.Sketchpad"


log = logging.getLogger(__name__)


def driver_to_run(environ: Mapping[str, str], *, frozen: bool, allowed: bool) -> str | None:
    """The driver file SKETCHPAD_DRIVER names, if it may run (a warning in the log when it does); a frozen
    bundle refuses it (SystemExit, one line) unless `allowed` (--allow-driver on its command line)."""
    path = environ.get(DRIVER_VARIABLE)
    if not path:
        return None
    if frozen and not allowed:
        raise SystemExit(f"sketchpad: {DRIVER_VARIABLE} names a Python file to run; a packaged Sketchpad runs "
                         f"it only when started with {ALLOW_DRIVER_FLAG} too (or unset {DRIVER_VARIABLE})")
    log.warning("running the driver file %s (named by %s): it operates the window", path, DRIVER_VARIABLE)
    return path


def run_app(argv: Sequence[str], *, path: str | None = None, on_shown: Callable[[object], None] | None = None,
            allow_driver: bool = False) -> int:
    """Open the window (and the sketch at `path`) and run until it closes. `on_shown(window)` runs once it
    is on screen (benchmarks)."""
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s: %(message)s")
    driver = driver_to_run(os.environ, frozen=bool(getattr(sys, "frozen", False)), allowed=allow_driver)
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(list(argv))
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setDesktopFileName(DESKTOP_ID)  # Wayland and the taskbar match the window to the desktop entry

    from sketchpad.ui.common.preferences import load_preferences
    from sketchpad.ui.window.about import application_icon
    from sketchpad.ui.window.errors import ExceptionHook
    from sketchpad.ui.window.main_window import MainWindow

    settings = QSettings()
    load_preferences(settings).apply_environment()  # before anything reads the hub's cache location
    app.setWindowIcon(application_icon())
    window = MainWindow(settings)
    hook = ExceptionHook(lambda: window)
    hook.install()
    _quit_on_interrupt(app)
    window.show()
    if driver:
        on_shown = _load_driver(driver)
    if on_shown is not None:
        QTimer.singleShot(0, lambda: on_shown(window))
    QTimer.singleShot(0, window.start_engine)  # after the first paint: the engine starts while the person reads
    QTimer.singleShot(0, lambda: window.offer_recovery(path))
    code = app.exec()
    hook.uninstall()
    window.service.shutdown()  # closing the window did, unless it never closed (a signal, a driver)
    return code


def _load_driver(path: str) -> Callable[[object], None]:
    import importlib.util

    spec = importlib.util.spec_from_file_location("sketchpad_driver", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"sketchpad: {DRIVER_VARIABLE} names {path!r}, which is not a Python file")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.drive


def _quit_on_interrupt(app) -> None:
    """Ctrl+C in the terminal closes the window like Quit. Python only sees signals while it runs, so a
    slow timer lets the interpreter look in now and then."""
    import signal

    from PySide6.QtCore import QTimer

    signal.signal(signal.SIGINT, lambda *_: app.closeAllWindows())
    app._interrupt_timer = timer = QTimer(app)  # kept alive with the application
    timer.timeout.connect(lambda: None)
    timer.start(250)
