"""Durations for people: "1:05", "1:05.3", or with hours past an hour, "10:00:00"."""

from __future__ import annotations


def clock(seconds: float, *, decimals: int = 0) -> str:
    seconds = max(0.0, float(seconds))
    if decimals:
        whole, fraction = divmod(round(seconds, decimals), 1.0)
        tail = f"{fraction:.{decimals}f}"[1:]
    else:
        whole, tail = float(round(seconds)), ""
    hours, rest = divmod(int(whole), 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}{tail}"
    return f"{minutes}:{secs:02d}{tail}"
