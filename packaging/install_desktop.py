"""Install Sketchpad's desktop integration on Linux (menu entry, icons, .sketch file type, AppStream data).

    uv run python packaging/install_desktop.py [--prefix ~/.local] [--bundle dist/sketchpad]

With --bundle, the bundle is copied to PREFIX/lib/sketchpad and PREFIX/bin/sketchpad links to it, so the
desktop entry's `Exec=sketchpad` finds it (PREFIX/bin must be on PATH). Distribution packagers use the same
layout under /usr.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP_ID = "io.github.sketchpad.Sketchpad"
LINUX = ROOT / "resources" / "linux"
ICONS = ROOT / "resources" / "icons"
ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def _put(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)


def install(prefix: Path, bundle: Path | None = None) -> list[Path]:
    """Copy the files into PREFIX/share (and the bundle into PREFIX/lib); returns what was written."""
    share = prefix / "share"
    placed = {
        share / "applications" / f"{APP_ID}.desktop": LINUX / f"{APP_ID}.desktop",
        share / "metainfo" / f"{APP_ID}.metainfo.xml": LINUX / f"{APP_ID}.metainfo.xml",
        share / "mime" / "packages" / f"{APP_ID}.xml": LINUX / f"{APP_ID}.mime.xml",
        share / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg": ICONS / "sketchpad.svg",
    }
    for size in ICON_SIZES:
        placed[share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"] = (
            ICONS / f"sketchpad-{size}.png"
        )
    for target, source in placed.items():
        _put(source, target)
    written = list(placed)
    if bundle is not None:
        home = prefix / "lib" / "sketchpad"
        shutil.rmtree(home, ignore_errors=True)
        shutil.copytree(bundle, home, symlinks=True)
        link = prefix / "bin" / "sketchpad"
        link.parent.mkdir(parents=True, exist_ok=True)
        link.unlink(missing_ok=True)
        link.symlink_to(home / "sketchpad")
        written += [home, link]
    _refresh_caches(share)
    return written


def _refresh_caches(share: Path) -> None:
    """Let the desktop notice the new file type and entry; each tool is optional."""
    for command in (
        ["update-mime-database", str(share / "mime")],
        ["update-desktop-database", str(share / "applications")],
        ["gtk-update-icon-cache", "--ignore-theme-index", str(share / "icons" / "hicolor")],
    ):
        if shutil.which(command[0]):
            subprocess.run(command, check=False, capture_output=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prefix", type=Path, default=Path.home() / ".local")
    parser.add_argument("--bundle", type=Path, help="a built bundle folder to install too (dist/sketchpad)")
    args = parser.parse_args(argv)
    for path in install(args.prefix.expanduser(), args.bundle):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
