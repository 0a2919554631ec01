"""The folder of recorded melody takes: which take a crash interrupted, and which are old and unused.

A take being recorded has a marker file beside it (`<take>.recording`), removed when the take ends in
any way the app sees. A marker still there at the next start means the app died mid-take: the take on
disk (playable to its last checkpoint) is offered back. Takes live only in this folder (a sketch
embeds the audio of its clips), so once past a grace period, a take the melody slot is not using
can go.
"""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

MARKER = ".recording"
GRACE_SECONDS = 7 * 24 * 3600.0
TAKE_GLOB = "melody-*.wav"


def marker(take: Path) -> Path:
    return take.with_name(take.name + MARKER)


def begin(take: Path) -> None:
    marker(take).touch()


def end(take: Path) -> None:
    marker(take).unlink(missing_ok=True)


def interrupted(folder: Path) -> list[Path]:
    """Takes a crash interrupted, newest first (markers of takes that never reached the disk are dropped)."""
    found = []
    for mark in Path(folder).glob(TAKE_GLOB + MARKER):
        take = mark.with_name(mark.name.removesuffix(MARKER))
        if take.exists() and take.stat().st_size > 0:
            found.append(take)
        else:
            mark.unlink(missing_ok=True)
    return sorted(found, key=lambda path: path.stat().st_mtime, reverse=True)


def sweep(folder: Path, *, keep: set[Path], now: float | None = None,
          grace_seconds: float = GRACE_SECONDS) -> list[Path]:
    """Delete takes older than the grace period that are not in `keep` nor interrupted; returns them."""
    now = time.time() if now is None else now
    pending = set(interrupted(folder))
    removed = []
    for take in Path(folder).glob(TAKE_GLOB):
        if take in keep or take in pending:
            continue
        with contextlib.suppress(OSError):
            if now - take.stat().st_mtime > grace_seconds:
                take.unlink()
                removed.append(take)
    return removed
