"""The window's event loop while the engine starts, loads a model and generates, the app launched as
a person launches it (`sketchpad`, in a fresh process that never imports torch).

A driver (tests/e2e/drivers/responsiveness.py) waits for the window to settle, opens the tiny model
folder, presses Generate for DURATION_S seconds of audio and keeps a 10 ms timer on the GUI thread
that records its own lateness until the take is in the list. Prints `ui_max_gap_ms` and
`ui_p99_gap_ms` (lateness beyond the timer's interval) over engine start + model load + generation.
Set SKETCHPAD_BENCH_RUNS for several launches (the worst of each figure is printed).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _tiny import offline_world, tiny_model  # noqa: E402

DURATION_S = 10.0


def main() -> None:
    world = offline_world()
    folder = tiny_model(world)
    from tests.e2e.launching import Launcher

    worst: dict[str, float] = {"max_gap_ms": 0.0, "p99_gap_ms": 0.0}
    for index in range(int(os.environ.get("SKETCHPAD_BENCH_RUNS", "1"))):
        launcher = Launcher(Path(tempfile.mkdtemp(prefix="ui-", dir=world)))
        launcher.settings(offline="true", compute_device=os.environ.get("SKETCHPAD_DEVICE", "cpu"))
        run = launcher.start("responsiveness", model=str(folder), duration=DURATION_S)
        if run.wait() != 0 or not run.report.get("ok"):
            raise SystemExit(f"the app failed: {run.report.get('error') or run.output()[-3000:]}")
        report = run.report
        ui = report["ui"]
        print(f"# run {index + 1}: {ui['ticks']} ticks over {report['seconds']:.1f} s (engine start, load and "
              f"{DURATION_S:g} s of audio on {report['device']}); stalls over 30 ms at [s, ms]: {ui['stalls']}")
        for key in worst:
            worst[key] = max(worst[key], ui[key])
    print(f"ui_max_gap_ms: {worst['max_gap_ms']:.1f}")
    print(f"ui_p99_gap_ms: {worst['p99_gap_ms']:.1f}")


if __name__ == "__main__":
    main()
