from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse

from .gate import GATE_ATTRIBUTE


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
        # API URLs are marked by msknet.api.main.GatedNinjaAPI, which refuses
        # to build them unless every operation passed msknet.api.gate.api_gate.
        if hasattr(view_func, GATE_ATTRIBUTE):
            return
        raise ImproperlyConfigured(
            f"{view_func.__module__}.{getattr(view_func, '__name__', view_func)} "
            "is not behind the permission gate: wrap it in msknet.core.gate.gate()."
        )
