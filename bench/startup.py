"""Process start to main window shown: `startup_ms`, the median of a few cold starts of the real app.

Each run starts a fresh interpreter that runs the same code as `uv run sketchpad` and reports the wall
clock once the window has been shown and painted; torch is not imported by then (it loads afterwards).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time

RUNS = 5
CHILD = """
import os, sys, time
from sketchpad.app import run_app

def shown(window):
    window.repaint()  # a complete, synchronous paint of the window before the clock is read
    sys.stdout.write(f"{time.time():.6f}\\n")
    sys.stdout.flush()
    os._exit(0)  # the engine is still importing torch on its worker; the measurement is done

run_app(sys.argv[:1], on_shown=shown)
"""


def one_start(env: dict[str, str]) -> float:
    began = time.time()
    done = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, env=env, timeout=120)
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    if done.returncode != 0 or not lines:
        raise SystemExit(f"the app did not start: {done.stderr[-2000:]}")
    return (float(lines[-1]) - began) * 1000


def main() -> None:
    world = tempfile.mkdtemp(prefix="sketchpad-startup-")
    env = {**os.environ, "XDG_CONFIG_HOME": world, "XDG_DATA_HOME": world, "HF_HUB_OFFLINE": "1"}
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    one_start(env)  # warm the OS file cache, as a second launch would be
    times = [one_start(env) for _ in range(RUNS)]
    print(f"# runs: {', '.join(f'{t:.0f}' for t in times)} ms")
    print(f"startup_ms: {statistics.median(times):.0f}")


if __name__ == "__main__":
    main()
