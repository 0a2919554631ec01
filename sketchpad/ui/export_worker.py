"""The export job: render a snapshot of the sketch to a mix file or a folder of stems, off the GUI thread.

A generator for `jobs.JobQueue`: each yield is progress and a point where a cancel stops it. The
snapshot shares the audio arrays but not the track and clip lists, so editing may go on meanwhile.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path

from sketchpad.sketch import ExportOptions, ExportResult, Sketch, export_mix, export_stems
from sketchpad.ui.jobs import JobContext, Progress


@dataclass(frozen=True)
class ExportRequest:
    sketch: Sketch  # a snapshot, taken on the GUI thread
    stems: bool
    target: Path  # the file for a mix, the folder for stems
    options: ExportOptions

    @property
    def folder(self) -> Path:
        return self.target if self.stems else self.target.parent


def export_job(request: ExportRequest):
    def job(context: JobContext) -> Generator[Progress, None, list[ExportResult]]:
        what = "stems" if request.stems else "mix"
        yield Progress(f"Rendering the {what}…", 0, 1)
        if request.stems:
            results = export_stems(request.sketch, request.target, request.options)
        else:
            request.target.parent.mkdir(parents=True, exist_ok=True)
            results = [export_mix(request.sketch, request.target, request.options)]
        yield Progress(f"Wrote {len(results)} file{'s' if len(results) != 1 else ''}", 1, 1)
        return results

    return job
