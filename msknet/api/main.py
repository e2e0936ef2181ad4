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
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation

from msknet.core.gate import GATE_ATTRIBUTE, public
from msknet.members.permissions import visitors_may_have

from . import (
    accounts,
    community,
    discussions,
    governance,
    improvement,
    innovation_adoptions,
    innovation_screening,
    innovations,
    insights,
    joining,
    landscape_pathways,
    landscape_services,
    landscape_upkeep,
    members,
    priorities,
    reference,
    strategic_priorities,
    survey_responses,
    survey_results,
    surveys,
)
from .auth import BearerToken
from .errors import install_handlers
from .gate import GATE_NETWORK_ATTRIBUTE

# Responses any operation may give before it runs, documented on every one:
# the request guard (msknet.core.middleware.RejectNullCharactersMiddleware)
# and ninja refuse NUL characters and unreadable JSON with 400; a token that
# is not valid (or sent without "Bearer") is refused with 401.
# Keyed by number, as ninja keys the responses it documents: a string "401"
# beside ninja's 401 would repeat the key in the schema's JSON.
GUARD_RESPONSES = {
    400: "Bad request: a parameter or the body holds a NUL character, or "
    "the body is not JSON",
    401: "Unauthorized: the token is not valid, or this needs one",
}

# What the URL of a django-ninja view carries: it dispatches to operations
# that each passed `api_gate`, checked by `GatedNinjaAPI._get_urls`.
API_OPERATIONS = "api_gate"


class CheckedOpenAPISchema(OpenAPISchema):
    """ninja's schema, refusing two different shapes under one name.

    ninja keeps the last definition of a name and silently documents every
    operation using the first with it (two `DecisionOut`s once made the
    priorities decisions endpoint show the governance decision log's shape).
    """

    def add_schema_definitions(self, definitions: dict[str, Any]) -> None:
        for name, definition in definitions.items():
            if self.schemas.get(name, definition) != definition:
                raise ImproperlyConfigured(
                    f"Two API schemas are called {name!r}: rename one, as "
                    "clients see only the name."
                )
        super().add_schema_definitions(definitions)


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
        for op in self.operations():
            # The gate's checks that need no input run with authentication,
            # before parameters and the body are validated.
            op.auth_callbacks = [
                BearerToken(
                    permission=getattr(op.view_func, GATE_ATTRIBUTE),
                    takes_network=getattr(op.view_func, GATE_NETWORK_ATTRIBUTE),
                )
            ]
        urls = super()._get_urls()
        for pattern in urls:
            if hasattr(pattern.callback, GATE_ATTRIBUTE):
                continue  # the schema and docs pages: docs_decorator
            if pattern.name == "api-root":
                pattern.callback = public(pattern.callback)  # ninja's 404 for /api/
            else:
                setattr(pattern.callback, GATE_ATTRIBUTE, API_OPERATIONS)
        return urls

    def get_openapi_schema(
        self,
        *,
        path_prefix: str | None = None,
        path_params: dict[str, Any] | None = None,
    ) -> Any:
        """Document each operation's permission, that visitors need no token,
        and the responses the request guard gives before an operation runs."""
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        schema = CheckedOpenAPISchema(self, path_prefix)
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
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
                responses = details["responses"]
                for code, description in GUARD_RESPONSES.items():
                    if code not in responses and str(code) not in responses:
                        responses[code] = {"description": description, "content": error}
                if visitors_may_have(permission):  # public events too
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
        '`{"detail": "..."}`. The token and your permission are checked first '
        "(401, 403), then the input: a NUL character anywhere, or a body that "
        "is not JSON, is 400; invalid input is 422 with `errors` naming each "
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
api.add_router("", strategic_priorities.router)
# Screening before the records: its /innovations/screening is not an {id}.
api.add_router("", innovation_screening.router)
api.add_router("", innovations.router)
api.add_router("", innovation_adoptions.router)
# Before landscape_services: its /services/{id} would take /services/stale and
# /services/import.
api.add_router("", landscape_upkeep.router)
api.add_router("", landscape_services.router)
api.add_router("", landscape_pathways.router)
api.add_router("", surveys.router)
api.add_router("", survey_responses.router)
api.add_router("", survey_results.router)
