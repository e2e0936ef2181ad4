"""Groups, terms of reference, meetings, decisions and actions.

Members read; an action's owner (or whoever runs its group) changes its status.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from msknet.governance import actions as governance_actions
from msknet.governance import queries
from msknet.governance.models import (
    Action,
    ActionStatus,
    Decision,
    Group,
    Meeting,
    TermsOfReference,
)
from msknet.members.models import Network
from msknet.members.permissions import Permission

from .gate import api_gate, api_user
from .pagination import MAX_OFFSET, Pagination
from .responses import errors
from .schemas import SearchText, Slug

router = Router(tags=["Governance"])


class GroupMemberOut(Schema):
    full_name: str
    role: str


class GroupOut(Schema):
    slug: str
    name: str
    kind: str
    purpose: str
    members: list[GroupMemberOut]
    url: str

    @staticmethod
    def resolve_members(obj: Group) -> list[dict[str, Any]]:
        return [{"full_name": m.user.display_name, "role": m.role}
                for m in obj.memberships.all()]

    @staticmethod
    def resolve_url(obj: Group) -> str:
        return obj.get_absolute_url()


class TermsOut(Schema):
    number: int
    status: str
    text: str
    change_summary: str
    approved_on: date | None
    approved_by_group: str


class MeetingOut(Schema):
    id: int
    group: str
    title: str
    starts_at: datetime
    ends_at: datetime | None
    place: str
    online_link: str
    url: str

    @staticmethod
    def resolve_group(obj: Meeting) -> str:
        return obj.group.slug

    @staticmethod
    def resolve_url(obj: Meeting) -> str:
        return obj.get_absolute_url()


class DecisionOut(Schema):
    reference: str
    text: str
    decided_on: date
    meeting_id: int
    group: str
    url: str

    @staticmethod
    def resolve_group(obj: Decision) -> str:
        return obj.meeting.group.slug

    @staticmethod
    def resolve_url(obj: Decision) -> str:
        return obj.get_absolute_url()


class ActionOut(Schema):
    id: int
    description: str
    owner: str
    due_on: date
    status: ActionStatus
    overdue: bool
    meeting_id: int

    @staticmethod
    def resolve_owner(obj: Action) -> str:
        return obj.owner.display_name

    @staticmethod
    def resolve_overdue(obj: Action) -> bool:
        return obj.is_overdue()


class ActionStatusIn(Schema):
    status: ActionStatus


def load_action(*, network: Network, kwargs: dict[str, Any]) -> Action:
    pk = kwargs["id"]
    if not 0 < pk <= MAX_OFFSET:  # beyond any id, and any database's integer
        raise Http404("No such action")
    action = (Action.objects.for_network(network)
              .select_related("owner", "meeting", "meeting__group")
              .filter(pk=pk).first())
    if action is None:
        raise Http404("No such action")
    return action


@router.get("/networks/{slug}/groups", response={200: list[GroupOut],
            **errors(401, 403, 404)}, url_name="governance-group-list",
            operation_id="list_groups", summary="List the network's groups")
@api_gate(Permission.VIEW_GOVERNANCE)
@paginate(Pagination)
def group_list(request: HttpRequest, network: Network) -> QuerySet[Group]:
    return queries.groups(network)


@router.get("/networks/{slug}/groups/{group_slug}/terms",
            response={200: list[TermsOut], **errors(401, 403, 404)},
            url_name="governance-terms-list", operation_id="list_terms_of_reference",
            summary="List a group's terms of reference, newest version first")
@api_gate(Permission.VIEW_GOVERNANCE)
@paginate(Pagination)
def terms_list(request: HttpRequest, network: Network, group_slug: Slug
               ) -> QuerySet[TermsOfReference]:
    return queries.get_group(network, group_slug).terms_versions.order_by("-number")


@router.get("/networks/{slug}/meetings", response={200: list[MeetingOut],
            **errors(401, 403, 404)}, url_name="governance-meeting-list",
            operation_id="list_meetings", summary="List meetings, newest first")
@api_gate(Permission.VIEW_GOVERNANCE)
@paginate(Pagination)
def meeting_list(request: HttpRequest, network: Network, group: Slug = ""
                 ) -> QuerySet[Meeting]:
    meetings = queries.meetings(network).select_related("group__network")
    return meetings.filter(group__slug=group) if group else meetings


@router.get("/networks/{slug}/decisions", response={200: list[DecisionOut],
            **errors(401, 403, 404)}, url_name="governance-decision-list",
            operation_id="list_decisions", summary="Search the decision log")
@api_gate(Permission.VIEW_GOVERNANCE)
@paginate(Pagination)
def decision_list(request: HttpRequest, network: Network, q: SearchText = "",
                  group: Slug = "") -> QuerySet[Decision]:
    found = network.groups.filter(slug=group).first() if group else None
    if group and found is None:
        raise Http404("No such group")
    return queries.search_decisions(network, q=q, group=found)


@router.get("/networks/{slug}/actions/mine", response={200: list[ActionOut],
            **errors(401, 403, 404)}, url_name="governance-my-actions",
            operation_id="list_my_actions", summary="List my actions")
@api_gate(Permission.VIEW_GOVERNANCE)
@paginate(Pagination)
def my_actions(request: HttpRequest, network: Network) -> QuerySet[Action]:
    return queries.actions_for(network, api_user(request))


@router.post("/networks/{slug}/actions/{id}/status", response={200: ActionOut,
             **errors(401, 403, 404, 422)}, url_name="governance-action-status",
             operation_id="set_action_status",
             summary="Mark an action done or cancelled, or reopen it")
@api_gate(Permission.UPDATE_ACTION, load=load_action, as_="action")
def action_status(request: HttpRequest, network: Network, id: int,
                  body: ActionStatusIn, action: Action) -> Action:
    return governance_actions.set_action_status(
        action=action, by=api_user(request), status=body.status)
