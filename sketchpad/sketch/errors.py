"""Why a sketch file could not be opened: one exception class per kind of damage.

Each message names the file and the problem in words a person can act on; the class lets callers
(the UI's open dialog, the CLI, the tests) tell the kinds apart without parsing text.
"""

from __future__ import annotations

from pathlib import Path


class SketchFileError(Exception):
    """A sketch file that cannot be loaded. Nothing from it has been applied anywhere."""

    def __init__(self, path: str | Path, problem: str) -> None:
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"{self.path.name}: {problem}")


class NotASketchError(SketchFileError):
    """The file is not a sketch bundle at all (not a zip, or no sketch document inside)."""


class NewerSketchError(SketchFileError):
    """The file was written by a newer Sketchpad whose format this one does not know."""


class UnsupportedVersionError(SketchFileError):
    """The version field is missing, malformed or older than any Sketchpad ever wrote."""


class MissingMemberError(SketchFileError):
    """The document refers to a member (audio, tokens) that the bundle does not hold."""


class ExtraMemberError(SketchFileError):
    """The bundle holds a member the document does not account for."""


class InvalidDocumentError(SketchFileError):
    """The JSON document is malformed or holds an absurd value (NaN gain, negative length...)."""


class DanglingReferenceError(SketchFileError):
    """A clip refers to media the document does not define (or media nothing refers to)."""


class BadAudioError(SketchFileError):
    """A clip's audio member does not decode, or does not match what the document says."""


class BadTokensError(SketchFileError):
    """A clip's token member is not a plain integer array (pickled objects are refused)."""


class DamagedBundleError(SketchFileError):
    """The zip container itself is damaged: cut short, its directory inconsistent with its contents,
    or a member compressed in a way Sketchpad never writes."""


class TooLargeError(SketchFileError):
    """The sketch claims more audio than this computer's memory can hold (or a member larger than its
    claims allow); nothing was decoded."""
