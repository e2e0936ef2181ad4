"""What every surveys action shares: refusals and the audit record."""

from __future__ import annotations

from typing import Any

from msknet.core import audit
from msknet.members.models import Network


class Refused(Exception):
    """The action cannot be done as asked; the message says why, for the user.

    `field` names the form field at fault, when there is one, so a view or
    the API can put the message beside it.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def record(type: str, *, target: Any, by: Any, network: Network, **data: Any) -> None:
    audit.record(type, target=target, by=by, network=network, **data)
