"""Starting the app exactly as a person does (the `sketchpad` console script) with a driver, for the
end-to-end tests, the benchmarks and the screenshot script alike.

Each launch is a fresh process (no torch imported there) with its own settings and data folders and a
driver file that the app loads because SKETCHPAD_DRIVER names it; the caller waits for the process
under a timeout, then reads the driver's report and the files the app wrote.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parents[2]
DRIVERS = Path(__file__).resolve().parent / "drivers"
APP_TIMEOUT_S = 420  # the engine's start (torch and audiocraft: ~9 s here, more on a busy CI machine) and the work


def console_script() -> Path:
    folder = Path(sys.executable).parent
    script = folder / ("sketchpad.exe" if sys.platform == "win32" else "sketchpad")
    assert script.exists(), f"the sketchpad console script is not installed in {folder}"
    return script


@dataclass
class AppRun:
    """One launch of the app: its process, its report and what it left behind."""

    process: subprocess.Popen[str]
    report_path: Path
    home: Path
    engine_pids: list[int] = field(default_factory=list)

    @property
    def report(self) -> dict[str, Any]:
        assert self.report_path.exists(), f"the driver wrote no report; the app said:\n{self.output()}"
        return json.loads(self.report_path.read_text())

    def output(self) -> str:
        return (self.home / "app-output.txt").read_text(errors="replace")

    def wait_for_file(self, path: Path, what: str, timeout: float) -> Path:
        """`path` once the running app (its driver) has written it; fails if the app ends first or it takes
        longer than `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while not path.exists():
            if self.process.poll() is not None or time.monotonic() > deadline:
                why = "the app ended" if self.process.poll() is not None else f"{timeout:g} s went by"
                raise AssertionError(f"{why} before {what}; the app said:\n{self.output()[-4000:]}")
            time.sleep(0.1)
        return path

    def wait(self, timeout: float = APP_TIMEOUT_S) -> int:
        try:
            code = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill_all()
            said = self.output()[-4000:]
            raise AssertionError(f"the app did not finish within {timeout} s; it said:\n{said}") from None
        return code

    def children(self) -> list[psutil.Process]:
        try:
            return psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return []

    def kill_all(self) -> None:
        for child in self.children():
            child.kill()
        self.process.kill()
        self.process.wait()


class Launcher:
    def __init__(self, home: Path) -> None:
        self.home = home
        self.config = home / "config"
        self.data = home / "data"
        self.runs: list[AppRun] = []

    def settings(self, **preferences: object) -> None:
        """Preferences as a person left them in an earlier session (QSettings' file on Linux)."""
        path = self.config / "Sketchpad" / "Sketchpad.conf"
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = ["[preferences]", *(f"{key}={value}" for key, value in preferences.items())]
        path.write_text("\n".join(lines) + "\n")

    def start(self, driver: str | Path, *args: str, env: dict[str, str] | None = None, **params: Any) -> AppRun:
        """Launch with the driver file `driver` (a name in tests/e2e/drivers, or a path); `params` reach it."""
        report = self.home / f"report-{len(self.runs)}.json"
        env = {**os.environ,
               "XDG_CONFIG_HOME": str(self.config), "XDG_DATA_HOME": str(self.data),
               "QT_QPA_PLATFORM": os.environ.get("SKETCHPAD_E2E_PLATFORM", "offscreen"),
               "SKETCHPAD_DRIVER": str(driver if isinstance(driver, Path) else DRIVERS / f"{driver}.py"),
               "SKETCHPAD_E2E": json.dumps({"report": str(report), "home": str(self.home), **params}),
               **(env or {})}
        output = open(self.home / "app-output.txt", "a")  # noqa: SIM115 - the child's; closed below
        process = subprocess.Popen([str(console_script()), *args], env=env, cwd=self.home, stdin=subprocess.DEVNULL,
                                   stdout=output, stderr=subprocess.STDOUT, text=True)
        output.close()
        run = AppRun(process, report, self.home)
        self.runs.append(run)
        return run

    def engine_of(self, run: AppRun, timeout: float = 60) -> psutil.Process:
        """The engine process the app started (python -m sketchpad.engine_host)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for child in run.children():
                try:
                    if "sketchpad.engine_host" in " ".join(child.cmdline()):
                        run.engine_pids.append(child.pid)
                        return child
                except psutil.NoSuchProcess:
                    continue
            time.sleep(0.1)
        raise AssertionError("the app started no engine process")




def engine_alive(pid: int) -> bool:
    return psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
