"""Innovation adoption and spread: see the module's routes."""

from ninja import Router

router = Router(tags=["Innovation adoption and spread"])
