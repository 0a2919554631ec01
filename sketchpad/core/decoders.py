"""The two decoders a generated clip can play: audiocraft's EnCodec and MultiBand Diffusion."""

from __future__ import annotations

ENCODEC = "encodec"
MBD = "mbd"
DECODERS = (ENCODEC, MBD)
DEFAULT_DECODER = ENCODEC
LABELS = {ENCODEC: "EnCodec", MBD: "MultiBand Diffusion"}


def label(decoder: str) -> str:
    """The decoder's name for people ("MultiBand Diffusion", not "mbd")."""
    return LABELS.get(decoder, decoder)


def other(decoder: str) -> str:
    """The decoder an A/B toggle switches to."""
    return MBD if decoder == ENCODEC else ENCODEC
