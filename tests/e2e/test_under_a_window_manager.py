"""The app under a real window manager (Xvfb with openbox): its frame, title bar included, lies within the
screen at 1280×720 and 1024×768, measured from outside as the desktop sees it; at those sizes the melody's
Record and Import are in view without scrolling, and File > Import Melody… brings the slot into view."""

from __future__ import annotations

import json

import pytest
import soundfile as sf

from tests.audio.conftest import hum
from tests.e2e.conftest import assert_no_orphans
from tests.e2e.window_manager import frame_of, framed_display, missing_tools, windows_named, work_area

SCREENS = [(1280, 720), (1024, 768)]


@pytest.mark.skipif(bool(missing_tools()), reason=f"needs {', '.join(missing_tools())} (installed in CI)")
@pytest.mark.parametrize("size", SCREENS, ids=lambda size: f"{size[0]}x{size[1]}")
def test_the_framed_window_fits_and_the_melody_is_in_reach(launcher, tiny_models, size):
    launcher.settings(offline="true", compute_device="cpu")
    melody = launcher.home / "hum.wav"
    sf.write(melody, hum(1.5, lead=0.3, tail=0.5, rate=44100), 44100, subtype="PCM_16")
    with framed_display(*size) as display:
        run = launcher.start("framed_window", env={"QT_QPA_PLATFORM": "xcb", "DISPLAY": display},
                             model=str(tiny_models.melody), melody=str(melody))
        shown = run.wait_for_file(launcher.home / "shown.json", "the window", timeout=120)
        window_id = json.loads(shown.read_text())["window_id"]
        assert window_id in windows_named(display, "Sketchpad")  # the window a person sees, found by its title
        frame, area = frame_of(display, window_id), work_area(display)
        (launcher.home / "measured").write_text("")
        assert run.wait() == 0, run.output()
    report = run.report
    assert report["ok"], report.get("error")
    assert area.width == size[0] and area.height == size[1]
    assert area.contains(frame), (frame, area)
    assert frame.width >= size[0] - 40 and frame.height >= size[1] - 60, f"the window uses the screen: {frame}"
    assert report["without_scrolling"] == {"record": True, "import": True}, report
    assert report["scrolled_away"], report
    after = report["after_import"]
    assert after["status"].startswith("hum.wav") and after["record_in_view"] and after["wave_in_view"], after
    assert_no_orphans(run)
