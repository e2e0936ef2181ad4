"""Landscape: keeping services up to date (being built)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["Landscape: keeping services up to date"])
