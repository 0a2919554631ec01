"""Inside the app (loaded through SKETCHPAD_DRIVER by scripts/screenshots.py): the scenes of the
screenshots in docs/, made by operating the window as launched, and saved as PNG files."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "e2e" / "drivers"))
import _path  # noqa: E402,F401 - our `tests` package ahead of a dependency's
from PySide6.QtWidgets import QApplication  # noqa: E402

from tests.e2e.driving import params, pause, run, wait_until  # noqa: E402

SIZE = (1360, 860)
SMALL_SCREENS = ((1280, 720), (1024, 768))


def _hum(seconds: float = 3.0, rate: int = 44100):
    import numpy as np

    t = np.arange(int(seconds * rate)) / rate
    notes = 220.0 * 2 ** (np.floor(t * 2) % 5 / 12)  # a little five-note figure
    tone = 0.4 * np.sin(2 * np.pi * np.cumsum(notes) / rate) * np.minimum(1, (t % 0.5) * 20)
    return np.concatenate([np.zeros(rate // 3), tone, np.zeros(rate // 2)]).astype(np.float32)[None, :], rate


def _arrange(window, samples_rate) -> None:
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
    hum = Path(params()["home"]) / "hummed-figure.wav"
    sf.write(hum, samples[0], hum_rate)
    imported: list = []
    window.arrangement.imported.connect(imported.append)
    window.arrangement.import_files([str(hum)], None, 2 * rate)
    wait_until(lambda: imported, "the imported hum")
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
    pause(250)


def scenes(window, report: dict) -> None:
    p = params()
    out = Path(p["out"])
    QApplication.setStyle("Fusion")
    window.resize(*SIZE)
    wait_until(lambda: window.service.is_ready and window.waveform.view is not None, "the engine", timeout=300)
    shots: list[str] = []

    def shot(name: str, widget=None) -> None:
        pause(200)
        path = out / name
        (widget or window).grab().save(str(path))
        shots.append(str(path))

    shot("main-window.png")
    window.idea.models.select(p["mono"])
    window.idea.prompt.setPlainText("warm lo-fi piano with soft brushed drums, 80 bpm")
    window.idea.variations.setValue(3)
    window.idea.duration.setValue(8.0)
    window.generation.generate()
    wait_until(lambda: len(window.takes.takes) == 3, "three takes", timeout=300)
    window.takes.add_requested.emit(window.takes.current)
    kept = window.document.sketch.takes
    window.takes.rename_requested.emit(kept[0].id, "Verse piano")
    window.takes.star_requested.emit(kept[0].id, True)
    window.waveform.view.set_selection(2.0, 5.0)
    window.waveform.view.set_playhead(3.2)
    shot("takes-and-waveform.png")
    _arrange(window, samples_rate=_hum(6.0))
    shot("arrangement.png")
    shot("arrangement-view.png", window.timeline.parentWidget().parentWidget())
    for width, height in SMALL_SCREENS:  # the same sketch on a laptop's screen: everything still in view
        window.resize(width, height)
        shot(f"main-window-{width}x{height}.png")
    window.resize(*SIZE)

    hum_clip = window.document.sketch.tracks[2].clips[0].id  # the imported hum: split into stems
    window.timeline.select_clips([hum_clip])
    window.actions["split_stems"].trigger()
    wait_until(lambda: window.document.sketch.clip(hum_clip).muted, "the stems", timeout=300)
    window.timeline.zoom_to_fit()
    shot("stems.png", window.timeline.parentWidget().parentWidget())

    window.idea.models.select(p["short"])  # a prompt in sections; the take marks where it changes
    window.idea.variations.setValue(1)
    window.idea.prompt.setPlainText("0:00 soft piano intro\n0:05 full band with drums\n0:09 strings only")
    window.idea.duration.setValue(12.0)
    takes = len(window.takes.takes)
    window.generation.generate()
    wait_until(lambda: len(window.takes.takes) > takes, "the take in sections", timeout=300)
    shot("prompt-sections.png")

    window.idea.models.select(p["melody"])
    samples, rate = _hum()
    window.idea.melody.set_source(samples, rate, "hummed-figure.wav")
    window.idea.duration.setValue(240.0)
    window.idea.variations.setValue(1)
    window.idea.advanced_toggle.setChecked(True)
    window.idea.prompt.setPlainText("bright strings and ukulele following the hummed melody")
    progress: list[int] = []
    job = window.generation.generate()
    job.progress.connect(lambda step: progress.append(step.done * 100 // max(step.total, 1))
                         if step.stage == "Generating" else None)
    wait_until(lambda: progress and progress[-1] >= 35, "the melody generation under way", timeout=600)
    window.idea.scroll.ensureWidgetVisible(window.idea.melody)  # the hum in its slot, under the settings
    shot("generating-with-melody.png")
    window.generation.cancel()
    wait_until(lambda: not window.generation.busy, "the cancel")

    dialog = window.open_preferences()
    shot("preferences.png", dialog)
    dialog.reject()
    window.document.undo_stack.setClean()  # the demo sketch is not kept: no question on closing
    report["shots"] = shots


def drive(window) -> None:
    run(window, scenes)
