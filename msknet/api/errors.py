"""Error bodies: always `{"detail": "..."}`, plus `errors` naming the fields."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

VALIDATION_MESSAGE = "Some fields are not valid: see errors"


class FieldErrors(Exception):
    """Input that parsed but makes no sense here, by field name."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors


def field_name(loc: tuple[Any, ...] | list[Any]) -> str:
    """`("body", "payload", "interests", 0)` → `interests.0`."""
    parts = [str(part) for part in loc]
    source, rest = parts[0], parts[1:]
    if source == "body" and rest:
        rest = rest[1:]  # the operation's parameter name, not the client's
    return ".".join(rest) or source


def error_messages(error: dict[str, Any]) -> str:
    message = str(error.get("msg", "Not valid"))
    return message.removeprefix("Value error, ")


def validation_response(
    api: NinjaAPI, request: HttpRequest, errors: list[dict[str, str]]
) -> HttpResponse:
    body = {"detail": VALIDATION_MESSAGE, "errors": errors}
    return api.create_response(request, body, status=422)


def install_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [
            {
                "field": field_name(error.get("loc", ())),
                "message": error_messages(error),
            }
            for error in exc.errors
        ]
        return validation_response(api, request, errors)

    @api.exception_handler(FieldErrors)
    def invalid_fields(request: HttpRequest, exc: FieldErrors) -> HttpResponse:
        errors = [
            {"field": field, "message": message}
            for field, message in exc.errors.items()
        ]
        return validation_response(api, request, errors)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = api.create_response(request, {"detail": str(exc)}, status=401)
        response["WWW-Authenticate"] = 'Bearer realm="msknet"'
        return response

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return api.create_response(
            request, {"detail": str(exc)}, status=exc.status_code
        )

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(request, {"detail": "Not found"}, status=404)
