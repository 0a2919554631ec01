"""The sketch JSON document (format version 1): writing it, and reading it back strictly.

Reading goes in two steps so nothing is built from a file that turns out to be damaged: the
document is first checked into plain records (types, ranges, ids, references), then, once the
audio has decoded, turned into model objects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sketchpad import __version__
from sketchpad.sketch.fields import DanglingReference, FieldError, Fields, clean_json, shown
from sketchpad.sketch.media import ORIGINS, ClipMedia
from sketchpad.sketch.model import TEXT_CHARS, Clip, Sketch, Track, past_the_limit
from sketchpad.sketch.takes import MAX_GROUP, TAKE_NAME_CHARS, KeptTake

FORMAT = "sketchpad-sketch"
VERSION = 3  # the newest this reads. 2: metre, master gain and kept takes; 3: muted clips (older files
# read with their defaults). A file is written as the oldest version that holds it, so a sketch without
# muted clips still opens in a Sketchpad that reads version 2.
DOCUMENT = "sketch.json"
_ID = re.compile(r"[A-Za-z0-9_-]{1,64}\Z")
_PATH_CHARS = 4096
MAX_SEED = 2**63 - 1  # what the engine accepts (engine/request.py)


def audio_member(media_id: str, decoder: str) -> str:
    return f"media/{media_id}/{decoder}.flac"


def tokens_member(media_id: str) -> str:
    return f"media/{media_id}/tokens.npy"


def sketch_document(sketch: Sketch, scales: dict[tuple[str, str], float]) -> dict[str, Any]:
    """The JSON-able document; `scales[(media id, decoder)]` is each FLAC member's storage scale."""
    media = []
    for item in sketch.media():
        media.append(
            {
                "id": item.id,
                "origin": item.origin,
                "channels": item.channels,
                "decoders": {
                    name: {
                        "member": audio_member(item.id, name),
                        "frames": audio.shape[1],
                        "scale": scales[(item.id, name)],
                    }
                    for name, audio in item.audio.items()
                },
                "tokens": None if item.tokens is None else tokens_member(item.id),
                "model": item.model,
                "params": item.params,
                "source_file": item.source_file,
            }
        )
    tracks = [
        {
            "id": t.id,
            "name": t.name,
            "gain_db": t.gain_db,
            "pan": t.pan,
            "mute": t.mute,
            "solo": t.solo,
            "clips": [
                {
                    "id": c.id,
                    "media": c.media.id,
                    "name": c.name,
                    "start": c.start,
                    "trim_in": c.trim_in,
                    "trim_out": c.trim_out,
                    "gain_db": c.gain_db,
                    "fade_in": c.fade_in,
                    "fade_out": c.fade_out,
                    "decoder": c.decoder,
                    **({"muted": True} if c.muted else {}),  # only where used: version 2 readers open the rest
                }
                for c in t.clips
            ],
        }
        for t in sketch.tracks
    ]
    return {
        "format": FORMAT,
        "version": 3 if any(c.muted for t in sketch.tracks for c in t.clips) else 2,
        "written_by": f"sketchpad {__version__}",
        "title": sketch.title,
        "sample_rate": sketch.sample_rate,
        "tempo": sketch.tempo,
        "loop": None if sketch.loop is None else list(sketch.loop),
        "metre": list(sketch.metre),
        "master_gain_db": sketch.master_gain_db,
        "media": media,
        "tracks": tracks,
        "takes": [
            {"id": t.id, "media": t.media.id, "name": t.name, "starred": t.starred, "group": t.group,
             "variation": t.variation, "variations": t.variations}
            for t in sketch.takes
        ],
    }


@dataclass
class MediaRecord:
    id: str
    origin: str
    channels: int
    decoders: dict[str, tuple[str, int, float]]  # name -> (member, frames, scale)
    tokens: str | None
    model: str | None
    params: dict[str, Any]
    source_file: str | None


@dataclass
class DocumentRecord:
    title: str
    sample_rate: int
    tempo: float | None
    loop: tuple[int, int] | None
    metre: tuple[int, int] = (4, 4)
    master_gain_db: float = 0.0
    media: dict[str, MediaRecord] = field(default_factory=dict)
    tracks: list[tuple[str, dict[str, Any], list[tuple[str, str, dict[str, Any]]]]] = field(
        default_factory=list
    )
    takes: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)  # (id, media id, settings)

    def audio_bytes(self) -> int:
        """The memory the decoded audio claims: float32 samples of every media's every decoder."""
        return sum(
            4 * frames * item.channels for item in self.media.values() for _, frames, _ in item.decoders.values()
        )

    def members(self) -> set[str]:
        names = {DOCUMENT}
        for item in self.media.values():
            names.update(member for member, _, _ in item.decoders.values())
            if item.tokens:
                names.add(item.tokens)
        return names


def _id(fields: Fields, key: str, seen: set[str]) -> str:
    value = fields.str(key)
    assert value is not None
    if not _ID.match(value):
        raise FieldError(fields.at(key), f"is not a valid id: {shown(value)}")
    if value in seen:
        raise FieldError(fields.at(key), f"repeats the id {shown(value)}")
    seen.add(value)
    return value


def _samples(fields: Fields, key: str, rate: int, what: str, *, low: int = 0) -> int:
    """A count of samples within what a sketch can mean at `rate`; the message says the limit."""
    value = fields.int(key, low=low)
    problem = past_the_limit(value, rate, what)
    if problem:
        raise FieldError(fields.at(key), f"{value:,} samples: {problem}")
    return value


def _media(fields: Fields, seen: set[str], rate: int) -> MediaRecord:
    media_id = _id(fields, "id", seen)
    origin = fields.str("origin")
    if origin not in ORIGINS:
        raise FieldError(fields.at("origin"), f"must be one of {list(ORIGINS)}, got {shown(origin)}")
    decoders_fields = fields.obj("decoders")
    assert decoders_fields is not None
    decoders = {}
    for name in decoders_fields.names():
        entry = decoders_fields.obj(name)
        assert entry is not None
        member = entry.str("member")
        if member != audio_member(media_id, name):
            raise FieldError(
                entry.at("member"), f"should be {audio_member(media_id, name)!r}, got {shown(member)}"
            )
        frames = _samples(entry, "frames", rate, "its audio ends", low=1)
        scale = entry.float("scale", low=1.0, high=2.0**64)
        entry.done()
        decoders[name] = (member, frames, scale)
    decoders_fields.done()
    if not decoders:
        raise FieldError(fields.at("decoders"), "is empty: media needs audio")
    tokens = fields.str("tokens", optional=True)
    if tokens is not None and tokens != tokens_member(media_id):
        raise FieldError(fields.at("tokens"), f"should be {tokens_member(media_id)!r}, got {shown(tokens)}")
    params = fields.obj("params")
    assert params is not None
    if params.has("seed"):  # the window decodes again with it: a whole number, as the engine takes it
        seed = params.raw("seed")
        if seed is not None:
            params.int("seed", high=MAX_SEED)
    record = MediaRecord(
        id=media_id,
        origin=origin,
        channels=fields.int("channels", low=1, high=2),
        decoders=decoders,
        tokens=tokens,
        model=fields.str("model", optional=True, limit=_PATH_CHARS),
        params=clean_json({k: params.raw(k) for k in params.names()}),
        source_file=fields.str("source_file", optional=True, limit=_PATH_CHARS),
    )
    fields.done()
    return record


def _track(fields: Fields, track_ids: set[str], clip_ids: set[str], media: dict[str, MediaRecord],
           rate: int) -> tuple:
    track_id = _id(fields, "id", track_ids)
    settings = {
        "name": fields.str("name", limit=TEXT_CHARS),
        "gain_db": fields.float("gain_db", low=-120.0, high=24.0),
        "pan": fields.float("pan", low=-1.0, high=1.0),
        "mute": fields.bool("mute"),
        "solo": fields.bool("solo"),
    }
    clips = []
    for index, value in enumerate(fields.list("clips")):
        clip = Fields(value, f"{fields.at('clips')}[{index}]")
        clip_id = _id(clip, "id", clip_ids)
        media_id = clip.str("media")
        if media_id not in media:
            raise DanglingReference(
                clip.at("media"), f"refers to media {shown(media_id)}, which the sketch does not hold"
            )
        decoder = clip.str("decoder")
        if decoder not in media[media_id].decoders:
            raise DanglingReference(
                clip.at("decoder"), f"plays {shown(decoder)}, which media {media_id!r} has no audio for"
            )
        kwargs: dict[str, Any] = {
            "name": clip.str("name", limit=TEXT_CHARS),
            "decoder": decoder,
            "gain_db": clip.float("gain_db", low=-120.0, high=24.0),
            "muted": clip.bool("muted") if clip.has("muted") else False,
        }
        for key, what in (("start", "it starts"), ("trim_in", "its trim"), ("trim_out", "its trim"),
                          ("fade_in", "its fade"), ("fade_out", "its fade")):
            kwargs[key] = _samples(clip, key, rate, what)
        clip.done()
        clips.append((clip_id, media_id, kwargs))
    fields.done()
    return track_id, settings, clips


def _take(fields: Fields, take_ids: set[str], media: dict[str, MediaRecord]) -> tuple[str, str, dict[str, Any]]:
    take_id = _id(fields, "id", take_ids)
    media_id = fields.str("media")
    if media_id not in media:
        raise DanglingReference(fields.at("media"), f"refers to media {shown(media_id)}, which is not there")
    settings = {"name": fields.str("name", limit=TAKE_NAME_CHARS), "starred": fields.bool("starred"),
                "group": fields.int("group", high=MAX_GROUP),
                "variation": fields.int("variation", high=1000),
                "variations": fields.int("variations", low=1, high=1000)}
    fields.done()
    return take_id, media_id, settings


def read_document(document: Fields) -> DocumentRecord:
    """Check a version-1 document (format and version already read) into plain records."""
    tempo = document.float("tempo", low=20.0, high=400.0, optional=True)
    rate = document.int("sample_rate", low=8000, high=384000)
    loop_value = document.raw("loop")
    loop = None
    if loop_value is not None:
        bounds = Fields(
            {"start": loop_value[0], "end": loop_value[1]}
            if isinstance(loop_value, list) and len(loop_value) == 2
            else None,
            "loop",
        )
        loop = (_samples(bounds, "start", rate, "it starts"), _samples(bounds, "end", rate, "it ends"))
        if loop[1] <= loop[0]:
            raise FieldError("loop", f"must end after it starts, got {loop[0]}..{loop[1]}")
    record = DocumentRecord(
        title=document.str("title", limit=TEXT_CHARS) or "",
        sample_rate=rate,
        tempo=tempo,
        loop=loop,
    )
    if document.has("metre"):  # version 2
        metre = document.raw("metre")
        beats = Fields({"beats": metre[0], "unit": metre[1]} if isinstance(metre, list) and len(metre) == 2
                       else None, "metre")
        record.metre = (beats.int("beats", low=1, high=32), beats.int("unit", low=1, high=32))
    if document.has("master_gain_db"):
        record.master_gain_db = float(document.float("master_gain_db", low=-120.0, high=24.0))
    media_ids: set[str] = set()
    for index, value in enumerate(document.list("media")):
        item = _media(Fields(value, f"media[{index}]"), media_ids, rate)
        record.media[item.id] = item
    track_ids: set[str] = set()
    clip_ids: set[str] = set()
    for index, value in enumerate(document.list("tracks")):
        record.tracks.append(_track(Fields(value, f"tracks[{index}]"), track_ids, clip_ids, record.media, rate))
    if document.has("takes"):
        take_ids: set[str] = set()
        for index, value in enumerate(document.list("takes")):
            record.takes.append(_take(Fields(value, f"takes[{index}]"), take_ids, record.media))
    document.done()
    used = {media_id for _, _, clips in record.tracks for _, media_id, _ in clips}
    used |= {media_id for _, media_id, _ in record.takes}
    for index, media_id in enumerate(record.media):
        if media_id not in used:
            raise DanglingReference(f"media[{index}]", f"media {media_id!r} is not used by any clip or take")
    return record


def build_sketch(record: DocumentRecord, media: dict[str, ClipMedia]) -> Sketch:
    """Model objects from checked records and decoded media; model rules raise FieldError."""
    try:
        sketch = Sketch(sample_rate=record.sample_rate, title=record.title, tempo=record.tempo, loop=record.loop,
                        metre=record.metre, master_gain_db=record.master_gain_db)
    except ValueError as error:
        raise FieldError("document", str(error)) from None
    for t_index, (track_id, settings, clips) in enumerate(record.tracks):
        track = Track(id=track_id, **settings)
        for c_index, (clip_id, media_id, kwargs) in enumerate(clips):
            try:
                track.clips.append(Clip(media=media[media_id], id=clip_id, **kwargs))
            except ValueError as error:
                raise FieldError(f"tracks[{t_index}].clips[{c_index}]", str(error)) from None
        sketch.tracks.append(track)
    for index, (take_id, media_id, settings) in enumerate(record.takes):
        try:
            sketch.takes.append(KeptTake(media=media[media_id], id=take_id, **settings))
        except ValueError as error:
            raise FieldError(f"takes[{index}]", str(error)) from None
    return sketch
