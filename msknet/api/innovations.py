"""Innovations: see the module's routes."""

from ninja import Router

router = Router(tags=["Innovations"])
