"""The export job: render a snapshot of the sketch to a mix file or a folder of stems, off the GUI thread.

A generator for `jobs.JobQueue`: the render reports after each block (and each stem), where a cancel
stops it before anything is written. The snapshot shares the audio arrays but not the track and clip
lists, so editing may go on meanwhile.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path

from sketchpad.sketch import ExportOptions, ExportResult, Sketch, export_mix, export_stems
from sketchpad.sketch.export import make_folder
from sketchpad.ui.common.jobs import Job, JobContext, Progress


@dataclass(frozen=True)
class ExportRequest:
    sketch: Sketch  # a snapshot, taken on the GUI thread
    stems: bool
    target: Path  # the file for a mix, the folder for stems
    options: ExportOptions

    @property
    def folder(self) -> Path:
        return self.target if self.stems else self.target.parent


def export_job(request: ExportRequest) -> Job:
    def job(context: JobContext) -> Generator[Progress, None, list[ExportResult]]:
        what = "stems" if request.stems else "mix"
        yield Progress(f"Rendering the {what}…", 0, 0)

        def rendered(done: int, total: int) -> None:  # between blocks: a cancel stops the export here
            context.report(f"Rendering the {what}…", done, total)

        if request.stems:
            results = export_stems(request.sketch, request.target, request.options, progress=rendered)
        else:
            make_folder(request.target.parent)
            results = [export_mix(request.sketch, request.target, request.options, progress=rendered)]
        yield Progress(f"Wrote {len(results)} file{'s' if len(results) != 1 else ''}", 1, 1)
        return results

    return job
