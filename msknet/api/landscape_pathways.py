"""Landscape: pathways and variation (being built)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["Landscape: pathways and variation"])
