"""A prompt written in sections, one line each from a time on, as a composer would sketch a form:

    0:00 soft piano intro
    0:20 full band
    0:45 strings only

Lines before the first time are the prompt of the take's start; a line without a time continues the
section above it. A prompt without times is one prompt, as ever.
"""

from __future__ import annotations

import re

_TIMED = re.compile(r"^\s*(\d{1,3}):([0-5]\d)(?:\.(\d{1,3}))?\s*[-–—:]?\s+(\S.*?)\s*$")  # m:ss[.f] text


def _seconds(minutes: str, seconds: str, fraction: str | None) -> float:
    return int(minutes) * 60 + int(seconds) + (float(f"0.{fraction}") if fraction else 0.0)


def split_sections(text: str) -> tuple[str, tuple[tuple[float, str], ...]]:
    """(the prompt at the start, ((seconds, prompt from there on), ...)) of a prompt's text."""
    head: list[str] = []
    sections: list[tuple[float, list[str]]] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        found = _TIMED.match(line)
        if found:
            sections.append((_seconds(found.group(1), found.group(2), found.group(3)), [found.group(4)]))
        elif sections:
            sections[-1][1].append(line.strip())
        else:
            head.append(line.strip())
    if not sections:
        return text.strip(), ()
    joined = tuple((start, " ".join(words)) for start, words in sections)
    base = " ".join(head) or joined[0][1]
    return base, joined


def format_time(seconds: float) -> str:
    minutes, rest = divmod(seconds, 60)
    return f"{int(minutes)}:{rest:04.1f}" if rest % 1 else f"{int(minutes)}:{int(rest):02d}"
