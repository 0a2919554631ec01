"""The export job: render a snapshot of the sketch to a mix file or a folder of stems, off the GUI thread.

A generator for `jobs.JobQueue`: the render reports after each block (and each stem), where a cancel
stops it before anything is written. The snapshot shares the audio arrays but not the track and clip
lists, so editing may go on meanwhile. A failure comes out in words that name the file and what to do:
the queue shows an error's own text, and a library's text ("[Errno 21] ...", "Error opening
<_io.BytesIO ...>") would mean nothing to the person exporting.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass
from pathlib import Path

from sketchpad.core.write_errors import WriteFailed
from sketchpad.sketch import ExportOptions, ExportPlan, ExportResult, Sketch, export_mix, export_stems
from sketchpad.sketch.export import make_folder
from sketchpad.ui.common.jobs import Job, JobCancelled, JobContext, Progress


@dataclass(frozen=True)
class ExportRequest:
    sketch: Sketch  # a snapshot, taken on the GUI thread
    plan: ExportPlan  # checked once, where the person chose it (sketch.plan_export)

    @property
    def stems(self) -> bool:
        return self.plan.stems

    @property
    def target(self) -> Path:  # the file for a mix, the folder for stems
        return self.plan.target

    @property
    def options(self) -> ExportOptions:
        return self.plan.options

    @property
    def folder(self) -> Path:
        return self.plan.folder


class ExportFailed(Exception):
    """An export failed for a reason that came without words of its own (an encoder's error)."""


def export_job(request: ExportRequest) -> Job:
    def job(context: JobContext) -> Generator[Progress, None, list[ExportResult]]:
        what = "stems" if request.stems else "mix"
        yield Progress(f"Rendering the {what}…", 0, 0)

        def rendered(done: int, total: int) -> None:  # between blocks: a cancel stops the export here
            context.report(f"Rendering the {what}…", done, total)

        try:
            results = _export(request, rendered)
        except (JobCancelled, WriteFailed, ValueError):  # a cancel; or already in words (ours)
            raise
        except OSError as error:
            raise WriteFailed(Path(error.filename) if error.filename else request.target, error) from error
        except Exception as error:
            place = f"the stems in {request.target}" if request.stems else f"{request.target.name} in {request.folder}"
            raise ExportFailed(f"{place} could not be written: the {request.options.format} encoder failed "
                               f"({type(error).__name__}). Try again, or choose another format.") from error
        yield Progress(f"Wrote {len(results)} file{'s' if len(results) != 1 else ''}", 1, 1)
        return results

    return job


def _export(request: ExportRequest, rendered: Callable[[int, int], None]) -> list[ExportResult]:
    if request.stems:
        return export_stems(request.sketch, request.plan, progress=rendered)
    make_folder(request.target.parent)
    return [export_mix(request.sketch, request.plan, progress=rendered)]
