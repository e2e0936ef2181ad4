"""Forms posted with more than the site reads: the form's error, not a bare 400.

Django refuses to read a POST over DATA_UPLOAD_MAX_MEMORY_SIZE, and the first
to read it (the CSRF check, or the view) turns that into "400 Bad Request".
A view marked `@explains_too_big` instead sends the browser back to its page
with `?error=too-big`, where its form says what went wrong and how to fix it.
`RequestTooBigMiddleware` must come before CsrfViewMiddleware.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

TOO_BIG_ATTRIBUTE = "msknet_explains_too_big"
TOO_BIG_QUERY = "error=too-big"


def explains_too_big(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a view whose form explains a POST too big to read."""
    setattr(view, TOO_BIG_ATTRIBUTE, True)
    return view


def was_too_big(request: HttpRequest) -> bool:
    """Whether this page was reached after a POST too big to read."""
    return request.method == "GET" and request.GET.get("error") == "too-big"


def readable_size(size: int) -> str:
    """A byte count as people say it: '10 MB', '2 KB'."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):,.0f} MB"
    return f"{max(1, round(size / 1024)):,} KB"


def max_post_size() -> str:
    return readable_size(settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0)


class RequestTooBigMiddleware:
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
    ) -> HttpResponse | None:
        if request.method != "POST" or not getattr(view_func, TOO_BIG_ATTRIBUTE, False):
            return None
        try:
            request.POST  # noqa: B018 - read now, before the CSRF check does
        except RequestDataTooBig:
            # Nothing was read or done: back to the form (a GET), which explains.
            response = HttpResponseRedirect(f"{request.path}?{TOO_BIG_QUERY}")
            response.status_code = 303
            return response
        return None
