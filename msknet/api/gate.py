"""The API side of the permission gate.

Every API operation is wrapped in `api_gate(...)`: it finds the network named
by the `slug` path parameter, asks the one permission gate
(`msknet.members.permissions.has_permission`) about the token's user, and
refuses with 401 (visitors, who may gain the permission with a token) or 403.
`msknet.api.main` refuses to build URLs for an operation that is not gated.
"""

from __future__ import annotations

import inspect
import re
import typing
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja.errors import AuthenticationError, HttpError

from msknet.core.gate import GATE_ATTRIBUTE
from msknet.members.models import Network
from msknet.members.permissions import Permission, has_permission

SIGN_IN_MESSAGE = (
    "Send your API token in the Authorization header (Bearer msk_...) to do this"
)
FORBIDDEN_MESSAGE = "Your account does not have permission to do this"
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,60}")


def api_user(request: HttpRequest) -> Any:
    """The user an API request acts for: the token's, never the session's."""
    return getattr(request, "auth", None) or AnonymousUser()


def api_gate(
    permission: Permission,
    *,
    load: Callable[..., Any] | None = None,
    as_: str = "obj",
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Check `permission` before the operation runs.

    An operation that takes `network` is exposed with a `slug` path parameter
    instead, and receives the network it names (404 if there is none). For a
    permission with an object rule, `load(network=network, kwargs=params)`
    finds the object (Http404 if none) from the parameters, leaving them,
    and the operation receives it as `as_`, a parameter hidden from the API.
    """

    def decorator(func: Callable[..., Any]) -> Callable[..., Any]:
        signature = inspect.signature(func)
        hints = typing.get_type_hints(func)
        takes_network = "network" in signature.parameters

        @wraps(func)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            network = None
            if takes_network:
                slug = kwargs.pop("slug")
                if not SLUG.fullmatch(slug):
                    raise Http404(slug)
                network = get_object_or_404(Network, slug=slug)
                kwargs["network"] = network
            obj = None
            if load is not None:
                obj = load(network=network, kwargs=kwargs)
                kwargs[as_] = obj
            user = api_user(request)
            if not has_permission(user, permission, network, obj):
                if not user.is_authenticated:
                    raise AuthenticationError(401, SIGN_IN_MESSAGE)
                raise HttpError(403, FORBIDDEN_MESSAGE)
            return func(request, *args, **kwargs)

        # django-ninja reads parameters from the signature: show it the
        # resolved types, with the `slug` path parameter in place of `network`.
        parameters = []
        for name, parameter in signature.parameters.items():
            if load is not None and name == as_:
                continue
            if name == "network":
                parameters.append(parameter.replace(name="slug", annotation=str))
            else:
                parameters.append(
                    parameter.replace(annotation=hints.get(name, parameter.annotation))
                )
        wrapped.__signature__ = signature.replace(  # type: ignore[attr-defined]
            parameters=parameters, return_annotation=inspect.Signature.empty
        )
        setattr(wrapped, GATE_ATTRIBUTE, permission)
        return wrapped

    return decorator
