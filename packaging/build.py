"""Build the one-folder bundle: `uv run python packaging/build.py [--clean] [-- spec options]`.

PyInstaller is not a project dependency: it is layered over the project's environment for this one
command with `uv run --with`, so pyproject.toml and uv.lock stay as they are. The bundle lands in
dist/sketchpad/ (the program is dist/sketchpad/sketchpad, or sketchpad.exe; on macOS also Sketchpad.app).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

from packaging_tools import folder_size_mib, link_duplicate_libraries

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "packaging" / "sketchpad.spec"
DIST = ROOT / "dist"
WORK = ROOT / "build" / "pyinstaller"
PYINSTALLER = "pyinstaller>=6.11,<7"  # 6.11: torch's hook can keep its libraries out of symlink farms


def build(clean: bool, spec_options: list[str], *, sync: bool = True) -> Path:
    # --no-sync keeps a hand-installed torch (Windows CUDA wheels) that a sync would swap back.
    command = ["uv", "run", *([] if sync else ["--no-sync"]), "--with", PYINSTALLER]
    if sys.platform == "darwin":
        command += ["--with", "pillow"]  # turns the PNG icon into .icns when no .icns is there
    command += [
        "pyinstaller", str(SPEC),
        "--noconfirm", "--distpath", str(DIST), "--workpath", str(WORK), "--log-level", "WARN",
    ]
    if clean:
        command.append("--clean")
    if spec_options:
        command += ["--", *spec_options]
    print("+", " ".join(command), flush=True)
    subprocess.run(command, cwd=ROOT, check=True)
    return DIST / "sketchpad"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clean", action="store_true", help="drop PyInstaller's cache and the old bundle first")
    parser.add_argument("--no-sync", action="store_true", help="build from the environment as it is (no uv sync)")
    parser.add_argument("spec_options", nargs="*", help="after --, options for the spec (e.g. --with-triton)")
    args = parser.parse_args(argv)
    if shutil.which("uv") is None:
        print("build.py: uv is needed (https://docs.astral.sh/uv/)", file=sys.stderr)
        return 2
    if args.clean:
        shutil.rmtree(DIST / "sketchpad", ignore_errors=True)
    started = time.perf_counter()
    bundle = build(args.clean, args.spec_options, sync=not args.no_sync)
    saved = link_duplicate_libraries(bundle)
    minutes = (time.perf_counter() - started) / 60
    print(f"duplicate_libraries_linked_mib: {saved:.0f}")
    print(f"bundle: {bundle}")
    print(f"build_minutes: {minutes:.1f}")
    print(f"bundle_size_mib: {folder_size_mib(bundle):.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
