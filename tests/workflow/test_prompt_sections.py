"""Prompt sections written as lines with times."""

from __future__ import annotations

from sketchpad.workflow.prompt_sections import split_sections


def test_lines_with_times_are_sections_and_the_first_is_the_start():
    base, sections = split_sections("0:00 soft piano intro\n0:20 full band\n  drums enter\n0:45 strings only\n")
    assert base == "soft piano intro"
    assert sections == ((0.0, "soft piano intro"), (20.0, "full band drums enter"), (45.0, "strings only"))


def test_a_plain_prompt_is_one_prompt_and_text_before_the_first_time_starts_the_take():
    assert split_sections("earthy tones, ukulele\ngentle grooves") == ("earthy tones, ukulele\ngentle grooves", ())
    assert split_sections("90 bpm lofi") == ("90 bpm lofi", ())  # a number is not a time without a colon
    base, sections = split_sections("warm pads\n1:05.5 - choir\n2:00: silence")
    assert base == "warm pads" and sections == ((65.5, "choir"), (120.0, "silence"))
