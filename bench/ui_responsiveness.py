"""The window's event loop while the engine starts, loads a model and generates, the app launched as
a person launches it (`sketchpad`, in a fresh process that never imports torch).

A driver (tests/e2e/drivers/responsiveness.py) waits for the window to settle, opens the tiny model
folder, presses Generate for DURATION_S seconds of audio and keeps a 10 ms timer on the GUI thread
that records its own lateness until the take is in the list. Prints `ui_max_gap_ms` and
`ui_p99_gap_ms` (lateness beyond the timer's interval) over engine start + model load + generation.
Set SKETCHPAD_BENCH_RUNS for several launches (the worst of each figure is printed).

`ui_startup_max_gap_ms` and its stalls cover the window's first seconds, from its first event until its
pyqtgraph views are built (the engine process starts in that time too). `--busy` starts a second
process that keeps one core busy for the whole run, as another program would (it stops by itself
after `--busy-seconds`, and is ended with the run).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _tiny import offline_world, tiny_model  # noqa: E402

DURATION_S = 10.0


SPIN = "import time\nend = time.monotonic() + {seconds}\nwhile time.monotonic() < end:\n    pass\n"


@contextmanager
def one_core_busy(seconds: float | None):
    """A process spinning on one core for at most `seconds` (None: no such process)."""
    if seconds is None:
        yield
        return
    spinner = subprocess.Popen([sys.executable, "-c", SPIN.format(seconds=float(seconds))])
    try:
        yield
    finally:
        spinner.kill()
        spinner.wait()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--busy", action="store_true", help="keep one core busy with a spinning process")
    parser.add_argument("--busy-seconds", type=float, default=300.0, help="the spinner's own limit")
    args = parser.parse_args()
    world = offline_world()
    folder = tiny_model(world)
    print(f"busy: {str(args.busy).lower()}")
    worst: dict[str, float] = {"max_gap_ms": 0.0, "p99_gap_ms": 0.0, "startup_max_gap_ms": 0.0}
    with one_core_busy(args.busy_seconds if args.busy else None):
        for index in range(int(os.environ.get("SKETCHPAD_BENCH_RUNS", "1"))):
            launch(world, folder, index, worst)
    print(f"ui_max_gap_ms: {worst['max_gap_ms']:.1f}")
    print(f"ui_p99_gap_ms: {worst['p99_gap_ms']:.1f}")
    print(f"ui_startup_max_gap_ms: {worst['startup_max_gap_ms']:.1f}")


def launch(world: Path, folder: Path, index: int, worst: dict[str, float]) -> None:
    """One launch of the app with the responsiveness driver; its figures folded into `worst`."""
    from tests.e2e.launching import Launcher

    launcher = Launcher(Path(tempfile.mkdtemp(prefix="ui-", dir=world)))
    launcher.settings(offline="true", compute_device=os.environ.get("SKETCHPAD_DEVICE", "cpu"))
    run = launcher.start("responsiveness", model=str(folder), duration=DURATION_S)
    if run.wait() != 0 or not run.report.get("ok"):
        raise SystemExit(f"the app failed: {run.report.get('error') or run.output()[-3000:]}")
    report = run.report
    ui, startup = report["ui"], report["startup"]
    print(f"# run {index + 1}: {ui['ticks']} ticks over {report['seconds']:.1f} s (engine start, load and "
          f"{DURATION_S:g} s of audio on {report['device']}); stalls over 30 ms at [s, ms]: {ui['stalls']}")
    print(f"# run {index + 1}: the window's first {startup['seconds']:.1f} s: stalls over 30 ms at [s, ms]: "
          f"{startup['stalls']}")
    for key in ("max_gap_ms", "p99_gap_ms"):
        worst[key] = max(worst[key], ui[key])
    worst["startup_max_gap_ms"] = max(worst["startup_max_gap_ms"], startup["max_gap_ms"])

if __name__ == "__main__":
    main()
