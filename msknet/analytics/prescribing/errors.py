"""Errors the prescribing engine raises."""

from __future__ import annotations


class PrescribingError(Exception):
    """Base class for prescribing-engine errors."""


class InputError(PrescribingError):
    """An input file was refused; nothing was written to the store."""

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem


class MeasureError(PrescribingError):
    """A measure definition is invalid or unknown."""
