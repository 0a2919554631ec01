"""Tempo and metre read from prompts, bars turned into seconds, and the beat arithmetic under the grid."""

from __future__ import annotations

import pytest

from sketchpad.core.metre import bar_and_beat, beat_at, beat_frames, beat_onset
from sketchpad.workflow.tempo import bars_to_seconds, metre_in, tempo_in, whole_bars


@pytest.mark.parametrize(("prompt", "tempo"), [
    ("warm lo-fi piano with soft drums, 80 bpm", 80.0),
    ("80bpm boom bap", 80.0),
    ("driving techno at 128 BPM", 128.0),
    ("a slow ballad, 62.5 bpm, in 3/4", 62.5),
    ("house, 124 beats per minute", 124.0),
    ("120 bpm then 90 bpm", 120.0),  # the first one named
])
def test_a_tempo_named_in_a_prompt_is_found(prompt: str, tempo: float) -> None:
    assert tempo_in(prompt) == tempo


@pytest.mark.parametrize("prompt", [
    "warm lo-fi piano", "1080p bpm", "5 bpm", "999 bpm", "bpm 80", "track 80 bpms of fun", "v1.80 bpm",
])
def test_no_tempo_where_there_is_none(prompt: str) -> None:
    assert tempo_in(prompt) is None


@pytest.mark.parametrize(("prompt", "metre"), [
    ("a waltz in 3/4", (3, 4)), ("jig, 6/8 time, 120 bpm", (6, 8)), ("odd 7/8 metre", (7, 8)),
    ("time signature 5/4", (5, 4)), ("half 1/2 speed", None), ("in 3/5", None), ("lofi", None),
])
def test_a_metre_named_in_a_prompt_is_found(prompt: str, metre: tuple[int, int] | None) -> None:
    assert metre_in(prompt) == metre


def test_bars_become_seconds_from_tempo_and_metre() -> None:
    assert bars_to_seconds(8, 80.0, (4, 4)) == pytest.approx(24.0)
    assert bars_to_seconds(4, 120.0, (3, 4)) == pytest.approx(6.0)
    assert bars_to_seconds(2, 90.0, (6, 8)) == pytest.approx(8.0)  # six beats (eighths) a bar at 90 a minute
    assert whole_bars(23.2, 83.0, (4, 4)) == 8 and whole_bars(0.1, 80.0, (4, 4)) == 1
    with pytest.raises(ValueError):
        bars_to_seconds(0, 80.0, (4, 4))


def test_beats_land_on_whole_frames_rounded_half_up() -> None:
    beat = beat_frames(70.0, 32000)  # 27428.571...
    assert [beat_onset(k, beat) for k in range(4)] == [0, 27429, 54857, 82286]
    assert beat_onset(1, 0.5) == 1 and beat_onset(5, 0.5) == 3  # .5 goes up, never to even
    for k in range(200):
        onset = beat_onset(k, beat)
        assert beat_at(onset, beat) == k and beat_at(onset - 1, beat) == max(0, k - 1)
    assert bar_and_beat(0, 120.0, 4, 32000) == (1, 1)
    assert bar_and_beat(16000 * 7, 120.0, 4, 32000) == (2, 4)
    assert bar_and_beat(16000 * 7, 120.0, 3, 32000) == (3, 2)
