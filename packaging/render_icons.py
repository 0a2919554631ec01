"""Render resources/icons/sketchpad.svg to the PNG sizes desktops ask for (and .ico for Windows).

Run after editing the SVG: `uv run python packaging/render_icons.py`. Uses QtSvg from PySide6-Essentials,
so no extra tool is needed; the PNGs are committed so packaging needs no renderer.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ICONS = ROOT / "resources" / "icons"
SVG = ICONS / "sketchpad.svg"
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def png_path(size: int) -> Path:
    """Where the PNG of one size lives (hicolor-like names, flat in one folder)."""
    return ICONS / f"sketchpad-{size}.png"


def render(sizes: tuple[int, ...] = SIZES) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # QImage painting needs one
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"{SVG}: not a valid SVG")
    written = []
    for size in sizes:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        path = png_path(size)
        if not image.save(str(path), "PNG"):
            raise SystemExit(f"{path}: could not write")
        written.append(path)
    # Windows wants one .ico holding several sizes; Qt writes .ico from the largest it is given.
    image = QImage(str(png_path(256)))
    image.save(str(ICONS / "sketchpad.ico"), "ICO")
    return written


if __name__ == "__main__":
    for path in render():
        print(path.relative_to(ROOT))
