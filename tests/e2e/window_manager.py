"""A real X screen with a real window manager (Xvfb and openbox), and what the window manager made of a
window, read from outside the app (xwininfo, xprop, xdotool), as a person's desktop would place it.

Offscreen and bare Xvfb have no title bar: a window that fits there may still overflow a desktop by its
frame. These helpers let the tests see the frame."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

TOOLS = ("Xvfb", "openbox", "xdotool", "xwininfo", "xprop")


def missing_tools() -> list[str]:
    return [tool for tool in TOOLS if shutil.which(tool) is None]


@dataclass(frozen=True)
class Rect:
    x: int
    y: int
    width: int
    height: int

    def contains(self, other: Rect) -> bool:
        return (self.x <= other.x and self.y <= other.y and other.x + other.width <= self.x + self.width
                and other.y + other.height <= self.y + self.height)


def _x(display: str, *command: str) -> str:
    return subprocess.run(command, env={**os.environ, "DISPLAY": display}, capture_output=True, text=True,
                          timeout=20, check=True).stdout


@contextmanager
def framed_display(width: int, height: int) -> Iterator[str]:
    """An X display of `width`×`height` with openbox managing its windows; yields its name (":N")."""
    read, write = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", f"{width}x{height}x24",
                               "-nolisten", "tcp"], pass_fds=(write,), stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    os.close(write)
    manager = None
    try:
        with os.fdopen(read) as answer:
            display = f":{answer.readline().strip()}"
        manager = subprocess.Popen(["openbox"], env={**os.environ, "DISPLAY": display},
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while "_NET_SUPPORTING_WM_CHECK(WINDOW)" not in _x(display, "xprop", "-root", "_NET_SUPPORTING_WM_CHECK"):
            assert manager.poll() is None, "openbox ended at once"
            assert time.monotonic() < deadline, "openbox did not start managing the screen"
            time.sleep(0.1)
        yield display
    finally:
        for process in (manager, server):
            if process is not None:
                process.terminate()
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


def work_area(display: str) -> Rect:
    """Where windows may go: the screen less panels (_NET_WORKAREA, which openbox keeps)."""
    numbers = [int(n) for n in re.findall(r"\d+", _x(display, "xprop", "-root", "_NET_WORKAREA").split("=")[1])]
    return Rect(*numbers[:4])


def frame_of(display: str, window_id: int) -> Rect:
    """The window's frame as the window manager drew it: the client's place and size, widened by the
    title bar and borders the manager reports (_NET_FRAME_EXTENTS: left, right, top, bottom)."""
    info = _x(display, "xwininfo", "-id", str(window_id))
    field = {name: int(re.search(rf"{name}:\s+(-?\d+)", info).group(1))
             for name in ("Absolute upper-left X", "Absolute upper-left Y", "Width", "Height")}
    extents = _x(display, "xprop", "-id", str(window_id), "_NET_FRAME_EXTENTS")
    left, right, top, bottom = (int(n) for n in re.findall(r"\d+", extents.split("=")[1]))
    return Rect(field["Absolute upper-left X"] - left, field["Absolute upper-left Y"] - top,
                field["Width"] + left + right, field["Height"] + top + bottom)


def windows_named(display: str, name: str) -> list[int]:
    """Visible windows whose title holds `name` (xdotool search)."""
    found = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", name],
                           env={**os.environ, "DISPLAY": display}, capture_output=True, text=True, timeout=20)
    return [int(line) for line in found.stdout.split()]
