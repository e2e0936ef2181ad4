"""The one permission gate: who may do what, in which network.

Permissions are data; roles are sets of permissions; `has_permission` is the
only function that answers "may this person do this here?". Pages pass it
through `msknet.core.gate.gate`, API operations through
`msknet.api.gate.api_gate`; a middleware refuses any page that bypasses it.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum, auto
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import F, Q

if TYPE_CHECKING:
    from .models import Network


class Permission(StrEnum):
    VIEW_PUBLIC = auto()
    """Read public pages: network home and about, reference lists."""
    REQUEST_TO_JOIN = auto()
    """Ask to join a network through its open form."""
    USE_OWN_ACCOUNT = auto()
    """See and change one's own details, data download, deletion, API tokens."""
    VIEW_DIRECTORY = auto()
    """Search the network's member directory."""
    VIEW_NETWORK_DASHBOARD = auto()
    """See the network's membership dashboard."""
    DECIDE_JOIN_REQUESTS = auto()
    """See pending join requests and approve or decline them."""
    MANAGE_INVITATIONS = auto()
    """Invite people, re-send and withdraw invitations."""
    MANAGE_MEMBERS = auto()
    """Change members' roles."""
    EDIT_NETWORK = auto()
    """Change the network's about page, vision and topics."""
    VIEW_FAILED_TASKS = auto()
    """See the network's background tasks (emails, imports) that failed for good."""
    IMPORT_INDICATOR_DATA = auto()
    """Upload Fingertips or local indicator files and see past imports."""
    EDIT_INDICATOR = auto()
    """Change an indicator's details (object rule: a network's own local
    indicators by its leads; shared public ones only by a data steward)."""
    VIEW_DISCUSSIONS = auto()
    """Read the network's discussion threads, its groups' included."""
    TAKE_PART_IN_DISCUSSIONS = auto()
    """Start threads, reply, mention members and follow threads."""
    EDIT_DISCUSSION_POST = auto()
    """Change one's own visible post (object rule: the post's author)."""
    MODERATE_DISCUSSIONS = auto()
    """Hide and show posts, lock and unlock threads, with a recorded reason."""
    VIEW_GOVERNANCE = auto()
    """Read groups, terms of reference, meetings, decisions and one's actions."""
    RUN_GROUP_MEETINGS = auto()
    """Arrange meetings, record minutes, decisions, actions and draft terms of
    reference (object rule: the group's chair, or a lead)."""
    UPDATE_ACTION = auto()
    """Change an action's status (object rule: its owner, or who runs the group)."""
    MANAGE_GROUPS = auto()
    """Create groups, change them and their membership."""
    APPROVE_TERMS = auto()
    """Record the approval of a version of a group's terms of reference."""
    MANAGE_TIMELINE = auto()
    """Change the programme timeline's phases and milestones."""
    VIEW_QI_PROJECTS = auto()
    """Read the network's improvement projects, their measures and cycles."""
    START_QI_PROJECT = auto()
    """Start an improvement project, directly or from a selected nomination."""
    EDIT_QI_PROJECT = auto()
    """Change a project, its team, driver diagram, measures, data and cycles
    (object rule: the project's team, or a lead)."""
    FOLLOW_QI_PROJECT = auto()
    """Follow a project or one of its measures, to hear of new signals and
    overdue data (anyone who may read the network's projects)."""
    CLOSE_QI_PROJECT = auto()
    """Close a project, recording what was learned (object rule: its team, or a
    lead)."""
    VIEW_PRIORITIES = auto()
    """See nomination rounds, nominations, comments, supports and decisions."""
    NOMINATE = auto()
    """Nominate projects in an open round; comment on and support nominations."""
    EDIT_NOMINATION = auto()
    """Change a nomination (object rule: its nominator, while the round is open)."""
    SCORE_NOMINATIONS = auto()
    """Score nominations (object rule: the round's named panel, or the steering
    group and leads when no panel is named)."""
    SEE_NOMINATION_SCORES = auto()
    """See everyone's scores for a nomination (object rule: once one has scored
    it oneself, or after the round's screening closes)."""
    VIEW_PRIORITY_RESULTS = auto()
    """See a round's ranking and proposed portfolio."""
    RUN_PRIORITY_ROUNDS = auto()
    """Open, change and close rounds: dates, criteria, weights, panel, terms."""
    DECIDE_NOMINATIONS = auto()
    """Record a decision on a nomination: selected, deferred or declined."""
    VIEW_STRATEGIC_COVERAGE = auto()
    """See what serves each strategic priority, and which nothing serves yet."""
    MANAGE_STRATEGIC_PRIORITIES = auto()
    """Add, change, order, retire and reinstate a network's strategic priorities."""
    VIEW_INNOVATIONS = auto()
    """See every innovation the network has, at every stage, with where it is in
    use: the spread matrix, adoption curve and map."""
    VIEW_INNOVATION = auto()
    """See one innovation (object rule: recommended ones for anyone, the rest for
    members; a proposal sent through the public form only for leads until
    reviewed)."""
    PROPOSE_INNOVATION = auto()
    """Propose an innovation the network should look at."""
    EDIT_INNOVATION = auto()
    """Change an innovation's record, evidence, files and measures (object rule:
    its proposer, or a lead)."""
    FOLLOW_INNOVATION = auto()
    """Follow an innovation, to hear when it moves stage."""
    MANAGE_INNOVATIONS = auto()
    """Review proposals from the public form, move innovations through triage,
    set the screening criteria, scale and panel."""
    SCORE_INNOVATIONS = auto()
    """Score innovations in screening (object rule: the named panel, or the
    steering group and leads when nobody is named)."""
    SEE_INNOVATION_SCORES = auto()
    """See everyone's scores for an innovation (object rule: once one has scored
    it oneself, or once the lead has decided)."""
    VIEW_INNOVATION_RESULTS = auto()
    """See the ranking of innovations in screening, with the spread of scores."""
    DECIDE_INNOVATIONS = auto()
    """Record the decision on a screened innovation against a meeting:
    recommended for spread, on hold, or not taken forward."""
    RECORD_ADOPTION = auto()
    """Record a site's adoption status (object rule: the site's contacts, members
    from the site's organisation, or a lead)."""
    VIEW_SERVICE_WORKFORCE = auto()
    """See services' workforce figures (whole-time equivalents and vacancies)
    and workforce per 100,000 population across ICBs."""
    EDIT_SERVICE = auto()
    """Add a service, change its details, record its workforce, activity and
    waits, and confirm it is up to date (object rule: members from the
    service's provider organisation, or a lead)."""
    MANAGE_LANDSCAPE = auto()
    """See services not confirmed for six months and ask their owners to
    confirm them, import services from CSV, withdraw and restore services."""
    VIEW_SURVEYS = auto()
    """See the surveys open to one, and one's saved answers."""
    ANSWER_SURVEY = auto()
    """Answer a survey (object rule: its audience: the network's members, a
    group's members, an event's attendees, or anyone with the link)."""
    VIEW_SURVEY_RESULTS = auto()
    """See a survey's results summary (object rule: leads, and members once a
    lead shares it with the network)."""
    MANAGE_SURVEYS = auto()
    """Build surveys from templates or from scratch, open and close them, see
    and export their responses, code free-text answers into themes, and share
    the results summary."""
    VIEW_EVENT = auto()
    """See an event (object rule: public events for anyone, the rest for members)."""
    REGISTER_FOR_EVENT = auto()
    """Register for an event or join its waiting list (object rule: anyone signed
    in for public events, members for members-only events)."""
    CREATE_EVENT = auto()
    """Arrange an event: community of practice meetings, webinars, regional events."""
    MANAGE_EVENT = auto()
    """Change an event, see its registrations, record attendance and add slides
    and recordings (object rule: its organiser, or a lead)."""
    VIEW_RESOURCE = auto()
    """See a library resource (object rule: public ones for anyone, the rest for
    members)."""
    ADD_RESOURCE = auto()
    """Add guidance, pathways, case studies and evidence to the resource library."""
    EDIT_RESOURCE = auto()
    """Change or remove a library resource (object rule: its author, or a lead)."""
    MANAGE_RESOURCES = auto()
    """Change or remove anyone's library resources."""
    VIEW_NEWS = auto()
    """Read a sent news item (object rule: public ones for anyone, the rest for
    members)."""
    CHOOSE_NEWS_EMAILS = auto()
    """Stop or start getting the network's news by email."""
    WRITE_NEWS = auto()
    """Write, preview, schedule and send announcements and newsletters, and see
    how many were sent (object rule: leads, and members a lead allows)."""
    MANAGE_NEWS_WRITERS = auto()
    """Allow members to write the network's news, and stop them."""


class Visitor:
    description = "Anyone, signed in or not: public pages and the join form."
    permissions = frozenset({Permission.VIEW_PUBLIC, Permission.REQUEST_TO_JOIN})


class SignedIn:
    description = "Anyone signed in: their own account."
    permissions = frozenset({Permission.USE_OWN_ACCOUNT})


class Member:
    description = (
        "A member of the network: the directory, events and resources, "
        "discussions, governance papers, priorities and QI projects."
    )
    permissions = frozenset({
        Permission.VIEW_DIRECTORY,
        Permission.VIEW_EVENT,
        Permission.REGISTER_FOR_EVENT,
        Permission.VIEW_RESOURCE,
        Permission.ADD_RESOURCE,
        Permission.EDIT_RESOURCE,
        Permission.VIEW_DISCUSSIONS,
        Permission.TAKE_PART_IN_DISCUSSIONS,
        Permission.EDIT_DISCUSSION_POST,
        Permission.VIEW_GOVERNANCE,
        Permission.UPDATE_ACTION,
        Permission.VIEW_QI_PROJECTS,
        Permission.EDIT_QI_PROJECT,
        Permission.FOLLOW_QI_PROJECT,
        Permission.CLOSE_QI_PROJECT,
        Permission.VIEW_PRIORITIES,
        Permission.VIEW_STRATEGIC_COVERAGE,
        Permission.NOMINATE,
        Permission.EDIT_NOMINATION,
        Permission.VIEW_NEWS,
        Permission.CHOOSE_NEWS_EMAILS,
        Permission.VIEW_INNOVATIONS,
        Permission.VIEW_INNOVATION,
        Permission.PROPOSE_INNOVATION,
        Permission.EDIT_INNOVATION,
        Permission.FOLLOW_INNOVATION,
        Permission.RECORD_ADOPTION,
        Permission.VIEW_SERVICE_WORKFORCE,
        Permission.EDIT_SERVICE,
        Permission.VIEW_SURVEYS,
        Permission.ANSWER_SURVEY,
        Permission.VIEW_SURVEY_RESULTS,
    })


class SteeringGroupMember:
    description = (
        "Sits on the steering group: the network dashboard, creating events, "
        "scoring nominations and their results."
    )
    permissions = Member.permissions | {
        Permission.VIEW_NETWORK_DASHBOARD,
        Permission.CREATE_EVENT,
        Permission.SCORE_NOMINATIONS,
        Permission.SEE_NOMINATION_SCORES,
        Permission.VIEW_PRIORITY_RESULTS,
        Permission.SCORE_INNOVATIONS,
        Permission.SEE_INNOVATION_SCORES,
        Permission.VIEW_INNOVATION_RESULTS,
    }


class NetworkLead:
    description = (
        "Runs the network: joining, invitations, members, about page, data "
        "imports and the network's own local indicators, events, resources, "
        "moderation, groups and meetings, terms of "
        "reference, the timeline, priority rounds and decisions, strategic "
        "priorities, QI projects."
    )
    permissions = SteeringGroupMember.permissions | {
        Permission.DECIDE_JOIN_REQUESTS,
        Permission.MANAGE_INVITATIONS,
        Permission.MANAGE_MEMBERS,
        Permission.EDIT_NETWORK,
        Permission.VIEW_FAILED_TASKS,
        Permission.IMPORT_INDICATOR_DATA,
        Permission.EDIT_INDICATOR,
        Permission.MANAGE_EVENT,
        Permission.MANAGE_RESOURCES,
        Permission.MODERATE_DISCUSSIONS,
        Permission.RUN_GROUP_MEETINGS,
        Permission.MANAGE_GROUPS,
        Permission.APPROVE_TERMS,
        Permission.MANAGE_TIMELINE,
        Permission.START_QI_PROJECT,
        Permission.RUN_PRIORITY_ROUNDS,
        Permission.DECIDE_NOMINATIONS,
        Permission.MANAGE_STRATEGIC_PRIORITIES,
        Permission.WRITE_NEWS,
        Permission.MANAGE_NEWS_WRITERS,
        Permission.MANAGE_INNOVATIONS,
        Permission.DECIDE_INNOVATIONS,
        Permission.MANAGE_LANDSCAPE,
        Permission.MANAGE_SURVEYS,
    }


ROLE_CLASSES = {
    "member": Member,
    "steering": SteeringGroupMember,
    "lead": NetworkLead,
}

# Permissions that only make sense inside a network.
NETWORK_PERMISSIONS = frozenset(
    Member.permissions | SteeringGroupMember.permissions | NetworkLead.permissions
)


class SignInRequired(PermissionDenied):
    """Raised for visitors who may gain the permission by signing in."""


def network_role(user: Any, network: Network) -> str | None:
    """The user's role in the network, or None. Cached per request user."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    cache = user.__dict__.setdefault("_msknet_roles", {})
    if network.pk not in cache:
        from .models import Membership

        cache[network.pk] = (
            Membership.objects.filter(user=user, network=network)
            .values_list("role", flat=True)
            .first()
        )
    return cache[network.pk]


def permissions_for(user: Any, network: Network | None = None) -> frozenset[str]:
    granted: set[str] = set(Visitor.permissions)
    if getattr(user, "is_authenticated", False) and user.is_active:
        granted |= SignedIn.permissions
        if network is not None:
            role = network_role(user, network)
            if role is not None:
                granted |= ROLE_CLASSES[role].permissions
    return frozenset(granted)


# Object rules: permissions that depend on the thing acted on as well as the
# role (a named scoring panel, a meeting's group, an action's owner). A rule
# gets the user, the permissions their role grants in the network and the
# object, and answers alone; a permission with a rule is always asked with
# its object. Rules live here, beside the roles, so there is still one gate.
ObjectRule = Callable[[Any, frozenset[str], Any], bool]
OBJECT_RULES: dict[Permission, ObjectRule] = {}
# Object rules that may grant their permission to a visitor (public things).
VISITOR_OBJECT_RULES: set[Permission] = set()


def object_rule(
    permission: Permission, *, visitors: bool = False
) -> Callable[[ObjectRule], ObjectRule]:
    """Register the rule for `permission`; `visitors=True` if it may grant it
    to someone not signed in (the API refuses visitors the rest up front)."""

    def register(rule: ObjectRule) -> ObjectRule:
        if permission in OBJECT_RULES:
            raise ValueError(f"{permission} already has an object rule")
        OBJECT_RULES[permission] = rule
        if visitors:
            VISITOR_OBJECT_RULES.add(permission)
        return rule

    return register


def visitors_may_have(permission: Permission) -> bool:
    """Whether anyone not signed in could be granted `permission` anywhere."""
    return permission in Visitor.permissions or permission in VISITOR_OBJECT_RULES


def has_permission(
    user: Any,
    permission: Permission,
    network: Network | None = None,
    obj: Any = None,
) -> bool:
    if permission in NETWORK_PERMISSIONS and network is None:
        raise ValueError(f"{permission} is checked within a network")
    granted = permissions_for(user, network)
    rule = OBJECT_RULES.get(permission)
    if rule is None:
        return permission in granted
    if obj is None:
        raise ValueError(f"{permission} is checked against an object")
    return rule(user, granted, obj)


def require_permission(
    user: Any,
    permission: Permission,
    network: Network | None = None,
    obj: Any = None,
) -> None:
    if has_permission(user, permission, network, obj):
        return
    if not getattr(user, "is_authenticated", False):
        raise SignInRequired(permission)
    raise PermissionDenied(permission)


@object_rule(Permission.EDIT_DISCUSSION_POST)
def edit_discussion_post(user: Any, granted: frozenset[str], post: Any) -> bool:
    """Authors change their own posts while the post shows and the thread is open."""
    return (
        Permission.EDIT_DISCUSSION_POST in granted
        and post.author_id == user.pk
        and post.hidden_at is None
        and post.thread.locked_at is None
    )


@object_rule(Permission.RUN_GROUP_MEETINGS)
def run_group_meetings(user: Any, granted: frozenset[str], obj: Any) -> bool:
    """Leads run every group's business; a group's chair runs their own group's.

    `obj` is the group, or anything of the group's with a `group` (a meeting,
    a terms of reference version).
    """
    if Permission.RUN_GROUP_MEETINGS in granted:
        return True
    group = getattr(obj, "group", obj)
    return Permission.VIEW_GOVERNANCE in granted and group.is_chair(user)


@object_rule(Permission.UPDATE_ACTION)
def update_action(user: Any, granted: frozenset[str], action: Any) -> bool:
    """An action's owner changes its status, as do those who run its group."""
    if Permission.UPDATE_ACTION not in granted:
        return False
    return action.owner_id == user.pk or run_group_meetings(
        user, granted, action.meeting
    )


def qi_project_team_or_lead(user: Any, granted: frozenset[str], obj: Any) -> bool:
    """Leads change and close any project; its team members change and close it.

    `obj` is the project, or anything of the project's with a `project` (a
    measure, a cycle). Members hold the permission only through a team place.
    """
    if Permission.EDIT_QI_PROJECT not in granted:
        return False
    if Permission.START_QI_PROJECT in granted:
        return True
    project = getattr(obj, "project", obj)
    return project.team.filter(user_id=user.pk).exists()


object_rule(Permission.EDIT_QI_PROJECT)(qi_project_team_or_lead)
object_rule(Permission.CLOSE_QI_PROJECT)(qi_project_team_or_lead)


@object_rule(Permission.EDIT_NOMINATION)
def edit_nomination(user: Any, granted: frozenset[str], nomination: Any) -> bool:
    """The nominator changes their nomination until the round closes."""
    return (
        Permission.EDIT_NOMINATION in granted
        and nomination.nominated_by_id == user.pk
        and nomination.round.is_open
    )


@object_rule(Permission.SCORE_NOMINATIONS)
def score_nominations(user: Any, granted: frozenset[str], obj: Any) -> bool:
    """A round's named panel scores it; with nobody named, the steering group
    and leads do. `obj` is the round, or one of its nominations.
    """
    round = getattr(obj, "round", obj)
    if Permission.VIEW_PRIORITIES not in granted:
        return False  # panellists must still be members of the network
    if round.panel.exists():
        return round.panel.filter(pk=user.pk).exists()
    return Permission.SCORE_NOMINATIONS in granted


@object_rule(Permission.SEE_NOMINATION_SCORES)
def see_nomination_scores(user: Any, granted: frozenset[str], nomination: Any) -> bool:
    """Scores stay hidden from each panellist until they have scored the
    nomination themselves, so nobody is swayed by others. Leads and steering
    members are treated alike: they see a nomination's scores once they have
    scored it, or, if they cannot or did not, once the lead closes screening.
    """
    if not (
        Permission.SEE_NOMINATION_SCORES in granted
        or score_nominations(user, granted, nomination)
    ):
        return False
    if nomination.round.screening_closed_at is not None:
        return True
    return nomination.scorecards.filter(panellist_id=user.pk).exists()


@object_rule(Permission.VIEW_INNOVATION, visitors=True)
def view_innovation(user: Any, granted: frozenset[str], innovation: Any) -> bool:
    """Recommended innovations are public; members see the rest, except
    proposals from the public form, which only leads see until one reviews them."""
    if innovation.awaiting_review:
        return Permission.MANAGE_INNOVATIONS in granted
    return innovation.is_public or Permission.VIEW_INNOVATION in granted


@object_rule(Permission.EDIT_INNOVATION)
def edit_innovation(user: Any, granted: frozenset[str], innovation: Any) -> bool:
    """Leads change any innovation; members the ones they proposed."""
    if Permission.MANAGE_INNOVATIONS in granted:
        return True
    return (
        Permission.EDIT_INNOVATION in granted
        and innovation.proposed_by_id is not None
        and innovation.proposed_by_id == user.pk
    )


def _innovation_of(obj: Any) -> Any:
    return getattr(obj, "innovation", obj)


@object_rule(Permission.SCORE_INNOVATIONS)
def score_innovations(user: Any, granted: frozenset[str], obj: Any) -> bool:
    """The network's named innovation panel scores; with nobody named, the
    steering group and leads do. `obj` is the network or an innovation, and an
    innovation is scored only while it is in screening."""
    from msknet.innovations.models import ScreeningPanel, Stage

    if Permission.VIEW_INNOVATIONS not in granted:
        return False  # panellists must still be members of the network
    innovation = obj if hasattr(obj, "stage") else None
    if innovation is not None and innovation.stage != Stage.SCREENING:
        return False
    network = innovation.network if innovation is not None else obj
    panel = ScreeningPanel.objects.filter(network=network).first()
    if panel is not None and panel.panel.exists():
        return panel.panel.filter(pk=user.pk).exists()
    return Permission.SCORE_INNOVATIONS in granted


@object_rule(Permission.SEE_INNOVATION_SCORES)
def see_innovation_scores(user: Any, granted: frozenset[str], innovation: Any) -> bool:
    """Scores stay hidden from each panellist until they have scored the
    innovation themselves, so nobody is swayed by others; once the lead has
    decided, the panel, steering group and leads all see them."""
    from msknet.innovations.models import DECISION_STAGES

    if Permission.VIEW_INNOVATIONS not in granted:
        return False
    scored = innovation.scorecards.filter(panellist_id=user.pk).exists()
    if innovation.stage in DECISION_STAGES:
        return scored or Permission.SEE_INNOVATION_SCORES in granted
    return scored


@object_rule(Permission.RECORD_ADOPTION)
def record_adoption(user: Any, granted: frozenset[str], adoption: Any) -> bool:
    """Leads record any site's status; so do the adoption's named contacts and
    members from the site's own organisation. `adoption` may be unsaved (a
    site's first record), holding just its innovation and site."""
    if Permission.MANAGE_INNOVATIONS in granted:
        return True
    if Permission.RECORD_ADOPTION not in granted:
        return False
    if adoption.pk is not None and adoption.contacts.filter(pk=user.pk).exists():
        return True
    return adoption.innovation.network.memberships.active().filter(
        user=user, organisation_id=adoption.site_id
    ).exists()


@object_rule(Permission.EDIT_SERVICE)
def edit_service(user: Any, granted: frozenset[str], service: Any) -> bool:
    """Leads change any service; members from the service's provider
    organisation keep its services up to date. `service` may be unsaved (a
    new service), holding just its network and provider."""
    if Permission.MANAGE_LANDSCAPE in granted:
        return True
    if Permission.EDIT_SERVICE not in granted or service.provider_id is None:
        return False
    return service.network.memberships.active().filter(
        user=user, organisation_id=service.provider_id
    ).exists()


@object_rule(Permission.ANSWER_SURVEY, visitors=True)
def answer_survey(user: Any, granted: frozenset[str], survey: Any) -> bool:
    """Who may answer is the survey's audience: anyone with the link (signed in
    or not, though a named survey needs a name, so an account); the network's
    members; a group's members; or an event's attendees (those recorded as
    attending, or registered while attendance is not recorded)."""
    from msknet.community.models import Attendance, RegistrationStatus
    from msknet.surveys.models import Audience

    signed_in = getattr(user, "is_authenticated", False) and user.is_active
    if survey.audience == Audience.ANYONE_WITH_LINK:
        return signed_in or survey.anonymous
    if not signed_in:
        return False
    if Permission.MANAGE_SURVEYS in granted:
        return True  # leads try out every survey
    if survey.audience == Audience.MEMBERS:
        return Permission.ANSWER_SURVEY in granted
    if survey.audience == Audience.GROUP:
        return Permission.ANSWER_SURVEY in granted and survey.group.memberships.filter(
            user=user
        ).exists()
    if survey.audience == Audience.EVENT_ATTENDEES:
        return survey.event.registrations.filter(
            user=user, status=RegistrationStatus.REGISTERED
        ).exclude(attendance=Attendance.DID_NOT_ATTEND).exists()
    return False


@object_rule(Permission.VIEW_SURVEY_RESULTS)
def view_survey_results(user: Any, granted: frozenset[str], survey: Any) -> bool:
    """Leads see every survey's results; members once a lead shares them."""
    if Permission.MANAGE_SURVEYS in granted:
        return True
    return Permission.VIEW_SURVEY_RESULTS in granted and survey.results_shared


@object_rule(Permission.VIEW_EVENT, visitors=True)
def view_event(user: Any, granted: frozenset[str], event: Any) -> bool:
    """Public events are for anyone; members-only events for the network's members."""
    return event.is_public or Permission.VIEW_EVENT in granted


@object_rule(Permission.REGISTER_FOR_EVENT)
def register_for_event(user: Any, granted: frozenset[str], event: Any) -> bool:
    """Anyone signed in registers for a public event; members for the rest."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return event.is_public or Permission.REGISTER_FOR_EVENT in granted


@object_rule(Permission.MANAGE_EVENT)
def manage_event(user: Any, granted: frozenset[str], event: Any) -> bool:
    """Leads manage every event; an organiser who is still a member, their own."""
    if Permission.MANAGE_EVENT in granted:
        return True
    return Permission.VIEW_EVENT in granted and event.organiser_id == user.pk


@object_rule(Permission.VIEW_RESOURCE, visitors=True)
def view_resource(user: Any, granted: frozenset[str], resource: Any) -> bool:
    """Public resources are for anyone; members-only ones for the network's members."""
    return resource.is_public or Permission.VIEW_RESOURCE in granted


@object_rule(Permission.EDIT_RESOURCE)
def edit_resource(user: Any, granted: frozenset[str], resource: Any) -> bool:
    """Leads change or remove any resource; members their own."""
    if Permission.MANAGE_RESOURCES in granted:
        return True
    return Permission.EDIT_RESOURCE in granted and resource.created_by_id == user.pk


@object_rule(Permission.VIEW_NEWS, visitors=True)
def view_news(user: Any, granted: frozenset[str], item: Any) -> bool:
    """Sent news: public items for anyone, members-only ones for members."""
    if not item.is_published:
        return False
    return item.is_public or Permission.VIEW_NEWS in granted


@object_rule(Permission.WRITE_NEWS)
def write_news(user: Any, granted: frozenset[str], obj: Any) -> bool:
    """Leads write the network's news; so do members a lead allows (a
    `NewsWriter`). `obj` is the network, or one of its news items."""
    if Permission.WRITE_NEWS in granted:
        return True
    if Permission.VIEW_NEWS not in granted:
        return False  # writers must still be members of the network
    from msknet.communications.models import NewsWriter

    network = getattr(obj, "network", obj)
    return NewsWriter.objects.filter(network=network, user_id=user.pk).exists()


# Two-factor authentication ------------------------------------------------

#: Permissions that show member lists beyond the directory (join requests,
#: invitations, every member and their role, an event's registrants): whoever
#: holds one through their role in any network must use two-factor
#: authentication.
TWO_FACTOR_PERMISSIONS = frozenset({
    Permission.DECIDE_JOIN_REQUESTS,
    Permission.MANAGE_INVITATIONS,
    Permission.MANAGE_MEMBERS,
    Permission.MANAGE_EVENT,
    Permission.CREATE_EVENT,
})


def two_factor_rule() -> Q:
    """`two_factor_required` as a condition on users, for one query with others."""
    roles = [
        role
        for role, role_class in ROLE_CLASSES.items()
        if role_class.permissions & TWO_FACTOR_PERMISSIONS
    ]
    return Q(memberships__role__in=roles) | Q(
        organised_events__network__memberships__user=F("pk")
    )


def two_factor_required(user: Any) -> bool:
    """Whether the person must sign in with a second factor (a code).

    Those who can see member lists beyond the directory must: anyone whose
    role in any network grants DECIDE_JOIN_REQUESTS, MANAGE_INVITATIONS,
    MANAGE_MEMBERS or MANAGE_EVENT (leads), or CREATE_EVENT (steering group
    members, who arrange events and then see who registered), and any member
    who organises one of their network's events (MANAGE_EVENT's object rule
    shows them its registrants). Nobody must while MSKNET_REQUIRE_2FA is off
    (the demo). Anyone else may choose to.
    """
    if not settings.MSKNET_REQUIRE_2FA:
        return False
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    from .models import User

    return User.objects.filter(pk=user.pk).filter(two_factor_rule()).exists()


def is_data_steward(user: Any) -> bool:
    """A deployment-level role (`msknet insights steward add EMAIL`), not a
    network's: data stewards look after the shared public indicators."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if "_msknet_data_steward" not in user.__dict__:
        from msknet.insights.models import DataSteward

        user.__dict__["_msknet_data_steward"] = DataSteward.objects.filter(
            user=user).exists()
    return bool(user.__dict__["_msknet_data_steward"])


@object_rule(Permission.EDIT_INDICATOR)
def edit_indicator(user: Any, granted: frozenset[str], indicator: Any) -> bool:
    """Shared public indicators are the same for every network: only a data
    steward changes them. A network's own local indicator belongs to it: its
    leads change it (the page loads only this network's or shared ones)."""
    if indicator.network_id is None:
        return is_data_steward(user)
    return Permission.EDIT_INDICATOR in granted
