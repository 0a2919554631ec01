"""Small helpers the build and the smoke test share: where the bundle is, its size, copying it."""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUNDLE = ROOT / "dist" / "sketchpad"
PROGRAM_NAME = "sketchpad.exe" if sys.platform == "win32" else "sketchpad"


def folder_size_mib(path: Path) -> float:
    """MiB of every regular file under path, hard links counted once (what `du -s` reports)."""
    seen: set[tuple[int, int]] = set()
    total = 0
    for item in path.rglob("*"):
        if item.is_file() and not item.is_symlink():
            stat = item.stat()
            if (stat.st_dev, stat.st_ino) not in seen:
                seen.add((stat.st_dev, stat.st_ino))
                total += stat.st_size
    return total / 2**20


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:  # another filesystem, or links not allowed: a real copy
        shutil.copy2(source, target)


def copy_bundle(bundle: Path, target: Path) -> Path:
    """A copy of the bundle elsewhere, made of hard links where possible (a multi-GB bundle copies in seconds)."""
    shutil.copytree(bundle, target, symlinks=True, copy_function=_link_or_copy)
    return target


def offline_prefix() -> list[str]:
    """A command prefix that runs a program with no network at all, or [] where that is not allowed."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return []
    probe = subprocess.run([unshare, "--net", "--map-root-user", "true"], capture_output=True, check=False)
    if probe.returncode != 0:
        probe = subprocess.run([unshare, "--net", "true"], capture_output=True, check=False)
        return [unshare, "--net"] if probe.returncode == 0 else []
    return [unshare, "--net", "--map-root-user"]


def link_duplicate_libraries(bundle: Path) -> float:
    """Replace top-level copies of libraries that also sit in a package folder with links; returns MiB saved.

    PyInstaller collects torch/lib/libtorch_cpu.so (and friends) where torch loads them from, and again at
    the top level as a dependency of other extensions: over a gigabyte twice. A link is what PyInstaller
    makes itself when it can, and the loader sees the same file either way.
    """
    if sys.platform == "win32":  # links need privileges there; the copies stay
        return 0.0
    internal = bundle / "_internal"
    nested: dict[str, list[Path]] = {}
    for path in internal.rglob("*"):
        if path.parent != internal and path.is_file() and not path.is_symlink():
            nested.setdefault(path.name, []).append(path)
    saved = 0
    for top in sorted(internal.iterdir()):
        if not top.is_file() or top.is_symlink() or ".so" not in top.name and top.suffix != ".dylib":
            continue
        for twin in nested.get(top.name, []):
            if twin.stat().st_size == top.stat().st_size and filecmp.cmp(top, twin, shallow=False):
                saved += top.stat().st_size
                top.unlink()
                top.symlink_to(os.path.relpath(twin, internal))
                break
    return saved / 2**20
