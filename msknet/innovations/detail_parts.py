"""What each part of the app adds to an innovation's page.

The record's page (views/records.py) shows the innovation; screening and
adoption each add their section through a function here and a template
partial (`innovations/_detail_screening.html`, `_detail_adoption.html`), so
each part keeps its own reads.
"""

from __future__ import annotations

from typing import Any

from .models import Innovation


def screening_context(innovation: Innovation, user: Any) -> dict[str, Any]:
    """The screening section: filled in by the screening part."""
    return {}


def adoption_context(innovation: Innovation, user: Any) -> dict[str, Any]:
    """The adoption section: filled in by the adoption part."""
    return {}
