"""Synthetic demo surveys and responses (being built)."""

from __future__ import annotations


def load_demo_surveys() -> None:
    """Synthetic surveys with responses and coded themes."""
