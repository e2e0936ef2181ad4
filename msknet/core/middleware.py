from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse

from .gate import GATE_ATTRIBUTE


def is_api_view(view_func: Callable[..., Any]) -> bool:
    """django-ninja's views: their operations pass `msknet.api.gate`."""
    owner = getattr(view_func, "__self__", None)
    return type(owner).__module__.startswith("ninja.")


class PermissionGateMiddleware:
    """Refuse to run a page that has not been put behind the permission gate."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: Any,
        view_kwargs: Any,
    ) -> None:
        if hasattr(view_func, GATE_ATTRIBUTE) or is_api_view(view_func):
            return
        raise ImproperlyConfigured(
            f"{view_func.__module__}.{getattr(view_func, '__name__', view_func)} "
            "is not behind the permission gate: wrap it in msknet.core.gate.gate()."
        )
