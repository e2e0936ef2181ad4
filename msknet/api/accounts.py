"""The token holder's own account."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest
from ninja import Router

from msknet.members.models import Topic
from msknet.members.permissions import Permission

from .gate import api_gate, api_user
from .responses import errors
from .schemas import MeOut

router = Router(tags=["Your account"])


@router.get(
    "/me",
    response={200: MeOut, **errors(401)},
    url_name="me",
    operation_id="get_me",
    summary="Your account and memberships",
)
@api_gate(Permission.USE_OWN_ACCOUNT)
def me(request: HttpRequest) -> dict[str, Any]:
    """The account the token belongs to, with every network membership."""
    user = api_user(request)
    memberships = (
        user.memberships.select_related("network", "organisation", "icb")
        .prefetch_related(
            Prefetch("interests", queryset=Topic.objects.order_by("position", "name"))
        )
        .order_by("network__name")
    )
    return {
        "id": user.pk,
        "email": user.email,
        "full_name": user.full_name,
        "phone": user.phone,
        "job_title": user.job_title,
        "memberships": list(memberships),
    }
