"""Rendering streams, and positions are bounded by what a sketch can mean: a 270 KB sketch with a clip
(or a loop) at sample 2**28 made `sketchpad render` use 2.6 GiB and write 1.6 GB, and at 2**40 raised a
numpy traceback asking for 8 TiB. Now such a sketch is refused in one line that says the limit (by
`sketchpad info` and `render`), and a valid long sketch renders in memory bounded by the block, not the
length: peak RSS of `sketchpad render` measured in a fresh process, a 1-minute sketch against a
40-minute one."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from sketchpad.cli import main
from sketchpad.sketch import (
    Clip,
    ClipMedia,
    InvalidDocumentError,
    SetLoop,
    Sketch,
    Track,
    load_sketch,
    save_sketch,
)
from tests.e2e.launching import console_script
from tests.sketch.bundles import bundle_bytes, document_of, with_document

LIMIT = "past the 2-hour limit of a sketch"
MAX_SKETCH_SECONDS = 2 * 3600  # sketchpad/sketch/model.py


def hostile(edit) -> bytes:
    document = document_of(bundle_bytes())
    edit(document)
    return with_document(json.dumps(document))


def clip_start(value: int):
    def edit(document: dict) -> None:
        document["tracks"][0]["clips"][0]["start"] = value
    return edit


def loop_end(value: int):
    def edit(document: dict) -> None:
        document["loop"] = [0, value]
    return edit


CASES = [
    ("clip at 2^28", clip_start(2**28), "tracks[0].clips[0].start: 268,435,456 samples: it starts at 2 h 19 min 48 s"),
    ("clip at 2^40", clip_start(2**40), "tracks[0].clips[0].start: 1,099,511,627,776 samples: it starts at 9,544 h"),
    ("loop to 2^40", loop_end(2**40), "loop.end: 1,099,511,627,776 samples: it ends at 9,544 h"),
    ("clip just past", clip_start(MAX_SKETCH_SECONDS * 32000 - 100),
     "tracks[0].clips[0]: the clip ends at 2 h 0 min 0 s"),
]


@pytest.mark.parametrize(("edit", "said"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_a_position_past_what_a_sketch_means_is_refused_in_one_line(tmp_path: Path, capsys, edit, said: str) -> None:
    path = tmp_path / "hostile.sketch"
    path.write_bytes(hostile(edit))
    with pytest.raises(InvalidDocumentError, match=LIMIT):
        load_sketch(path)
    for command in (["info", str(path)], ["render", str(path), "--out", str(tmp_path / "out.wav")]):
        assert main(command) == 2
        printed = capsys.readouterr()
        assert printed.out == "" and printed.err.count("\n") == 1, printed.err
        assert said in printed.err and LIMIT in printed.err, printed.err
    assert not (tmp_path / "out.wav").exists()


def test_the_model_keeps_clips_and_ranges_within_the_limit(tmp_path: Path, capsys) -> None:
    media = ClipMedia(8000, {"source": np.zeros((1, 100), np.float32)})
    Clip(media, start=MAX_SKETCH_SECONDS * 8000 - 100)  # ends right at the limit: fine
    with pytest.raises(ValueError, match=f"the clip ends at 2 h 0 min 0 s, {LIMIT}"):
        Clip(media, start=MAX_SKETCH_SECONDS * 8000 - 99)
    sketch = Sketch(sample_rate=8000, tracks=[Track(clips=[Clip(media)])])
    with pytest.raises(ValueError, match=f"the loop ends at 2 h 0 min 0 s, {LIMIT}"):
        SetLoop((0, MAX_SKETCH_SECONDS * 8000 + 1)).apply(sketch)
    path = save_sketch(sketch, tmp_path / "short.sketch")
    assert main(["render", str(path), "--range", "0:7201", "--out", str(tmp_path / "out.wav")]) == 2
    assert LIMIT in capsys.readouterr().err


RATE = 8000
RSS_PROBE = """
import resource, subprocess, sys
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, repr(done.stderr[-400:]))
"""


def render_peak_kib(folder: Path, minutes: int) -> tuple[int, Path]:
    """Peak RSS of `sketchpad render` (its own process) for a sketch `minutes` long: a second of noise at
    the start and one at the end, silence between."""
    noise = np.random.default_rng(minutes).uniform(-0.5, 0.5, (2, RATE)).astype(np.float32)
    media = ClipMedia(RATE, {"source": noise})
    sketch = Sketch(sample_rate=RATE, tracks=[Track(clips=[Clip(media), Clip(media, start=minutes * 60 * RATE)])])
    path = save_sketch(sketch, folder / f"{minutes}min.sketch")
    out = folder / f"{minutes}min.flac"
    probe = subprocess.run([sys.executable, "-c", RSS_PROBE, str(console_script()), "render", str(path), "--out",
                            str(out)], capture_output=True, text=True, timeout=600, check=True)
    code, peak, said = probe.stdout.split(" ", 2)
    assert code == "0", said
    assert sf.info(str(out)).frames == minutes * 60 * RATE + RATE
    return int(peak), out


def test_a_long_sketch_renders_in_memory_bounded_by_the_block(tmp_path: Path) -> None:
    short, _ = render_peak_kib(tmp_path, 1)
    long, out = render_peak_kib(tmp_path, 40)  # 19.2 M frames: 154 MB as one float32 mix, 154 MB more as int32
    print(f"\nsketchpad render peak RSS: 1 min {short / 1024:.0f} MiB, 40 min {long / 1024:.0f} MiB")
    assert long - short < 24 * 1024, (short, long)
    data, _ = sf.read(str(out), frames=RATE, start=40 * 60 * RATE, dtype="float32")
    assert np.abs(data).max() > 0.4  # the clip at the end is there


def test_the_hostile_sketch_through_the_real_command_says_one_line_in_little_memory(tmp_path: Path) -> None:
    path = tmp_path / "hostile.sketch"
    path.write_bytes(hostile(clip_start(2**28)))  # rendered, this was 2.6 GiB of memory and a 1.6 GB file
    out = tmp_path / "out.wav"
    probe = subprocess.run([sys.executable, "-c", RSS_PROBE, str(console_script()), "render", str(path), "--out",
                            str(out)], capture_output=True, text=True, timeout=600, check=True)
    code, peak, said = probe.stdout.split(" ", 2)
    assert code == "2" and LIMIT in said and said.count("\\n") == 1, said
    assert int(peak) < 200 * 1024 and not out.exists()
