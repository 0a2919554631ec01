"""Sketchpad: a desktop music sketchpad built on MusicGen."""

__version__ = "0.1.0"
