"""The member directory, as the directory pages show it: consent is law.

Only members who chose to be listed appear, each detail only where they
agreed to share it, and filters match only members who share the detail
filtered on (`msknet.members.queries_directory`).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Router
from ninja.pagination import paginate

from msknet.members import queries_directory as directory
from msknet.members.models import Membership, Network, Profession, Sector
from msknet.members.permissions import Permission

from .errors import FieldErrors
from .gate import api_gate
from .pagination import Pagination
from .reference import icb_by_code
from .responses import errors
from .schemas import MemberOut, ODSCode, SearchText, Slug

router = Router(tags=["Member directory"])


@router.get(
    "/networks/{slug}/members",
    response={200: list[MemberOut], **errors(401, 403, 404, 422)},
    url_name="member-list",
    operation_id="list_members",
    summary="Search the member directory",
)
@api_gate(Permission.VIEW_DIRECTORY)
@paginate(Pagination)
def member_list(
    request: HttpRequest,
    network: Network,
    q: SearchText = "",
    sector: Sector | None = None,
    profession: Profession | None = None,
    icb: ODSCode | None = None,
    interest: Slug | None = None,
) -> QuerySet[Membership]:
    """Members listed in the directory, by name.

    `q` matches words of names. `sector`, `profession`, `icb` (ODS code) and
    `interest` (a topic slug) match only members who share that detail.
    """
    topic = None
    if interest:
        topic = network.topics.filter(slug=interest).first()
        if topic is None:
            raise FieldErrors({"interest": f"{network} has no topic {interest!r}"})
    members = directory.search_directory(
        network,
        q=q,
        sector=sector or "",
        profession=profession or "",
        icb=icb_by_code(icb, field="icb") if icb else None,
        interest=topic,
    )
    return directory.with_details(members)


@router.get(
    "/networks/{slug}/members/{id}",
    response={200: MemberOut, **errors(401, 403, 404)},
    url_name="member-detail",
    operation_id="get_member",
    summary="Get a directory entry",
)
@api_gate(Permission.VIEW_DIRECTORY)
def member_detail(request: HttpRequest, network: Network, id: int) -> Membership:
    try:
        return directory.directory_member(network, id)
    except Membership.DoesNotExist:
        raise Http404 from None
