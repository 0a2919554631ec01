"""The takes list and what it is given: a sketch whose take names or title hold a lone surrogate opens
through File > Open and saves again; one with a take group, seed or tokens the window could not use is
refused with one line in the banner; a list that fails to draw is never left deaf (signals blocked);
starring one of many takes draws that take again, not every take (nor every header counting every take)."""

from __future__ import annotations

import numpy as np
import pytest

from sketchpad.sketch import ClipMedia, KeptTake, Sketch, load_sketch
from sketchpad.ui.files.document import SketchDocument
from sketchpad.ui.takes.keeper import TakeKeeper
from sketchpad.ui.takes.panel import TakesPanel
from sketchpad.workflow.takes import Take, take_of
from tests.sketch.test_text_and_take_fields import bundle_with, everywhere, set_seed, set_take

RATE = 32000


def many_takes(count: int, per_request: int = 4) -> Sketch:
    audio, tokens = np.zeros((1, 64), np.float32), np.zeros((4, 1), np.int64)
    return Sketch(sample_rate=RATE, takes=[
        KeptTake(ClipMedia(RATE, {"encodec": audio}, origin="generated", tokens=tokens, model="m",
                           params={"prompt": f"idea {index}", "seed": index}),
                 group=index // per_request + 1, variation=index % per_request, variations=per_request)
        for index in range(count)])


@pytest.fixture
def takes_list(qtbot):
    document, panel = SketchDocument(), TakesPanel()
    qtbot.addWidget(panel)
    panel.show()
    keeper = TakeKeeper(document, panel)
    yield document, panel
    keeper.detach()


def test_a_list_that_fails_to_draw_still_reacts_afterwards(takes_list, monkeypatch, qtbot):
    document, panel = takes_list

    def broken(self, name=None):
        raise RuntimeError("drawing failed")

    sketch = many_takes(3)
    entries = [(kept, take_of(kept)) for kept in sketch.takes]
    monkeypatch.setattr(Take, "describe", broken)
    with pytest.raises(RuntimeError):
        panel.show_takes(entries, fresh=True)
    assert not panel.list.signalsBlocked()
    monkeypatch.undo()
    document.replace(sketch)  # drawn whole this time
    assert panel.list.item(1).text().startswith("Take 1/4: idea 0")
    with qtbot.waitSignal(panel.selected):
        panel.list.setCurrentRow(2)


def test_starring_one_of_many_takes_draws_that_take_again(takes_list, monkeypatch):
    document, panel = takes_list
    document.replace(many_takes(2000))
    assert panel.list.item(0).text() == "Request 1: 4 takes" and panel.list.count() == 2500
    drawn: list[str] = []
    describe = Take.describe
    monkeypatch.setattr(Take, "describe", lambda self, name=None: drawn.append(self.id) or describe(self, name))
    target = document.sketch.takes[1234]
    panel.select(panel.takes[target.id])
    panel.star_button.click()
    assert target.starred and drawn == [target.id]
    assert panel.list.currentItem().icon().cacheKey() == panel._stars[True].cacheKey()
    document.undo_stack.undo()
    assert not target.starred and drawn == [target.id] * 2


def test_a_lone_surrogate_opens_through_file_open_and_saves_again(qtbot, window, tmp_path):
    path = tmp_path / "edited.sketch"
    path.write_bytes(bundle_with(everywhere("\ud800")))
    with qtbot.waitSignal(window.files.opened, timeout=10_000):
        window.files.open_path(path)
    assert window.takes.takes  # the list shows the take
    with qtbot.waitSignal(window.files.saved, timeout=10_000):
        window.files.save()
    assert load_sketch(path).takes[0].name == "Take\ufffd"


@pytest.mark.parametrize(("edit", "said"), [
    (set_take("group", 2**63), "takes[0].group: must be at most 9007199254740991"),
    (set_seed("seven"), "media[0].params.seed: must be a whole number"),
    (set_take("name", "n" * 8_000_000), "it may hold at most 200"),
], ids=["group 2^63", "seed as text", "8 MB take name"])
def test_a_take_the_window_could_not_use_is_refused_with_one_line(qtbot, window, tmp_path, edit, said):
    path = tmp_path / "hostile.sketch"
    path.write_bytes(bundle_with(edit))
    with qtbot.waitSignal(window.files.problem, timeout=10_000) as blocker:
        window.files.open_path(path)
    assert "hostile.sketch could not be opened" in blocker.args[0] and said in blocker.args[0]
    assert "\n" not in blocker.args[0] and not window.takes.list.signalsBlocked()


def test_under_starred_only_unstarring_a_take_hides_it_and_its_empty_request(takes_list, qtbot):
    document, panel = takes_list
    document.replace(many_takes(8))
    first, second = document.sketch.takes[0], document.sketch.takes[5]
    for take in (first, second):
        panel.select(panel.takes[take.id])
        panel.star_button.click()
    panel.starred_only.setChecked(True)
    visible = [panel.list.item(row).text().split(":")[0] for row in range(panel.list.count())
               if not panel.list.item(row).isHidden()]
    assert visible == ["Request 1", "Take 1/4", "Request 2", "Take 2/4"]
    panel.select(panel.takes[first.id])
    with qtbot.waitSignal(panel.selected):  # the current take goes from view: the next shown one is current
        panel.star_button.click()
    visible = [panel.list.item(row).text().split(":")[0] for row in range(panel.list.count())
               if not panel.list.item(row).isHidden()]
    assert visible == ["Request 2", "Take 2/4"] and panel.current.id == second.id
