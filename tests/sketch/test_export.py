"""Exported files re-read with soundfile: format, rate, length and content as promised."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from sketchpad.core.decibels import SILENCE_DB
from sketchpad.sketch import (
    FORMATS,
    Clip,
    ClipMedia,
    ExportOptions,
    Sketch,
    Track,
    existing_outputs,
    export_mix,
    export_stems,
    format_for_path,
    measure,
    mixdown,
    plan_export,
)
from tests.sketch.conftest import RATE

EXPECTED_SUBTYPE = {
    "wav16": "PCM_16",
    "wav24": "PCM_24",
    "wav32f": "FLOAT",
    "flac": "PCM_24",
    "flac16": "PCM_16",
    "ogg": "VORBIS",
    "mp3": "MPEG_LAYER_III",
}


def tone_sketch(freq: float = 1000.0, amplitude: float = 0.5, seconds: float = 1.0) -> Sketch:
    t = np.arange(int(seconds * RATE)) / RATE
    audio = (amplitude * np.sin(2 * np.pi * freq * t)).astype(np.float32)[None, :]
    return Sketch(
        sample_rate=RATE, tracks=[Track(pan=-1.0, clips=[Clip(ClipMedia(RATE, {"source": audio}))])]
    )


def read(path: Path) -> tuple[np.ndarray, sf._SoundFileInfo]:
    data, _ = sf.read(path, dtype="float32", always_2d=True)
    return data.T, sf.info(str(path))


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_each_format_reads_back(sketch: Sketch, tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"mix{FORMATS[fmt].suffix}"
    result = export_mix(sketch, path, ExportOptions(format=fmt, dither_seed=1))
    data, info = read(path)
    mix = mixdown(sketch)
    assert (info.samplerate, info.channels, info.subtype) == (RATE, 2, EXPECTED_SUBTYPE[fmt])
    assert data.shape == mix.shape and result.frames == mix.shape[1]
    error = np.abs(data - mix).max()
    bound = {
        "wav32f": 0.0,
        "wav24": 2.0**-24,
        "flac": 2.0**-24,
        "wav16": 1.5 * 2.0**-15,
        "flac16": 1.5 * 2.0**-15,
    }
    if fmt in bound:
        assert error <= bound[fmt]
    else:  # Vorbis and MP3 are lossy and shape noise; the level must still be there (waveforms: see below)
        assert np.sqrt(np.mean(data**2)) == pytest.approx(np.sqrt(np.mean(mix**2)), rel=0.2)


def test_ogg_keeps_a_tone(tmp_path: Path) -> None:
    path = tmp_path / "tone.ogg"
    export_mix(tone_sketch(), path, ExportOptions(format="ogg", sample_rate=48000))
    data, info = read(path)
    assert (info.format, info.samplerate) == ("OGG", 48000)
    expected = 0.5 * np.sin(2 * np.pi * 1000 * np.arange(data.shape[1]) / 48000)
    middle = slice(4800, -4800)
    assert np.corrcoef(data[0, middle], expected[middle])[0, 1] > 0.99


@pytest.mark.parametrize("rate", [44100, 48000])
def test_resampling_keeps_pitch_level_and_duration(tmp_path: Path, rate: int) -> None:
    path = tmp_path / "tone.wav"
    result = export_mix(tone_sketch(), path, ExportOptions(format="wav32f", sample_rate=rate))
    data, info = read(path)
    assert info.samplerate == rate == result.sample_rate
    assert abs(info.frames - rate) <= 1
    left = data[0, rate // 10 : -rate // 10]  # away from the clip's hard edges
    spectrum = np.abs(np.fft.rfft(left * np.hanning(left.size)))
    assert np.argmax(spectrum) * rate / left.size == pytest.approx(1000.0, abs=2.0)
    assert np.abs(left).max() == pytest.approx(0.5, abs=0.002)
    assert np.abs(data[1]).max() < 1e-6


def test_sixteen_bits_are_dithered(tmp_path: Path) -> None:
    quiet = tone_sketch(amplitude=0.4 * 2.0**-15)  # under half a step: plain rounding gives silence
    path = tmp_path / "quiet.wav"
    export_mix(quiet, path, ExportOptions(format="wav16", dither_seed=3))
    samples, _ = sf.read(path, dtype="int16")
    left = samples[:, 0].astype(np.float64)
    assert np.count_nonzero(left) > 0.3 * left.size
    assert set(np.unique(left)) <= {-2.0, -1.0, 0.0, 1.0, 2.0}
    tone = np.sin(2 * np.pi * 1000 * np.arange(left.size) / RATE)
    assert np.corrcoef(left, tone)[0, 1] > 0.1  # the tone survives inside the noise
    again = tmp_path / "again.wav"
    export_mix(quiet, again, ExportOptions(format="wav16", dither_seed=3))
    assert again.read_bytes() == path.read_bytes()


def test_twenty_four_bits_are_not_dithered(tmp_path: Path) -> None:
    path = tmp_path / "silence.wav"
    silent = tone_sketch(amplitude=0.0)
    export_mix(silent, path, ExportOptions(format="wav24"))
    assert not sf.read(path, dtype="int32")[0].any()


def test_normalize_and_clipping_report(tmp_path: Path) -> None:
    loud = tone_sketch(amplitude=1.5)
    plain = export_mix(loud, tmp_path / "loud.wav", ExportOptions(format="wav24"))
    assert plain.levels.over > 0 and plain.levels.clips and plain.levels.peak == pytest.approx(1.5, rel=1e-3)
    assert "clips" in plain.levels.describe()
    norm = export_mix(loud, tmp_path / "norm.wav", ExportOptions(format="wav24", normalize=True))
    assert norm.levels.true_peak_db == pytest.approx(-1.0, abs=0.05)
    assert norm.gain == pytest.approx(10 ** (-1 / 20) / 1.5, rel=0.01)
    assert not norm.levels.clips


def test_true_peak_catches_peaks_between_samples() -> None:
    t = np.arange(RATE) / RATE
    x = np.sin(2 * np.pi * (RATE / 4) * t + math.pi / 4).astype(np.float32)[None, :]
    levels = measure(x * np.hanning(RATE).astype(np.float32), RATE)
    assert levels.peak == pytest.approx(math.sqrt(0.5), abs=1e-3)
    assert levels.true_peak == pytest.approx(1.0, abs=0.01)
    assert measure(np.zeros((2, 10), np.float32), RATE).peak_db == SILENCE_DB


def test_stems_add_up_to_the_mix(sketch: Sketch, tmp_path: Path) -> None:
    results = export_stems(sketch, tmp_path / "stems", ExportOptions(format="wav32f", range="loop"))
    assert [r.path.name for r in results] == ["01 Drums.wav", "02 Hum.wav"]  # the muted track has no stem
    total = sum(read(r.path)[0] for r in results)
    np.testing.assert_allclose(total, mixdown(sketch, 1000, 8000), atol=1e-6)


def test_normalised_stems_share_the_mix_gain(sketch: Sketch, tmp_path: Path) -> None:
    options = ExportOptions(format="wav32f", normalize=True)
    mix = export_mix(sketch, tmp_path / "mix.wav", options)
    stems = export_stems(sketch, tmp_path / "stems", options)
    assert {s.gain for s in stems} == {mix.gain}


def test_bad_options_are_refused(sketch: Sketch, tmp_path: Path) -> None:
    for options in (
        ExportOptions(format="aiff"),
        ExportOptions(sample_rate=22050),
        ExportOptions(range=(5, 5)),
        ExportOptions(format="mp3", bitrate=100),
    ):
        with pytest.raises(ValueError):
            export_mix(sketch, tmp_path / "x.wav", options)
    assert format_for_path("a.FLAC") == "flac" and format_for_path("b.ogg") == "ogg"
    assert format_for_path("c.MP3") == "mp3"
    with pytest.raises(ValueError, match="cannot tell"):
        format_for_path("a.aiff")
    assert not list(tmp_path.iterdir())


def test_a_folder_for_the_mix_is_refused_with_the_reason(sketch: Sketch, tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    for given in (folder, f"{tmp_path / 'not yet'}/"):
        with pytest.raises(ValueError, match=r"is a folder, but the mix is one file\. Name the file"):
            export_mix(sketch, given, ExportOptions())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["exports"] and not any(folder.iterdir())
    with pytest.raises(ValueError, match="no place to export to: choose a file for the mix"):
        export_mix(sketch, "", ExportOptions())


def test_a_file_for_the_stems_is_refused_with_the_reason(sketch: Sketch, tmp_path: Path) -> None:
    mix = export_mix(sketch, tmp_path / "song.wav", ExportOptions()).path
    before = mix.read_bytes()
    with pytest.raises(ValueError, match=r"^song\.wav is a file, but stems go into a folder"):
        export_stems(sketch, mix, ExportOptions())
    with pytest.raises(ValueError, match=r"^later\.flac looks like a file name, but stems go into a folder"):
        export_stems(sketch, tmp_path / "later.flac", ExportOptions())
    assert mix.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["song.wav"]
    named = tmp_path / "takes.wav"  # an existing folder is a folder, whatever its name
    named.mkdir()
    assert [r.path.parent for r in export_stems(sketch, named, ExportOptions())] == [named, named]


def test_the_files_an_export_would_replace_are_listed(sketch: Sketch, tmp_path: Path) -> None:
    options = ExportOptions(format="flac")
    mix = plan_export(sketch, tmp_path / "mix.flac", False, options)
    assert existing_outputs(sketch, mix) == []
    export_mix(sketch, mix)
    assert existing_outputs(sketch, mix) == [tmp_path / "mix.flac"]
    stems = tmp_path / "stems"
    assert existing_outputs(sketch, plan_export(sketch, stems, True, options)) == []  # no folder yet
    stems.mkdir()
    (stems / "02 Hum.flac").write_bytes(b"an older stem")
    (stems / "notes.txt").write_text("not ours")
    assert existing_outputs(sketch, plan_export(sketch, stems, True, options)) == [stems / "02 Hum.flac"]
    assert existing_outputs(sketch, plan_export(sketch, stems, True, ExportOptions(format="wav24"))) == []


def test_an_export_is_checked_and_its_suffix_chosen_once_by_its_plan(sketch: Sketch, tmp_path: Path,
                                                                     monkeypatch) -> None:
    from sketchpad.sketch import export

    plan = plan_export(sketch, tmp_path / "Take 1.5", False, ExportOptions(format="flac"), name_the_format=True)
    assert plan.target == tmp_path / "Take 1.5.flac" and plan.spec.suffix == ".flac"
    assert plan_export(sketch, tmp_path / "mix.wav", False, ExportOptions(format="ogg"),
                       name_the_format=True).target == tmp_path / "mix.ogg"
    stems_plan = plan_export(sketch, tmp_path / "stems", True, ExportOptions(format="flac"))
    with pytest.raises(ValueError, match="a plan for stems exports stems"):
        export_mix(sketch, stems_plan)
    checks = []
    for name in ("check_target", "check_options"):
        monkeypatch.setattr(export, name, lambda *args, name=name, **kwargs: checks.append(name))
    assert export_mix(sketch, plan).path == plan.target  # as planned: nothing checked again
    stems = export_stems(sketch, stems_plan)
    assert checks == [] and [result.path.suffix for result in stems] == [".flac", ".flac"]
