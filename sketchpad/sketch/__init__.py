"""The sketch document: tracks and clips, undoable edits, save/load, mixdown and export.

No Qt and no torch here: a sketch can be opened, rendered and exported on any machine.
"""

from sketchpad.sketch.autosave import (
    Recovery,
    autosave_path,
    discard_autosave,
    newer_autosave,
    write_autosave,
)
from sketchpad.sketch.bundle import SUFFIX, load_sketch, save_sketch, verify_bundle, write_bundle
from sketchpad.sketch.clip_cuts import AddClip, DeleteClip, DuplicateClip, SplitClip
from sketchpad.sketch.clip_edits import (
    ClipChange,
    MoveClip,
    RenameClip,
    SetClipDecoder,
    SetClipFades,
    SetClipGain,
    TrimClip,
)
from sketchpad.sketch.edits import Edit, EditGroup, Inverse
from sketchpad.sketch.errors import (
    BadAudioError,
    BadTokensError,
    DamagedBundleError,
    DanglingReferenceError,
    ExtraMemberError,
    InvalidDocumentError,
    MissingMemberError,
    NewerSketchError,
    NotASketchError,
    SketchFileError,
    TooLargeError,
    UnsupportedVersionError,
)
from sketchpad.sketch.export import (
    FORMATS,
    ExportOptions,
    ExportResult,
    export_mix,
    export_stems,
    format_for_path,
)
from sketchpad.sketch.importing import media_from_audio
from sketchpad.sketch.levels import Levels, measure
from sketchpad.sketch.media import ClipMedia, new_id
from sketchpad.sketch.media_codec import AUDIO_TOLERANCE
from sketchpad.sketch.model import Change, Clip, Sketch, Track
from sketchpad.sketch.render import (
    mixdown,
    render_clip,
    render_clip_part,
    resolve_range,
    track_coefficients,
)
from sketchpad.sketch.track_edits import (
    AddTrack,
    AttachDecoderAudio,
    DeleteTrack,
    MoveTrack,
    RenameTrack,
    SetLoop,
    SetTempo,
    SetTitle,
    SetTrackGain,
    SetTrackMute,
    SetTrackPan,
    SetTrackSolo,
)

__all__ = [
    "AUDIO_TOLERANCE",
    "FORMATS",
    "SUFFIX",
    "AddClip",
    "AddTrack",
    "AttachDecoderAudio",
    "BadAudioError",
    "BadTokensError",
    "Change",
    "Clip",
    "ClipChange",
    "ClipMedia",
    "DamagedBundleError",
    "DanglingReferenceError",
    "DeleteClip",
    "DeleteTrack",
    "DuplicateClip",
    "Edit",
    "EditGroup",
    "ExportOptions",
    "ExportResult",
    "ExtraMemberError",
    "InvalidDocumentError",
    "Inverse",
    "Levels",
    "MissingMemberError",
    "MoveClip",
    "MoveTrack",
    "NewerSketchError",
    "NotASketchError",
    "Recovery",
    "RenameClip",
    "RenameTrack",
    "SetClipDecoder",
    "SetClipFades",
    "SetClipGain",
    "SetLoop",
    "SetTempo",
    "SetTitle",
    "SetTrackGain",
    "SetTrackMute",
    "SetTrackPan",
    "SetTrackSolo",
    "Sketch",
    "SketchFileError",
    "SplitClip",
    "TooLargeError",
    "Track",
    "TrimClip",
    "UnsupportedVersionError",
    "autosave_path",
    "discard_autosave",
    "export_mix",
    "export_stems",
    "format_for_path",
    "load_sketch",
    "measure",
    "media_from_audio",
    "mixdown",
    "new_id",
    "newer_autosave",
    "render_clip",
    "render_clip_part",
    "resolve_range",
    "save_sketch",
    "track_coefficients",
    "verify_bundle",
    "write_autosave",
    "write_bundle",
]
