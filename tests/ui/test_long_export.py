"""Exporting a long sketch streams: the export job reports after every block of the whole render (both
passes with normalisation) and a cancel part-way stops it with nothing written, in memory bounded by
the block (the mix of 40 minutes is never held whole)."""

from __future__ import annotations

import threading
import tracemalloc

import numpy as np
import pytest

from sketchpad.sketch import Clip, ClipMedia, ExportOptions, Sketch, Track, plan_export
from sketchpad.sketch.render import BLOCK_FRAMES
from sketchpad.ui.common.jobs import JobCancelled, JobContext
from sketchpad.ui.files.export_job import ExportRequest, export_job

RATE = 8000
MINUTES = 40


def long_sketch() -> Sketch:
    noise = np.random.default_rng(3).uniform(-0.5, 0.5, (2, RATE)).astype(np.float32)
    media = ClipMedia(RATE, {"source": noise})
    return Sketch(sample_rate=RATE, tracks=[Track(clips=[Clip(media), Clip(media, start=MINUTES * 60 * RATE)])])


@pytest.mark.parametrize("normalize", [False, True])
def test_a_long_export_reports_every_block_and_cancels_part_way(tmp_path, normalize):
    sketch, target = long_sketch(), tmp_path / "long.flac"
    frames = sketch.length
    cancel, reports = threading.Event(), []

    def heard(progress) -> None:
        reports.append(progress)
        if progress.total and progress.done >= 0.75 * progress.total:  # Cancel, three quarters through
            cancel.set()

    options = ExportOptions(format="flac", normalize=normalize)
    request = ExportRequest(sketch, plan_export(sketch, target, False, options))
    steps = export_job(request)(JobContext(cancel, heard))
    tracemalloc.start()
    try:
        with pytest.raises(JobCancelled):
            for step in steps:
                heard(step)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    counted = [report for report in reports if report.total]
    passes = 2 if normalize else 1
    assert counted[-1].total == passes * frames
    assert len(counted) >= 0.7 * passes * frames / BLOCK_FRAMES  # after every block, up to the cancel
    assert all(a.done < b.done for a, b in zip(counted, counted[1:], strict=False))
    assert counted[-1].done < counted[-1].total
    assert list(tmp_path.iterdir()) == []  # nothing written, no partial file left
    assert peak < 16 * 2**20, peak  # 40 minutes of stereo float32 alone are 154 MB
