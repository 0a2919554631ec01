"""How the clip area draws: peaks ready when a clip arrives, block images kept across scroll and zoom,
new ones drawn within a budget per paint (the rest the next paint, at once), and what a block shows."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage

from sketchpad.sketch import AddClip, Clip, ClipMedia, SetClipGain
from sketchpad.ui.arrangement.timeline import Timeline, block_image, clip_item
from sketchpad.ui.arrangement.timeline.block_cache import BlockImages
from sketchpad.ui.arrangement.timeline.block_image import NAME_HEIGHT, block_look, draw_block, pixels_of, premultiplied
from sketchpad.ui.common import peaks
from sketchpad.ui.common.peaks import PeakCache
from tests.sketch.conftest import RATE
from tests.ui.timeline_sketches import big_sketch, document_with

HEIGHT = 60


@pytest.fixture
def big(qtbot) -> Timeline:
    widget = Timeline(document_with(big_sketch(tracks=8, clips=60)))
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    qtbot.waitExposed(widget)
    settle(qtbot, widget)
    yield widget
    widget.detach()


@pytest.fixture
def draws(monkeypatch) -> list[str]:
    """The clip of every block image drawn from now on."""
    drawn: list[str] = []
    original = clip_item.draw_block

    def counting(clip, *args):
        drawn.append(clip.id)
        return original(clip, *args)

    monkeypatch.setattr(clip_item, "draw_block", counting)
    return drawn


def settle(qtbot, timeline: Timeline) -> None:
    """Until every block in view has its image at this zoom (the layout may resize the view first)."""
    view = timeline.view
    qtbot.waitUntil(lambda: not view.drawing_pending
                    and all(item.is_drawn(view.pixels_per_frame) for item in shown_items(timeline)))


def shown_items(timeline: Timeline) -> list:
    view = timeline.view
    area = view.mapToScene(view.viewport().rect()).boundingRect()
    return [item for item in view.scene().items(area) if isinstance(item, clip_item.ClipItem)]


def test_peaks_are_ready_when_a_clip_arrives_so_no_zoom_step_waits_for_them(qtbot, big, monkeypatch):
    built: list[int] = []
    original = peaks.Pyramid.__init__

    def counting(self, audio):
        built.append(len(audio))
        original(self, audio)

    monkeypatch.setattr(peaks.Pyramid, "__init__", counting)
    big.zoom_to_fit()
    big.view.zoom(1.25)
    big.view.viewport().repaint()
    settle(qtbot, big)
    assert built == []
    audio = np.zeros((2, RATE), dtype=np.float32)
    big.push(AddClip(big.sketch.tracks[0].id, Clip(ClipMedia(RATE, {"source": audio}), start=0)))
    assert len(built) == 1  # when it lands, not when it is first seen


def test_a_scroll_step_draws_only_blocks_new_in_view_and_zooming_back_reuses_every_image(qtbot, big, draws):
    view = big.view
    seen = {item.clip.id for item in shown_items(big)}
    view.scroll_by(300)
    view.viewport().repaint()
    assert not seen & set(draws)
    view.scroll_by(-300)
    view.viewport().repaint()
    assert not seen & set(draws)
    draws.clear()
    view.zoom(1.25)
    view.viewport().repaint()
    settle(qtbot, big)
    assert 0 < len(draws) == len(set(draws)) <= len(shown_items(big))  # each block in view once
    drawn = len(draws)
    view.zoom(1 / 1.25)
    view.viewport().repaint()
    view.zoom(1.25)
    view.viewport().repaint()
    assert len(draws) == drawn


def test_a_paint_draws_new_blocks_within_its_budget_and_the_next_paint_finishes(qtbot, big, draws):
    view = big.view
    view.images.budget_s = 0.0  # spent as soon as one block is drawn
    view.zoom(1.25)
    view.viewport().repaint()
    assert len(draws) == 1 and view.drawing_pending
    view.scroll_by(-40)  # the blocks left to draw move with the pixels: the next paint still finds them
    settle(qtbot, big)
    assert len(draws) == len(set(draws)) == len(shown_items(big)) > 1


def test_an_edit_draws_only_the_clip_it_changed(qtbot, big, draws):
    item = shown_items(big)[0]
    big.push(SetClipGain(item.clip.id, gain_db=-6.0))
    big.view.viewport().repaint()
    assert len(draws) == 1


def test_kept_images_are_bounded_and_the_least_recently_used_go_first():
    images = BlockImages(limit=3 * 100 * 10 * 4)  # three images of 100 x 10

    def image() -> QImage:
        return QImage(100, 10, block_image.FORMAT)

    nowhere = QRectF()
    for key in "abc":
        images.get(key, image, nowhere)
    images.get("a", image, nowhere)  # used again: "b" is now the oldest
    images.get("d", image, nowhere)
    assert len(images) == 3 and images.bytes <= images.limit
    assert "b" not in images and all(key in images for key in "acd")


def square(level: float, frames: int = RATE) -> Clip:
    audio = np.where(np.arange(frames) % 200 < 100, level, -level).astype(np.float32)[None, :]
    return Clip(ClipMedia(RATE, {"source": audio}), name="sq")


def wave_rows(image: QImage, wave: int) -> list[int]:
    """Rows of the wave area where the wave colour fills most of the row."""
    pixels = pixels_of(image)
    return [row for row in range(NAME_HEIGHT, image.height()) if (pixels[row, 4:-4] == wave).mean() > 0.9]


def test_a_block_shows_the_envelope_scaled_by_the_clip_gain():
    look = block_look("#4f81bd", False, False)
    cache = PeakCache()
    fpp = RATE / 200  # 200 pixels for the second
    loud = draw_block(square(0.8), look, cache, fpp, 200.0, HEIGHT, 0, 200, "")
    half = (HEIGHT - NAME_HEIGHT) / 2 - 1
    rows = wave_rows(loud, look.wave)
    assert len(rows) == pytest.approx(2 * 0.8 * half, abs=3)
    quieter = draw_block(Clip(square(0.8).media, gain_db=-6.0), look, cache, fpp, 200.0, HEIGHT, 0, 200, "")
    assert len(wave_rows(quieter, look.wave)) == pytest.approx(len(rows) / 2, abs=3)
    silent = draw_block(square(0.0), look, cache, fpp, 200.0, HEIGHT, 0, 200, "")
    assert len(wave_rows(silent, look.wave)) == 1  # a line at the centre


def test_a_block_shows_selection_fades_and_only_the_columns_asked_for():
    clip = Clip(square(0.5).media, fade_in=RATE // 4, name="sq")
    selected = block_look("#4f81bd", False, True)
    image = draw_block(clip, selected, PeakCache(), RATE / 200, 200.0, HEIGHT, 0, 200, "sq")
    pixels = pixels_of(image)
    assert pixels[0, 100] == selected.border == premultiplied(QColor("#ffcc33"))
    assert pixels[HEIGHT - 1, 100] == selected.border and pixels[30, 0] == selected.border
    assert pixels[NAME_HEIGHT, 10] != selected.fill  # shaded by the fade in (and the handle at its end)
    assert pixels[NAME_HEIGHT, 150] == selected.fill
    part = draw_block(clip, selected, PeakCache(), RATE / 200, 200.0, HEIGHT, 120, 180, "")
    assert part.width() == 60
    assert np.array_equal(pixels_of(part)[NAME_HEIGHT:, 1:], pixels[NAME_HEIGHT:, 121:180])
