"""Every list is paginated the same way: `limit` and `offset`, with a count."""

from __future__ import annotations

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_LIMIT = 200
# Bounded so a client's number always fits every database's OFFSET.
MAX_OFFSET = 2**31 - 1


class Pagination(LimitOffsetPagination):
    """`{"items": [...], "count": <all matching>}`, `limit` at a time."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=MAX_LIMIT, description="How many to return")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="How many to skip")

    def __init__(self, **kwargs: object) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)
