"""The page side of the permission gate.

Every page view is wrapped in `gate(...)`: it finds the network named in the
URL, asks the one permission gate, and sends visitors to sign in or refuses.
`PermissionGateMiddleware` refuses to run any view that was not wrapped.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from msknet.members.permissions import Permission, SignInRequired, require_permission

GATE_ATTRIBUTE = "msknet_permission"


def gate(
    permission: Permission,
    *,
    load: Callable[..., Any] | None = None,
    as_: str = "obj",
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Check `permission` before the view runs.

    A view whose URL has `network_slug` receives `network` instead. For a
    permission with an object rule, `load(network=network, kwargs=url_kwargs)`
    finds the object (raising Http404 if there is none, and popping the URL
    arguments it uses from `url_kwargs`); the view receives it as `as_`.
    """

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            from msknet.members.models import Network

            network = None
            if "network_slug" in kwargs:
                network = get_object_or_404(Network, slug=kwargs.pop("network_slug"))
                kwargs["network"] = network
                request.network = network  # type: ignore[attr-defined]
            obj = None
            if load is not None:
                obj = load(network=network, kwargs=kwargs)
                kwargs[as_] = obj
            try:
                require_permission(request.user, permission, network, obj)
            except SignInRequired:
                return redirect_to_login(request.get_full_path())
            return view(request, *args, **kwargs)

        setattr(wrapped, GATE_ATTRIBUTE, permission)
        return wrapped

    return decorator


def public(view: Callable[..., Any]) -> Callable[..., Any]:
    return gate(Permission.VIEW_PUBLIC)(view)
