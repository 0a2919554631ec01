"""The About dialog: version, the code's licence, the model weights' licence, third-party notices.

The weights' licence is the one a musician most needs to know: it limits what they may do with the music.
"""

from __future__ import annotations

import html
import platform
import sys
from importlib import metadata
from pathlib import Path

from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QTextBrowser, QVBoxLayout, QWidget

from sketchpad import __version__

CODE_LICENCE = "MIT"
WEIGHTS_LICENCE = "CC-BY-NC 4.0"
WEIGHTS_LICENCE_URL = "https://creativecommons.org/licenses/by-nc/4.0/"

# (component, licence, why it is here). Curated rather than read from package metadata, whose licence
# fields are free text and often a whole licence.
THIRD_PARTY: tuple[tuple[str, str, str], ...] = (
    ("Qt 6 / PySide6", "LGPL-3.0", "the window and widgets"),
    ("pyqtgraph", "MIT", "waveforms and meters"),
    ("PyTorch, torchaudio", "BSD-3-Clause, BSD-2-Clause", "running the models"),
    ("audiocraft (code)", "MIT", "MusicGen and MultiBand Diffusion"),
    ("Hugging Face transformers, tokenizers, huggingface_hub", "Apache-2.0", "the T5 text encoder, model downloads"),
    ("t5-base weights (Google)", "Apache-2.0", "reading the prompt"),
    ("Demucs (code and htdemucs weights)", "MIT", "separating a hummed melody"),
    ("xFormers", "BSD-3-Clause", "attention helpers"),
    ("julius, einops, spaCy, sounddevice", "MIT", "resampling, tensors, text, audio devices"),
    ("librosa", "ISC", "chroma features of a melody"),
    ("NumPy, SciPy, scikit-learn, numba, PyAV", "BSD-3-Clause", "numerics and media decoding"),
    ("soundfile / libsndfile", "BSD-3-Clause / LGPL-2.1", "reading and writing audio files"),
    ("PortAudio", "MIT", "recording and playback"),
    ("soxr / libsoxr, FFmpeg (in PyAV)", "LGPL-2.1-or-later", "resampling, decoding compressed audio"),
    ("NVIDIA CUDA libraries (Linux and Windows GPU builds)", "NVIDIA proprietary (redistributable)", "GPU support"),
)


def resources_dir() -> Path:
    """resources/ beside the source tree, or inside a PyInstaller bundle (sys._MEIPASS)."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[3] / "resources"


def application_icon() -> QIcon:
    """The app's icon at every rendered size, for QApplication.setWindowIcon (window and taskbar)."""
    icon = QIcon()
    for path in sorted((resources_dir() / "icons").glob("sketchpad-*.png")):
        icon.addFile(str(path))
    return icon


def _version_of(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"


def versions() -> dict[str, str]:
    """What this copy runs on; read from package metadata so opening the dialog never imports torch."""
    return {
        "Sketchpad": __version__,
        "Python": platform.python_version(),
        "Qt": qVersion(),
        "PyTorch": _version_of("torch"),
        "audiocraft": _version_of("audiocraft"),
    }


def about_html() -> str:
    """The dialog's text, as rich text for a QTextBrowser."""
    rows = "".join(
        f"<tr><td>{html.escape(name)}</td><td>{html.escape(licence)}</td><td>{html.escape(use)}</td></tr>"
        for name, licence, use in THIRD_PARTY
    )
    running = ", ".join(f"{name} {html.escape(value)}" for name, value in versions().items())
    return f"""
<h3>Licences</h3>
<p><b>Sketchpad's code</b> is released under the <b>{CODE_LICENCE} licence</b>.</p>
<p><b>The MusicGen and MultiBand Diffusion model weights</b> are released by Meta under the licence
<b><a href="{WEIGHTS_LICENCE_URL}">{WEIGHTS_LICENCE}</a></b> (Creative Commons Attribution-NonCommercial).
<b>Music generated with these weights is for non-commercial use only.</b> You may not sell it or use it in
commercial work. Credit Meta's MusicGen when you share it.</p>
<p>The weights are not part of Sketchpad: they are downloaded from Hugging Face on first use, or read from a
model folder you choose, and their own licence travels with them.</p>
<h3>Third-party software</h3>
<table cellspacing="0" cellpadding="3">
<tr><th align="left">Component</th><th align="left">Licence</th><th align="left">Used for</th></tr>
{rows}
</table>
<p>Each Python package's licence text is in its <code>*.dist-info</code> folder (in the packaged app, under
<code>_internal</code>). Qt and the other LGPL libraries are linked dynamically, so you may replace them with
your own builds.</p>
<h3>This copy</h3>
<p>{running}</p>
"""


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About Sketchpad")
        self.setObjectName("aboutDialog")
        icon = QLabel()
        pixmap = QPixmap(str(resources_dir() / "icons" / "sketchpad-64.png"))
        if not pixmap.isNull():  # a missing icon must not keep the licences from showing
            icon.setPixmap(pixmap)
        self.title = QLabel(
            f"<h2>Sketchpad {html.escape(__version__)}</h2><p>A desktop music sketchpad built on MusicGen.</p>"
        )
        self.title.setTextFormat(Qt.TextFormat.RichText)
        header = QHBoxLayout()
        header.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        header.addWidget(self.title, 1)
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(True)
        self.browser.setHtml(about_html())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        self.resize(640, 560)

    def text(self) -> str:
        """Everything the dialog says, as plain text (tests, copying into a bug report)."""
        return f"Sketchpad {__version__}\n{self.browser.toPlainText()}"


def show_about(parent: QWidget | None = None) -> AboutDialog:
    """Open the About dialog window-modally without blocking; it deletes itself when closed."""
    dialog = AboutDialog(parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
