"""Two processes saving one sketch at once (two windows, a window and a script) never make each other
fail, and the file is always one complete version; the clean-up of a crashed save's temporary file
removes only files whose writer is gone."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from sketchpad.sketch import SetTitle, Sketch, SketchFileError, load_sketch, save_sketch

ROOT = str(Path(__file__).resolve().parents[2])
SAVES = 40  # per writer

SAVER = """
import sys, time
sys.path.insert(0, {root!r})
from pathlib import Path
from sketchpad.sketch import SetTitle, load_sketch, save_sketch
path, who = Path({path!r}), {who!r}
sketch = load_sketch(path)
print("loaded", flush=True)
go = Path({go!r})
while not go.exists():
    time.sleep(0.001)
for number in range({saves}):
    SetTitle(f"{{who}} {{number}}").apply(sketch)
    save_sketch(sketch, path, keep_backup=number % 3 == 0)
print("done", flush=True)
"""


def saver(path: Path, who: str, go: Path) -> subprocess.Popen:
    code = textwrap.dedent(SAVER.format(root=ROOT, path=str(path), who=who, go=str(go), saves=SAVES))
    return subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.skipif(os.name == "nt", reason="POSIX locks")
def test_two_processes_saving_one_sketch_in_a_loop(sketch: Sketch, tmp_path: Path) -> None:
    path = save_sketch(sketch, tmp_path / "song.sketch")
    go = tmp_path / "go"
    writers = [saver(path, who, go) for who in ("left", "right")]
    for writer in writers:  # both have loaded the sketch and wait
        assert writer.stdout.readline().strip() == "loaded", writer.stderr.read()
    go.touch()
    reads = 0
    titles = {f"{who} {n}" for who in ("left", "right") for n in range(SAVES)} | {"Test sketch"}
    while any(writer.poll() is None for writer in writers):
        try:
            assert load_sketch(path).title in titles  # a reader only ever sees a complete version
        except SketchFileError as error:
            pytest.fail(f"a reader saw a damaged file: {error}")
        reads += 1
    results = [writer.communicate(timeout=60) for writer in writers]
    for writer, (out, err) in zip(writers, results, strict=True):
        assert writer.returncode == 0 and out.strip() == "done", err  # no save failed for the other's sake
    assert load_sketch(path).title in {f"left {SAVES - 1}", f"right {SAVES - 1}"}
    assert load_sketch(path.with_name("song.sketch.bak")).title in titles
    go.unlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["song.sketch", "song.sketch.bak"]
    print(f"concurrent saves: {2 * SAVES} by two processes, {reads} complete reads meanwhile")


STALLED = """
import sys, time, zipfile
sys.path.insert(0, {root!r})
from sketchpad.sketch import load_sketch, save_sketch, SetTitle
sketch = load_sketch({path!r})
SetTitle("the slow writer").apply(sketch)
original = zipfile.ZipFile.writestr
def slow_writestr(self, *args, **kwargs):
    original(self, *args, **kwargs)
    print("writing", flush=True)
    sys.stdin.readline()  # until the test lets it go on
zipfile.ZipFile.writestr = slow_writestr
save_sketch(sketch, {path!r})
print("saved", flush=True)
"""


@pytest.mark.skipif(os.name == "nt", reason="POSIX locks")
def test_a_save_in_progress_elsewhere_keeps_its_temporary_file(sketch: Sketch, tmp_path: Path) -> None:
    path = save_sketch(sketch, tmp_path / "song.sketch")
    code = textwrap.dedent(STALLED.format(root=ROOT, path=str(path)))
    slow = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert slow.stdin is not None and slow.stdout is not None
    try:
        assert slow.stdout.readline().strip() == "writing"
        (theirs,) = tmp_path.glob(".song.sketch.*.partial")
        SetTitle("quick").apply(sketch)
        save_sketch(sketch, path)  # its clean-up must leave the other writer's file alone
        assert theirs.exists() and load_sketch(path).title == "quick"
        line = "writing"
        while line == "writing":  # let the slow writer go on, member by member; its save succeeds
            slow.stdin.write("\n")
            slow.stdin.flush()
            line = slow.stdout.readline().strip()
        assert line == "saved" and slow.wait(timeout=30) == 0
    finally:
        if slow.poll() is None:
            slow.kill()
    assert load_sketch(path).title == "the slow writer"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["song.sketch"]


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL")
def test_a_killed_writers_temporary_file_is_removed_by_the_next_save(sketch: Sketch, tmp_path: Path) -> None:
    path = save_sketch(sketch, tmp_path / "song.sketch")
    code = textwrap.dedent(STALLED.format(root=ROOT, path=str(path)))
    slow = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert slow.stdout is not None and slow.stdout.readline().strip() == "writing"
    slow.send_signal(signal.SIGKILL)
    slow.wait(timeout=30)
    assert len(list(tmp_path.glob(".song.sketch.*.partial"))) == 1
    save_sketch(sketch, path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["song.sketch"]
