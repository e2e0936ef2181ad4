"""Strategic priorities: the list anyone may read, and what serves each
(members): nominations, QI projects and innovations."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from msknet.members.models import Network
from msknet.members.permissions import Permission
from msknet.priorities import strategic_queries as queries
from msknet.priorities.models import StrategicPriority

from .gate import api_gate
from .pagination import Pagination
from .responses import errors

router = Router(tags=["Strategic priorities"])


class StrategicPriorityOut(Schema):
    id: int
    source: str = Field(description="national, icb or network")
    icb_code: str | None = Field(None, description="The ICB's ODS code, for ICB ones")
    title: str
    description: str
    reference_url: str
    horizon: str = Field(description="short, medium, long, or empty")
    position: int = Field(description="Order within its source, from 0")

    @staticmethod
    def resolve_icb_code(obj: StrategicPriority) -> str | None:
        return obj.icb.ods_code if obj.icb else None


class ServingNominationOut(Schema):
    id: int
    title: str
    round_id: int
    round_title: str
    decision: str = Field(description="selected, deferred, declined, or empty")


class ServingProjectOut(Schema):
    id: int
    title: str
    stage: str


class ServingInnovationOut(Schema):
    id: int
    name: str
    kind: str = Field(description="pathway, digital, medicine_device, workforce or "
                      "self_management")
    stage: str = Field(description="proposed, screening, recommended, on_hold or "
                       "not_taken_forward")


class CoverageOut(Schema):
    priority: StrategicPriorityOut
    served: bool
    nominations: list[ServingNominationOut]
    qi_projects: list[ServingProjectOut]
    innovations: list[ServingInnovationOut] = Field(
        description="In triage order (proposed first), then by name; never a "
        "proposal from the public form that no lead has reviewed")


@router.get(
    "/networks/{slug}/strategic-priorities",
    response={200: list[StrategicPriorityOut], **errors(404, 422)},
    url_name="strategic-priority-list", operation_id="list_strategic_priorities",
    summary="List a network's active strategic priorities",
)
@api_gate(Permission.VIEW_PUBLIC)
@paginate(Pagination)
def priority_list(request: HttpRequest, network: Network) -> list[StrategicPriority]:
    """National first, then each ICB's, then the network's own objectives."""
    return [p for group in queries.grouped(network) for p in group.priorities]


@router.get(
    "/networks/{slug}/strategic-priorities/coverage",
    response={200: list[CoverageOut], **errors(401, 403, 404, 422)},
    url_name="strategic-priority-coverage", operation_id="strategic_priority_coverage",
    summary="What serves each active strategic priority",
)
@api_gate(Permission.VIEW_STRATEGIC_COVERAGE)
@paginate(Pagination)
def coverage(request: HttpRequest, network: Network) -> list[dict[str, Any]]:
    """A priority nothing serves has `served: false` and empty lists."""
    return [{
        "priority": item.priority,
        "served": item.served,
        "nominations": [{"id": n.pk, "title": n.title, "round_id": n.round_id,
                         "round_title": n.round.title, "decision": n.decision}
                        for n in item.nominations],
        "qi_projects": [{"id": r.project.pk, "title": r.project.title,
                         "stage": r.project.stage} for r in item.projects],
        "innovations": [{"id": i.pk, "name": i.name, "kind": i.kind, "stage": i.stage}
                        for group in item.innovations_by_stage
                        for i in group.innovations],
    } for item in queries.coverage(network)]
