"""The API side of the permission gate.

Every API operation is wrapped in `api_gate(...)`: it finds the network named
by the `slug` path parameter, asks the one permission gate
(`msknet.members.permissions.has_permission`) about the token's user, and
refuses with 401 (visitors, who may gain the permission with a token) or 403.
`msknet.api.main` refuses to build URLs for an operation that is not gated.

What needs no input (the network and the role in it, or for a permission
with an object rule, whether a visitor could ever have it) is checked first,
with authentication (`check_before_input`), so a refused client learns that
before anything about its parameters or body.
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
from msknet.members.permissions import (
    OBJECT_RULES,
    Permission,
    has_permission,
    visitors_may_have,
)

SIGN_IN_MESSAGE = (
    "Send your API token in the Authorization header (Bearer msk_...) to do this"
)
FORBIDDEN_MESSAGE = "Your account does not have permission to do this"
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,60}")
# Set on a gated operation that takes the network named by `slug`.
GATE_NETWORK_ATTRIBUTE = "_msknet_api_gate_network"


def api_user(request: HttpRequest) -> Any:
    """The user an API request acts for: the token's, never the session's."""
    return getattr(request, "auth", None) or AnonymousUser()


def network_named(request: HttpRequest, slug: str) -> Network:
    """The network `slug` names (404 if none), looked up once per request."""
    cached = getattr(request, "_msknet_api_network", None)
    if cached is not None and cached.slug == slug:
        return cached
    if not SLUG.fullmatch(slug):
        raise Http404(slug)
    network = get_object_or_404(Network, slug=slug)
    request._msknet_api_network = network  # type: ignore[attr-defined]
    return network


def refuse(user: Any) -> Exception:
    if not user.is_authenticated:
        return AuthenticationError(401, SIGN_IN_MESSAGE)
    return HttpError(403, FORBIDDEN_MESSAGE)


def check_before_input(
    request: HttpRequest, user: Any, permission: Permission, *, takes_network: bool
) -> None:
    """The gate's checks that need no validated input, run with authentication.

    A permission without an object rule is checked in full (in the network
    the `slug` names, 404 if none); one with a rule is checked in full by
    `api_gate` once the object is found, but a visitor is refused at once when
    no object could ever grant it to them.
    """
    if permission in OBJECT_RULES:
        if not user.is_authenticated and not visitors_may_have(permission):
            raise refuse(user)
        return
    network = None
    if takes_network:
        match = request.resolver_match
        slug = match.kwargs.get("slug") if match is not None else None
        if slug is None:
            return  # api_gate checks it
        network = network_named(request, slug)
    if not has_permission(user, permission, network):
        raise refuse(user)


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
                network = network_named(request, kwargs.pop("slug"))
                kwargs["network"] = network
            obj = None
            if load is not None:
                obj = load(network=network, kwargs=kwargs)
                kwargs[as_] = obj
            user = api_user(request)
            if not has_permission(user, permission, network, obj):
                raise refuse(user)
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
        setattr(wrapped, GATE_NETWORK_ATTRIBUTE, takes_network)
        return wrapped

    return decorator
