"""Counting the queries a request makes, once it is known to have succeeded.

A pinned count means nothing if the page answered 302 or 404 instead: so the
status is asserted first, and the SQL comes back for the count to be pinned
(pytest shows it when the count is wrong).
"""

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext


def queries_of(send: Callable[[], Any], *, status: int = 200) -> tuple[Any, list[str]]:
    """The response to `send()`, checked to have `status`, and the SQL it ran."""
    with CaptureQueriesContext(connection) as captured:
        response = send()
    assert response.status_code == status, response
    return response, [query["sql"] for query in captured.captured_queries]
