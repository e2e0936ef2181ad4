from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
)
from whitenoise.middleware import WhiteNoiseMiddleware

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


class RejectNullCharactersMiddleware:
    """Refuse requests whose parameters carry NUL characters (400).

    PostgreSQL text cannot hold them, so they would otherwise surface as
    server errors wherever a parameter reaches a query. Django's form fields
    refuse them already; this covers query strings and JSON bodies too.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.has_null(request):
            message = "Request parameters may not contain NUL characters."
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain")
        return self.get_response(request)

    @staticmethod
    def has_null(request: HttpRequest) -> bool:
        if "\x00" in request.path:
            return True
        if any("\x00" in key or "\x00" in value
               for key, values in request.GET.lists() for value in values):
            return True
        content_type = request.content_type or ""
        if content_type == "application/json":
            body = request.body
            return b"\x00" in body or b"\\u0000" in body
        return False


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise, also serving the NHS.UK frontend's images at /assets/.

    The NHS.UK stylesheet is precompiled with absolute `/assets/images/...`
    addresses for its icons (search, close, sort arrows). They are served
    from the collected static files in production and straight from
    node_modules while developing and testing, as the rest of /static/ is.
    """

    def __init__(self, get_response: Any = None, settings: Any = settings) -> None:
        super().__init__(get_response, settings)
        if self.use_finders:
            assets = Path(settings.NHSUK_ASSETS)
        else:
            assets = Path(settings.STATIC_ROOT) / "nhsuk" / "assets"
        self.add_files(str(assets), prefix="/assets/")


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's policy (settings.CONTENT_SECURITY_POLICY), with form-action
    also allowing the single sign-on provider's origin when OIDC_ISSUER is set.

    Browsers check the redirects that follow a form's submission against
    form-action too, so a form whose answer sends people on to the identity
    provider needs its origin there.
    """

    def get_policy_parts(
        self, request: HttpRequest, response: Any, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        issuer = urlparse(getattr(settings, "OIDC_ISSUER", "") or "")
        if issuer.scheme and issuer.netloc:
            origin = f"{issuer.scheme}://{issuer.netloc}"
            update = dict(parts.update or {})
            update["form-action"] = [*update.get("form-action", ()), origin]
            parts.update = update
        return parts
