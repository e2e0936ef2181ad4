"""Innovation screening: see the module's routes."""

from ninja import Router

router = Router(tags=["Innovation screening"])
