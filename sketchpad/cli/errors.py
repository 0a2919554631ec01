"""The command line's one error: bad input, printed as one line with exit status 2."""

from __future__ import annotations


class CliError(Exception):
    """Bad input on the command line: printed as one line, exit status 2."""
