"""Screenshots of the main window in a few states, for docs/ and the README.

Runs the real window with tiny offline models (built in a temporary folder, as the tests do). Without a
display it restarts itself under Xvfb (`xvfb-run`), so the pictures are drawn by a real X server:
    uv run python scripts/screenshots.py [output folder, default docs/]
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from _tiny import offline_world, tiny_model  # noqa: E402

SIZE = (1360, 860)


def _under_xvfb() -> None:
    if os.environ.get("DISPLAY") or os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        return
    runner = shutil.which("xvfb-run")
    if runner is None:
        raise SystemExit("No display and no xvfb-run: install xvfb, or set QT_QPA_PLATFORM=offscreen.")
    command = [runner, "-a", "-s", "-screen 0 1600x1000x24", sys.executable, *sys.argv]
    raise SystemExit(subprocess.call(command))


def _wait(app, condition, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit("timed out waiting for the window")
        app.processEvents()
        time.sleep(0.01)


def _hum(seconds: float = 3.0, rate: int = 44100):
    import numpy as np

    t = np.arange(int(seconds * rate)) / rate
    notes = 220.0 * 2 ** (np.floor(t * 2) % 5 / 12)  # a little five-note figure
    tone = 0.4 * np.sin(2 * np.pi * np.cumsum(notes) / rate) * np.minimum(1, (t % 0.5) * 20)
    return np.concatenate([np.zeros(rate // 3), tone, np.zeros(rate // 2)]).astype(np.float32)[None, :], rate


def _arrange(app, window, samples_rate) -> None:
    """Three tracks from the takes and an imported hum, panned apart, a loop, a selection and meters."""
    import soundfile as sf

    from sketchpad.sketch import SetLoop, SetTempo, SetTrackGain, SetTrackPan

    takes = list(window.takes.takes.values())
    sketch, timeline = window.document.sketch, window.timeline
    rate = sketch.sample_rate
    window.arrangement.add_take(takes[1], sketch.tracks[0].id, sketch.tracks[0].end + rate)
    second = timeline.add_track()
    window.arrangement.add_take(takes[2], second, 4 * rate)
    samples, hum_rate = samples_rate
    hum = Path(os.environ["XDG_DATA_HOME"]) / "hummed-figure.wav"
    sf.write(hum, samples[0], hum_rate)
    imported: list = []
    window.arrangement.imported.connect(imported.append)
    window.arrangement.import_files([str(hum)], None, 2 * rate)
    _wait(app, lambda: imported)
    names = ("Piano", "Brushes", "Hum")
    for track, name, pan, gain in zip(sketch.tracks, names, (-0.35, 0.6, -0.8), (0.0, -4.0, -2.0), strict=True):
        timeline.headers.headers[track.id].name.setText(name)
        timeline.headers.headers[track.id].name.editingFinished.emit()
        timeline.push(SetTrackPan(track.id, pan))
        timeline.push(SetTrackGain(track.id, gain))
    timeline.push(SetTempo(80.0))
    timeline.push(SetLoop((4 * rate, 12 * rate)))
    window.transport.loop.setChecked(True)
    timeline.zoom_to_fit()
    timeline.select_clips([sketch.tracks[1].clips[0].id])
    window.arrangement_playback.seek(int(6.5 * rate))
    from sketchpad.sketch import mixdown  # the meters show the mix around the playhead, as if playing

    start = int(6.0 * rate)
    mix = mixdown(sketch, start, start + rate // 2)
    for offset in range(0, mix.shape[1], 1024):
        window.stereo.feed(mix[:, offset:offset + 1024])
    for track in sketch.tracks:  # each track's own part of the mix, as the meters see it while playing
        solo = [t for t in sketch.tracks if t is not track]
        for other in solo:
            other.mute = True
        window.stereo.feed_track(track.id, mixdown(sketch, start, start + rate // 2))
        for other in solo:
            other.mute = False
    for _ in range(5):
        app.processEvents()
        time.sleep(0.05)


def main() -> None:
    _under_xvfb()
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs"
    out.mkdir(parents=True, exist_ok=True)
    world = offline_world()
    os.environ["XDG_CONFIG_HOME"] = os.environ["XDG_DATA_HOME"] = str(world / "xdg")
    mono = tiny_model(world, "tiny-musicgen")
    melody = tiny_model(world, "tiny-musicgen-melody", melody=True)

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    app.setApplicationName("Sketchpad")
    app.setStyle("Fusion")
    from sketchpad.engine.engine import Engine
    from sketchpad.ui.main_window import MainWindow

    window = MainWindow(QSettings(str(world / "settings.ini"), QSettings.Format.IniFormat),
                        engine_factory=lambda: Engine("cpu", offline=True))
    window.resize(*SIZE)
    window.show()
    window.start_engine()
    _wait(app, lambda: window.service.is_ready)

    def shot(name: str, widget=None) -> None:
        for _ in range(20):
            app.processEvents()
            time.sleep(0.01)
        path = out / name
        (widget or window).grab().save(str(path))
        print(path)

    shot("main-window.png")

    window.idea.models.select(str(mono))
    window.idea.prompt.setPlainText("warm lo-fi piano with soft brushed drums, 80 bpm")
    window.idea.variations.setValue(3)
    window.idea.duration.setValue(8.0)
    done: list[bool] = []
    window.generation.takes_ready.connect(lambda *_: done.append(True))
    window.generation.generate()
    _wait(app, lambda: done)
    window.takes.add_requested.emit(window.takes.current)
    window.waveform.view.set_selection(2.0, 5.0)
    window.waveform.view.set_playhead(3.2)
    shot("takes-and-waveform.png")
    _arrange(app, window, samples_rate=_hum(6.0))
    shot("arrangement.png")
    shot("arrangement-view.png", window.timeline.parentWidget().parentWidget())

    window.idea.models.select(str(melody))
    samples, rate = _hum()
    window.idea.melody.set_source(samples, rate, "hummed-figure.wav")
    window.idea.duration.setValue(240.0)
    window.idea.variations.setValue(1)
    window.idea.advanced_toggle.setChecked(True)
    window.idea.prompt.setPlainText("bright strings and ukulele following the hummed melody")
    progress: list[int] = []
    window.service.jobs.progress.connect(
        lambda _id, p: progress.append(p.done * 100 // max(p.total, 1)) if p.stage == "Generating" else None)
    window.generation.generate()
    _wait(app, lambda: progress and progress[-1] >= 35)
    shot("generating-with-melody.png")
    window.generation.cancel()
    _wait(app, lambda: not window.generation.busy)

    dialog = window.open_preferences()
    shot("preferences.png", dialog)
    dialog.reject()
    window.document.undo_stack.setClean()  # the demo sketch is not kept: no question on closing
    window.close()
    shutil.rmtree(world, ignore_errors=True)


if __name__ == "__main__":
    main()
