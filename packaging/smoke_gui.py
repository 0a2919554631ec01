"""Start the bundled app on a private X server and time how long its window takes to appear.

Xvfb plus xwininfo see the window from outside, so the app needs no test-only flag. Without Xvfb the
app runs on Qt's offscreen platform and the check is weaker: still alive after a grace period.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

WINDOW_TITLE = "Sketchpad"


@contextmanager
def virtual_display() -> Iterator[str | None]:
    """A fresh Xvfb display (its name, e.g. ':57'), or None when Xvfb is not installed."""
    if shutil.which("Xvfb") is None or shutil.which("xwininfo") is None:
        yield None
        return
    read_fd, write_fd = os.pipe()
    # -displayfd: Xvfb picks a free display number and writes it to us once it accepts clients.
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    try:
        with os.fdopen(read_fd) as pipe:
            number = pipe.readline().strip()
        if not number:
            raise RuntimeError("Xvfb did not start")
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def _window_id(display: str) -> str | None:
    """The id of the app's main window once it is on screen, else None."""
    tree = subprocess.run(
        ["xwininfo", "-root", "-tree", "-display", display], capture_output=True, text=True, check=False
    ).stdout
    # Lines read `0x... "title": ("instance" "Class")  WxH+X+Y ...`. Qt also makes a 1x1 leader window with
    # the bare application name and no class; the main window has a class and a title such as
    # "Untitled — Sketchpad" (the sketch's name, then the application's).
    for line in tree.splitlines():
        if f'{WINDOW_TITLE}": ("' in line:
            window = line.split()[0]
            state = subprocess.run(
                ["xwininfo", "-id", window, "-display", display], capture_output=True, text=True, check=False
            ).stdout
            if "IsViewable" in state:
                return window
    return None


def _wm_class(display: str) -> str:
    """The window's WM_CLASS: what a .desktop entry's StartupWMClass must match."""
    window = _window_id(display)
    if window is None or shutil.which("xprop") is None:
        return "unknown"
    done = subprocess.run(["xprop", "-display", display, "-id", window, "WM_CLASS"], capture_output=True, text=True)
    return done.stdout.partition("=")[2].strip() or "unknown"


def start_gui(program: Path, env: dict[str, str], cwd: Path, *, timeout: float = 120.0, linger: float = 5.0) -> dict:
    """Run `program` with no arguments (the GUI); returns {'platform', 'window_seconds', 'wm_class', 'stderr'}.

    With SKETCHPAD_DRIVER in `env` the driver ends the app itself: this waits for that (up to 10 min)."""
    with virtual_display() as display:
        env = dict(env)
        if display is None:
            env["QT_QPA_PLATFORM"] = "offscreen"
        else:
            env["QT_QPA_PLATFORM"] = "xcb"
            env["DISPLAY"] = display
        started = time.perf_counter()
        log = cwd / "gui-stderr.txt"
        with log.open("w") as errors:
            # a packaged app runs a driver file only when its command line asks too
            command = [str(program), *(["--allow-driver"] if "SKETCHPAD_DRIVER" in env else [])]
            app = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=errors)
            try:
                shown_after = _wait_for_window(app, display, started, timeout, linger)
                wm_class = "unknown" if display is None else _wm_class(display)
                if "SKETCHPAD_DRIVER" in env:
                    if app.wait(timeout=600) != 0:
                        raise RuntimeError(f"the driven app exited with {app.returncode}")
                else:
                    # Stay up a little longer: the engine process starts after the first paint.
                    time.sleep(linger)
                    if app.poll() is not None:
                        raise RuntimeError(f"the app exited ({app.returncode}) after showing its window")
            finally:
                if app.poll() is None:
                    app.terminate()
                    try:
                        app.wait(timeout=15)
                    except subprocess.TimeoutExpired:
                        app.kill()
                        app.wait()
        stderr = log.read_text(errors="replace")
        if "Traceback" in stderr:
            raise RuntimeError(f"the app printed a traceback:\n{stderr[-4000:]}")
        platform = env["QT_QPA_PLATFORM"]
        return {"platform": platform, "window_seconds": shown_after, "wm_class": wm_class, "stderr": stderr}


def _wait_for_window(
    app: subprocess.Popen, display: str | None, started: float, timeout: float, linger: float
) -> float:
    while time.perf_counter() - started < timeout:
        if app.poll() is not None:
            raise RuntimeError(f"the app exited ({app.returncode}) before showing a window")
        if display is None:
            if time.perf_counter() - started > linger:  # offscreen: alive is all we can see
                return time.perf_counter() - started
        elif _window_id(display) is not None:
            return time.perf_counter() - started
        time.sleep(0.1)
    raise RuntimeError(f"no '{WINDOW_TITLE}' window within {timeout:.0f} s")
