"""Synthetic demo services for the networks (being built)."""

from __future__ import annotations


def load_demo_landscape() -> None:
    """Synthetic services, their figures and ICB populations."""
