"""Screenshots of the app in a few states, for docs/ and the README, taken from the app as launched.

Builds tiny offline models (as the tests do), starts `sketchpad` exactly as a person does, in a fresh
process with its own engine process, and lets scripts/screenshots_driver.py operate it and save the
pictures. Without a display it restarts itself under Xvfb (`xvfb-run`), so a real X server draws them:
    uv run python scripts/screenshots.py [output folder, default docs/]
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from _tiny import offline_world, tiny_model  # noqa: E402


def _under_xvfb() -> None:
    if os.environ.get("DISPLAY") or os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        return
    runner = shutil.which("xvfb-run")
    if runner is None:
        raise SystemExit("No display and no xvfb-run: install xvfb, or set QT_QPA_PLATFORM=offscreen.")
    command = [runner, "-a", "-s", "-screen 0 1600x1000x24", sys.executable, *sys.argv]
    raise SystemExit(subprocess.call(command))


def main() -> None:
    _under_xvfb()
    out = (Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs").resolve()
    out.mkdir(parents=True, exist_ok=True)
    world = offline_world()
    mono = tiny_model(world, "tiny-musicgen")
    melody = tiny_model(world, "tiny-musicgen-melody", melody=True)  # also lays htdemucs in the cache: stems
    short = tiny_model(world, "tiny-musicgen-4s", segment_duration=4.0)  # windows to change the prompt across
    from tests.e2e.launching import Launcher

    launcher = Launcher(world / "app")
    launcher.home.mkdir()
    launcher.settings(offline="true", compute_device="cpu")
    platform = os.environ.get("QT_QPA_PLATFORM") or ("xcb" if os.environ.get("DISPLAY") else "offscreen")
    run = launcher.start(ROOT / "scripts" / "screenshots_driver.py", env={"QT_QPA_PLATFORM": platform},
                         out=str(out), mono=str(mono), melody=str(melody), short=str(short))
    if run.wait() != 0 or not run.report.get("ok"):
        raise SystemExit(f"the app failed: {run.report.get('error') or run.output()[-3000:]}")
    for path in run.report["shots"]:
        print(path)


if __name__ == "__main__":
    main()
