"""API authentication: a personal token, or nobody.

A request with no Authorization header is a visitor's; `api_gate` decides
what visitors may do. A request that sends a header gets the token's user, or
401 if the token is not a valid one: a client that meant to sign in must not
silently be served as a visitor. The session cookie is never used, so the API
needs no CSRF protection.

Each operation gets its own `BearerToken`, knowing the operation's
permission: with the user known, it runs the part of the permission gate that
needs no input (`msknet.api.gate.check_before_input`), so a visitor is asked
for a token (401) before their parameters or body are judged (422).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from msknet.members.actions.accounts import user_for_token
from msknet.members.permissions import Permission

from .gate import check_before_input

INVALID_TOKEN_MESSAGE = (
    "The API token is not valid: it may have been revoked, or the account "  # noqa: S105
    "closed. Create a new token on your account page."
)
WRONG_SCHEME_MESSAGE = "Send the API token as 'Authorization: Bearer msk_...'"


class BearerToken(HttpBearer):
    """A personal API token (`msk_...`), created on the account page."""

    def __init__(
        self, *, permission: Permission | None = None, takes_network: bool = False
    ) -> None:
        super().__init__()
        self.permission = permission
        self.takes_network = takes_network

    def __call__(self, request: HttpRequest) -> Any:
        user = self.user(request)
        if self.permission is not None:
            check_before_input(
                request, user, self.permission, takes_network=self.takes_network
            )
        return user

    def user(self, request: HttpRequest) -> Any:
        value = request.headers.get(self.header)
        if not value:
            return AnonymousUser()
        scheme, _, token = value.partition(" ")
        if scheme.lower() != self.openapi_scheme:
            raise AuthenticationError(401, WRONG_SCHEME_MESSAGE)
        return self.authenticate(request, token.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is None:
            raise AuthenticationError(401, INVALID_TOKEN_MESSAGE)
        return user
