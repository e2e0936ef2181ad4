"""The error responses an operation documents."""

from __future__ import annotations

from typing import Any

from .schemas import ErrorOut, ValidationErrorOut


def errors(*codes: int) -> dict[int, Any]:
    """`{401: ErrorOut, 422: ValidationErrorOut, ...}` for `response=`."""
    return {code: ValidationErrorOut if code == 422 else ErrorOut for code in codes}
