"""msknet's JSON API, mounted at /api/ (schema /api/openapi.json, docs /api/docs).

Every operation passes `api_gate`, the API side of the one permission gate;
`GatedNinjaAPI` refuses to build URLs for an operation that does not, and
marks the URLs it builds so that `PermissionGateMiddleware` runs them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from ninja import NinjaAPI
from ninja.operation import Operation

from msknet.core.gate import GATE_ATTRIBUTE, public
from msknet.members.permissions import Visitor

from . import (
    accounts,
    community,
    discussions,
    governance,
    improvement,
    insights,
    joining,
    members,
    priorities,
    reference,
)
from .auth import BearerToken
from .errors import install_handlers

# What the URL of a django-ninja view carries: it dispatches to operations
# that each passed `api_gate`, checked by `GatedNinjaAPI._get_urls`.
API_OPERATIONS = "api_gate"


class GatedNinjaAPI(NinjaAPI):
    def operations(self) -> Iterator[Operation]:
        for bound_router in self._get_bound_routers():
            for path_view in bound_router.path_operations.values():
                yield from path_view.operations

    def _get_urls(self) -> list[Any]:
        ungated = [
            op.view_func.__qualname__
            for op in self.operations()
            if not hasattr(op.view_func, GATE_ATTRIBUTE)
        ]
        if ungated:
            raise ImproperlyConfigured(
                f"API operations not behind the permission gate: {ungated}. "
                "Wrap them in msknet.api.gate.api_gate()."
            )
        urls = super()._get_urls()
        for pattern in urls:
            if hasattr(pattern.callback, GATE_ATTRIBUTE):
                continue  # the schema and docs pages: docs_decorator
            if pattern.name == "api-root":
                pattern.callback = public(pattern.callback)  # ninja's 404 for /api/
            else:
                setattr(pattern.callback, GATE_ATTRIBUTE, API_OPERATIONS)
        return urls

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        """Document each operation's permission, and that visitors need no token."""
        schema = super().get_openapi_schema(*args, **kwargs)
        permissions = {
            op.operation_id: getattr(op.view_func, GATE_ATTRIBUTE)
            for op in self.operations()
        }
        for path in schema["paths"].values():
            for details in path.values():
                permission = permissions.get(details.get("operationId"))
                if permission is None:
                    continue
                details["x-msknet-permission"] = str(permission)
                if permission in Visitor.permissions:
                    details["security"] = [*details.get("security", []), {}]
        return schema


api = GatedNinjaAPI(
    title="msknet API",
    version="1",
    description=(
        "Networks, organisations, members and join requests.\n\n"
        "Send a personal API token, created on your account page, as "
        "`Authorization: Bearer msk_...`. Without one you are a visitor: you "
        "may read public data and ask to join. Errors are "
        '`{"detail": "..."}`; invalid input is 422 with `errors` naming each '
        "field. Lists take `limit` and `offset` and return "
        '`{"items": [...], "count": n}`.'
    ),
    urls_namespace="api",
    auth=BearerToken(),
    docs_decorator=public,
)
install_handlers(api)
api.add_router("", reference.router)
api.add_router("", members.router)
api.add_router("", joining.router)
api.add_router("", accounts.router)
api.add_router("", insights.router)
api.add_router("", improvement.router)
api.add_router("", community.router)
api.add_router("", priorities.router)
api.add_router("", discussions.router)
api.add_router("", governance.router)
