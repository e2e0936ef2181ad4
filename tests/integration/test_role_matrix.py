"""Walk every page and API operation as each role and assert who gets what.

The table must name every URL: a new page without a row fails this test, so
nobody can add a page without deciding who may see it.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from msknet.insights.models import ImportRun, Indicator
from msknet.members.actions.accounts import create_api_token
from msknet.members.models import Membership, Role
from tests.factories.community import matrix_objects as community_objects
from tests.factories.discussions import discussions_objects
from tests.factories.governance import governance_objects
from tests.factories.improvement import improvement_objects
from tests.factories.joining import InvitationFactory, JoinRequestFactory
from tests.factories.memberships import MembershipFactory
from tests.factories.priorities import priorities_objects

ROLES = ("visitor", "outsider", "member", "steering", "lead")

# Expected status per role, in the order of ROLES.
PUBLIC = (200, 200, 200, 200, 200)
SIGNED_IN = (302, 200, 200, 200, 200)
OWN_MEMBERSHIP = (302, 404, 200, 200, 200)
MEMBERS = (302, 403, 200, 200, 200)
STEERING = (302, 403, 403, 200, 200)
LEADS = (302, 403, 403, 403, 200)
LEADS_POST_ONLY = (302, 403, 403, 403, 405)

PAGES = {
    "home": ({}, PUBLIC),
    "network-home": ({"network_slug": "london"}, PUBLIC),
    "network-about": ({"network_slug": "london"}, PUBLIC),
    "join-request-create": ({"network_slug": "london"}, PUBLIC),
    "join-request-sent": ({"network_slug": "london"}, PUBLIC),
    "accessibility": ({}, PUBLIC),
    "privacy": ({}, PUBLIC),
    "healthz": ({}, PUBLIC),
    "sign-in": ({}, PUBLIC),
    "sign-out": ({}, (405,) * 5),
    "password-reset": ({}, PUBLIC),
    "password-reset-sent": ({}, PUBLIC),
    "password-reset-complete": ({}, PUBLIC),
    # A made-up link shows the "link has expired" page.
    "password-reset-confirm": ({"uidb64": "MQ", "token": "bad-token"}, PUBLIC),
    "set-password": ({"uidb64": "MQ", "token": "bad-token"}, PUBLIC),
    # Single sign-on is off unless OIDC_ISSUER is set (tests/integration/test_sso.py).
    "sso-start": ({}, (404,) * 5),
    "sso-callback": ({}, (404,) * 5),
    "invitation-accept": ({"token": "not-a-real-token"}, (404,) * 5),
    "account": ({}, SIGNED_IN),
    "account-details": ({}, SIGNED_IN),
    "account-data": ({}, SIGNED_IN),
    "account-delete": ({}, SIGNED_IN),
    "account-tokens": ({}, SIGNED_IN),
    "account-token-revoke": ({"pk": "token"}, (302, 405, 405, 405, 405)),
    "account-membership": ({"network_slug": "london"}, OWN_MEMBERSHIP),
    "account-leave": ({"network_slug": "london"}, OWN_MEMBERSHIP),
    # Two-factor authentication: steering, leads and event organisers must use
    # it (the test client gives them an app), so set-up sends them on and they
    # see why they cannot turn it off; the rest have nothing to turn off, no
    # new codes to show, and no code to enter.
    "two-factor": ({}, SIGNED_IN),
    "two-factor-set-up": ({}, (302, 200, 200, 302, 302), {"organiser": 302}),
    "two-factor-recovery-codes": ({}, (302,) * 5),
    "two-factor-new-codes": ({}, (302,) * 5, post()),
    "two-factor-turn-off": ({}, (302, 302, 302, 200, 200), {"organiser": 200}),
    "two-factor-verify": ({}, (302,) * 5),
    "directory": ({"network_slug": "london"}, MEMBERS),
    "directory-profile": ({"network_slug": "london", "pk": "colleague"}, MEMBERS),
    "network-dashboard": ({"network_slug": "london"}, STEERING),
    "network-dashboard-chart": (
        {"network_slug": "london", "chart_id": "members-by-sector", "fmt": "csv"},
        STEERING,
    ),
    "join-request-list": ({"network_slug": "london"}, LEADS),
    "join-request-decide": ({"network_slug": "london", "pk": "join"}, LEADS),
    "invitation-list": ({"network_slug": "london"}, LEADS),
    "invitation-create": ({"network_slug": "london"}, LEADS),
    "invitation-bulk": ({"network_slug": "london"}, LEADS),
    "invitation-resend": ({"network_slug": "london", "pk": "invite"}, LEADS_POST_ONLY),
    "invitation-withdraw": (
        {"network_slug": "london", "pk": "invite"},
        LEADS_POST_ONLY,
    ),
    "network-edit": ({"network_slug": "london"}, LEADS),
    "topic-create": ({"network_slug": "london"}, LEADS),
    "member-list": ({"network_slug": "london"}, LEADS),
    "member-role": ({"network_slug": "london", "pk": "colleague"}, LEADS),
    "insights-import": ({"network_slug": "london"}, LEADS),
    "insights-import-status": ({"network_slug": "london", "pk": "import"}, LEADS),
    "insights-indicator-edit": (
        {"network_slug": "london", "indicator_slug": "matrix-indicator"}, LEADS
    ),
    # Population health: public data, readable by anyone (an indicator with no
    # values yet, so each page shows its empty state and has no charts: the
    # twins are 404 for everyone alike, never a sign-in redirect).
    "insights": ({"network_slug": "london"}, PUBLIC),
    "insights-indicator": (
        {"network_slug": "london", "indicator_slug": "matrix-indicator"}, PUBLIC
    ),
    "insights-indicator-chart": (
        {"network_slug": "london", "indicator_slug": "matrix-indicator",
         "chart_id": "icb-values", "fmt": "csv"},
        (404,) * 5,
    ),
    "insights-area": ({"network_slug": "london", "area_code": "E54000028"}, PUBLIC),
    "insights-area-chart": (
        {"network_slug": "london", "area_code": "E54000028", "chart_id": "spine",
         "fmt": "json"},
        (404,) * 5,
    ),
    "insights-trend": (
        {"network_slug": "london", "indicator_slug": "matrix-indicator",
         "area_code": "E54000028"},
        PUBLIC,
    ),
    "insights-trend-chart": (
        {"network_slug": "london", "indicator_slug": "matrix-indicator",
         "area_code": "E54000028", "chart_id": "trend", "fmt": "csv"},
        (404,) * 5,
    ),
    "insights-inequality": (
        {"network_slug": "london", "indicator_slug": "matrix-indicator",
         "area_code": "E54000028"},
        PUBLIC,
    ),
    "insights-inequality-chart": (
        {"network_slug": "london", "indicator_slug": "matrix-indicator",
         "area_code": "E54000028", "chart_id": "by-deprivation", "fmt": "csv"},
        (404,) * 5,
    ),
    "insights-funnel": (
        {"network_slug": "london", "indicator_slug": "matrix-indicator"}, PUBLIC
    ),
    "insights-funnel-chart": (
        {"network_slug": "london", "indicator_slug": "matrix-indicator",
         "chart_id": "funnel", "fmt": "csv"},
        (404,) * 5,
    ),
    # Prescribing: public data (the matrix's store is empty, so each page says
    # there is no data yet and the twins are 404 for everyone alike).
    "prescribing-overview": ({"network_slug": "london"}, PUBLIC),
    "prescribing-overview-chart": (
        {"network_slug": "london", "chart_id": "icbs", "fmt": "csv"}, (404,) * 5
    ),
    "prescribing-measure": (
        {"network_slug": "london", "measure_id": "opioid_ome", "level": "icb",
         "org_code": "QKK"},
        PUBLIC,
    ),
    "prescribing-measure-chart": (
        {"network_slug": "london", "measure_id": "opioid_ome", "level": "icb",
         "org_code": "QKK", "chart_id": "deciles", "fmt": "json"},
        (404,) * 5,
    ),
    # Governance: members read; the group's chair (here a member with no role
    # under test) and leads run meetings; leads manage groups, terms approval
    # and the timeline; an action's owner (the member) updates it.
    "group-list": ({"network_slug": "london"}, MEMBERS),
    "group-create": ({"network_slug": "london"}, LEADS),
    "group-detail": ({"network_slug": "london", "group_slug": "gov-group"}, MEMBERS),
    "group-edit": ({"network_slug": "london", "group_slug": "gov-group"}, LEADS),
    "group-member-add": ({"network_slug": "london", "group_slug": "gov-group"},
                         LEADS),
    "group-member-remove": (
        {"network_slug": "london", "group_slug": "gov-group", "user_pk": 1},
        LEADS_POST_ONLY,
    ),
    "terms-list": ({"network_slug": "london", "group_slug": "gov-group"}, MEMBERS),
    "terms-detail": (
        {"network_slug": "london", "group_slug": "gov-group", "number": 1}, MEMBERS
    ),
    "terms-compare": ({"network_slug": "london", "group_slug": "gov-group"}, MEMBERS),
    "terms-edit": ({"network_slug": "london", "group_slug": "gov-group"}, LEADS),
    "terms-approve": (
        {"network_slug": "london", "group_slug": "gov-group", "number": 1}, LEADS
    ),
    "meeting-list": ({"network_slug": "london"}, MEMBERS),
    "meeting-create": ({"network_slug": "london", "group_slug": "gov-group"}, LEADS),
    "meeting-detail": ({"network_slug": "london", "meeting_pk": "gov-meeting"},
                       MEMBERS),
    "meeting-edit": ({"network_slug": "london", "meeting_pk": "gov-meeting"}, LEADS),
    "meeting-attendance": (
        {"network_slug": "london", "meeting_pk": "gov-meeting"}, LEADS
    ),
    "agenda-item-create": (
        {"network_slug": "london", "meeting_pk": "gov-meeting"}, LEADS
    ),
    "agenda-item-edit": (
        {"network_slug": "london", "meeting_pk": "gov-meeting", "item_pk": "gov-item"},
        LEADS,
    ),
    "paper-upload": (
        {"network_slug": "london", "meeting_pk": "gov-meeting", "item_pk": "gov-item"},
        LEADS,
    ),
    "paper-download": (
        {"network_slug": "london", "meeting_pk": "gov-meeting",
         "paper_pk": "gov-paper"},
        MEMBERS,
    ),
    "decision-create": ({"network_slug": "london", "meeting_pk": "gov-meeting"},
                        LEADS),
    "action-create": ({"network_slug": "london", "meeting_pk": "gov-meeting"}, LEADS),
    "decision-list": ({"network_slug": "london"}, MEMBERS),
    "decision-detail": ({"network_slug": "london", "reference": "gov-decision"},
                        MEMBERS),
    "my-actions": ({"network_slug": "london"}, MEMBERS),
    "action-status": (
        {"network_slug": "london", "action_pk": "gov-action"},
        (302, 403, 200, 403, 200),
    ),
    "timeline": ({"network_slug": "london"}, PUBLIC),
    "phase-create": ({"network_slug": "london"}, LEADS),
    "phase-edit": ({"network_slug": "london", "pk": "gov-phase"}, LEADS),
    "milestone-create": ({"network_slug": "london"}, LEADS),
    "milestone-edit": ({"network_slug": "london", "pk": "gov-milestone"}, LEADS),
    # Events and resources: public lists and feed; a members-only event and
    # resource whose organiser and author is a colleague, so only leads manage
    # them. Cancelling with no place sends one back to the event; the
    # resource is a link, so its file is 404 to all who may see it.
    "event-list": ({"network_slug": "london"}, PUBLIC),
    "event-feed": ({"network_slug": "london"}, PUBLIC),
    # A made-up personal calendar link is refused alike.
    "event-feed-personal": ({"network_slug": "london", "token": "1-bad"}, (404,) * 5),
    "event-create": ({"network_slug": "london"}, STEERING),
    "event-detail": ({"network_slug": "london", "pk": "community-event"}, MEMBERS),
    "event-invite": ({"network_slug": "london", "pk": "community-event"}, MEMBERS),
    "event-register": ({"network_slug": "london", "pk": "community-event"}, (302, 403, 405, 405, 405)),
    "event-cancel": ({"network_slug": "london", "pk": "community-event"}, (302, 403, 302, 302, 302)),
    "event-edit": ({"network_slug": "london", "pk": "community-event"}, LEADS),
    "event-registrations": ({"network_slug": "london", "pk": "community-event"}, LEADS),
    "event-registrations-csv": ({"network_slug": "london", "pk": "community-event"}, LEADS),
    "event-material-create": ({"network_slug": "london", "pk": "community-event"}, LEADS),
    "event-material-file": (
        {"network_slug": "london", "pk": "community-event", "material_pk": 1},
        (302, 403, 404, 404, 404),
    ),
    "event-material-remove": (
        {"network_slug": "london", "pk": "community-event", "material_pk": 1},
        LEADS_POST_ONLY,
    ),
    "resource-list": ({"network_slug": "london"}, PUBLIC),
    "resource-create": ({"network_slug": "london"}, MEMBERS),
    "resource-detail": ({"network_slug": "london", "pk": "community-resource"}, MEMBERS),
    "resource-file": ({"network_slug": "london", "pk": "community-resource"}, (302, 403, 404, 404, 404)),
    "resource-edit": ({"network_slug": "london", "pk": "community-resource"}, LEADS),
    "resource-delete": ({"network_slug": "london", "pk": "community-resource"}, LEADS),
    # Priorities: an open round with the member's nomination. Only its
    # nominator edits it; the steering group and leads score (the round names
    # no panel) and see the ranking; leads run the round and decide.
    "priorities": ({"network_slug": "london"}, MEMBERS),
    "priorities-terms": ({"network_slug": "london"}, LEADS),
    "priorities-round-create": ({"network_slug": "london"}, LEADS),
    "priorities-round": ({"network_slug": "london", "round_id": "priority-round"}, MEMBERS),
    "priorities-round-edit": ({"network_slug": "london", "round_id": "priority-round"}, LEADS),
    "priorities-round-close": ({"network_slug": "london", "round_id": "priority-round"}, LEADS_POST_ONLY),
    "priorities-screening-close": ({"network_slug": "london", "round_id": "priority-round"}, LEADS_POST_ONLY),
    "priorities-criteria": ({"network_slug": "london", "round_id": "priority-round"}, LEADS),
    "priorities-criterion-edit": (
        {"network_slug": "london", "round_id": "priority-round",
         "criterion_id": "priority-criterion"}, LEADS,
    ),
    "priorities-criterion-delete": (
        {"network_slug": "london", "round_id": "priority-round",
         "criterion_id": "priority-criterion"}, LEADS_POST_ONLY,
    ),
    "priorities-panel": ({"network_slug": "london", "round_id": "priority-round"}, LEADS),
    "priorities-nominate": ({"network_slug": "london", "round_id": "priority-round"}, MEMBERS),
    "priorities-screening": ({"network_slug": "london", "round_id": "priority-round"}, STEERING),
    "priorities-results": ({"network_slug": "london", "round_id": "priority-round"}, STEERING),
    "priorities-portfolio": ({"network_slug": "london", "round_id": "priority-round"}, STEERING),
    "priorities-nomination": ({"network_slug": "london", "round_id": "priority-round", "nomination_id": "priority-nomination"}, MEMBERS),
    "priorities-nomination-edit": ({"network_slug": "london", "round_id": "priority-round", "nomination_id": "priority-nomination"}, (302, 403, 200, 403, 403)),
    "priorities-support": ({"network_slug": "london", "round_id": "priority-round", "nomination_id": "priority-nomination"}, (302, 403, 405, 405, 405)),
    "priorities-support-withdraw": ({"network_slug": "london", "round_id": "priority-round", "nomination_id": "priority-nomination"}, (302, 403, 405, 405, 405)),
    "priorities-comment": ({"network_slug": "london", "round_id": "priority-round", "nomination_id": "priority-nomination"}, MEMBERS),
    "priorities-score": ({"network_slug": "london", "round_id": "priority-round", "nomination_id": "priority-nomination"}, STEERING),
    "priorities-decide": ({"network_slug": "london", "round_id": "priority-round", "nomination_id": "priority-nomination"}, LEADS),
    # Improvement projects: members read; the project's team (no role under
    # test is on it) and leads change it; leads start projects. Removing a
    # team member or a data point is a POST.
    "projects": ({"network_slug": "london"}, MEMBERS),
    "project-start": ({"network_slug": "london"}, LEADS),
    "project-start-nomination": (
        {"network_slug": "london", "nomination_pk": "qi-nomination"}, LEADS),
    "project-detail": ({"network_slug": "london", "pk": "qi-project"}, MEMBERS),
    "project-edit": ({"network_slug": "london", "pk": "qi-project"}, LEADS),
    "project-team": ({"network_slug": "london", "pk": "qi-project"}, LEADS),
    "project-team-remove": (
        {"network_slug": "london", "pk": "qi-project", "member_pk": "qi-team-member"},
        LEADS_POST_ONLY),
    "project-progress": ({"network_slug": "london", "pk": "qi-project"}, LEADS),
    "project-close": ({"network_slug": "london", "pk": "qi-project"}, LEADS),
    "project-timeline": ({"network_slug": "london", "pk": "qi-project"}, MEMBERS),
    "project-drivers": ({"network_slug": "london", "pk": "qi-project"}, MEMBERS),
    "driver-add": ({"network_slug": "london", "pk": "qi-project"}, LEADS),
    "driver-edit": (
        {"network_slug": "london", "pk": "qi-project", "node_pk": "qi-node"}, LEADS),
    "driver-remove": (
        {"network_slug": "london", "pk": "qi-project", "node_pk": "qi-node"}, LEADS),
    "measure-create": ({"network_slug": "london", "pk": "qi-project"}, LEADS),
    "measure-detail": (
        {"network_slug": "london", "pk": "qi-project", "measure_pk": "qi-measure"},
        MEMBERS),
    # One data point: too few for an SPC chart, so its twins are 404 to all
    # who may read the measure.
    "measure-chart": (
        {"network_slug": "london", "pk": "qi-project", "measure_pk": "qi-measure",
         "chart_id": "spc", "fmt": "csv"}, (302, 403, 404, 404, 404)),
    "measure-edit": (
        {"network_slug": "london", "pk": "qi-project", "measure_pk": "qi-measure"},
        LEADS),
    "measure-data": (
        {"network_slug": "london", "pk": "qi-project", "measure_pk": "qi-measure"},
        LEADS),
    "measure-point-remove": (
        {"network_slug": "london", "pk": "qi-project", "measure_pk": "qi-measure",
         "point_pk": "qi-point"}, LEADS_POST_ONLY),
    "measure-upload": (
        {"network_slug": "london", "pk": "qi-project", "measure_pk": "qi-measure"},
        LEADS),
    "measure-rebase": (
        {"network_slug": "london", "pk": "qi-project", "measure_pk": "qi-measure"},
        LEADS),
    "cycle-create": ({"network_slug": "london", "pk": "qi-project"}, LEADS),
    "cycle-detail": (
        {"network_slug": "london", "pk": "qi-project", "cycle_pk": "qi-cycle"},
        MEMBERS),
    "cycle-edit": (
        {"network_slug": "london", "pk": "qi-project", "cycle_pk": "qi-cycle"}, LEADS),
    # Discussions: members read and take part; leads moderate; a post's author
    # (the colleague, no role under test) edits it; notifications are one's own.
    "discussion-list": ({"network_slug": "london"}, MEMBERS),
    "discussion-create": ({"network_slug": "london"}, MEMBERS),
    "discussion-detail": ({"network_slug": "london", "pk": "disc-thread"}, MEMBERS),
    "discussion-reply": ({"network_slug": "london", "pk": "disc-thread"},
                         (302, 403, 405, 405, 405)),
    "discussion-follow": ({"network_slug": "london", "pk": "disc-thread"},
                          (302, 403, 405, 405, 405)),
    "discussion-unfollow": ({"network_slug": "london", "pk": "disc-thread"},
                            (302, 403, 405, 405, 405)),
    "discussion-lock": ({"network_slug": "london", "pk": "disc-thread"}, LEADS),
    "discussion-unlock": ({"network_slug": "london", "pk": "disc-thread"},
                          LEADS_POST_ONLY),
    "discussion-post-edit": ({"network_slug": "london", "pk": "disc-post"},
                             (302, 403, 403, 403, 403)),
    "discussion-post-hide": ({"network_slug": "london", "pk": "disc-post"}, LEADS),
    "discussion-post-unhide": ({"network_slug": "london", "pk": "disc-post"},
                               LEADS_POST_ONLY),
    "notification-list": ({}, SIGNED_IN),
    "notification-settings": ({}, SIGNED_IN),
    "notification-read-all": ({}, (302, 405, 405, 405, 405)),
    "notification-open": ({"pk": 999999}, (302, 404, 404, 404, 404)),
}


def page_names(resolver=None):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace != "api":
                yield from page_names(entry)
        elif isinstance(entry, URLPattern):
            yield entry.name


def test_every_page_has_a_row_in_the_matrix():
    assert sorted(set(page_names()) - set(PAGES)) == []
    assert sorted(set(PAGES) - set(page_names())) == []


@pytest.fixture
def world(network, client, settings, tmp_path):
    settings.DATA_DIR = tmp_path  # an empty prescribing store
    users = {
        "visitor": None,
        "outsider": MembershipFactory(role=Role.MEMBER).user,  # another network
        "member": MembershipFactory(network=network, role=Role.MEMBER).user,
        "steering": MembershipFactory(network=network, role=Role.STEERING).user,
        "lead": MembershipFactory(network=network, role=Role.LEAD).user,
    }
    colleague = MembershipFactory(network=network, directory_listed=True)
    objects = {
        "colleague": colleague.pk,
        "join": JoinRequestFactory(network=network).pk,
        "invite": InvitationFactory(network=network).pk,
        "import": ImportRun.objects.create(
            file_name="matrix.csv", sha256="0" * 64, source_kind="local",
            status="failed", finished_at=timezone.now(),
        ).pk,
    }
    Indicator.objects.create(slug="matrix-indicator", name="Matrix indicator",
                             value_type="proportion", multiplier=100)
    settings.MEDIA_ROOT = tmp_path / "media"  # governance papers
    objects.update(governance_objects(network, users, colleague.user))
    objects.update(community_objects(network, users))
    objects.update(priorities_objects(network, users))
    objects.update(improvement_objects(network, users))
    objects.update(discussions_objects(network, users, colleague.user))
    return users, objects


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_gives_each_role_what_the_matrix_says(name, world, client):
    users, objects = world
    kwargs, expected = PAGES[name]
    got = []
    for role in ROLES:
        client.logout()
        user = users[role]
        if user is not None:
            client.force_login(user)
        resolved = {}
        for key, value in kwargs.items():
            if value == "token":
                token, _ = create_api_token(user=user or users["lead"], name="t")
                value = token.pk
            resolved[key] = objects.get(value, value) if isinstance(value, str) else value
        got.append(client.get(reverse(name, kwargs=resolved)).status_code)

    assert dict(zip(ROLES, got, strict=True)) == dict(zip(ROLES, expected, strict=True))


def test_visitors_are_sent_to_sign_in_with_a_way_back(client, network):
    url = reverse("directory", args=[network.slug])

    response = client.get(url)

    assert response["Location"] == f"{reverse('sign-in')}?next={url}"


def test_member_of_one_network_is_an_outsider_in_another(client, network):
    other_member = MembershipFactory(role=Role.LEAD).user
    client.force_login(other_member)

    response = client.get(reverse("join-request-list", args=[network.slug]))

    assert response.status_code == 403
    assert not Membership.objects.filter(user=other_member, network=network).exists()


# The API: (method, kwargs, JSON body, expected per role). Visitors send no
# token; everyone else sends their own.
API_PUBLIC = (200,) * 5
NOMINATION_NO_SUCH_TOPIC = {
    "title": "Matrix", "problem": "p", "population": "p", "variation": "v",
    "benefit_access": "a", "benefit_outcomes": "o", "benefit_experience": "e",
    "inequality": "i", "term": "short", "resources": "r", "topic": "no-such-topic",
}
API_MEMBERS = (401, 403, 200, 200, 200)
API_LEADS = (401, 403, 403, 403, 200)
SLUG = {"slug": "london"}
API = {
    "governance-group-list": ("get", SLUG, None, API_MEMBERS),
    "governance-terms-list": ("get", {**SLUG, "group_slug": "gov-group"}, None,
                              API_MEMBERS),
    "governance-meeting-list": ("get", SLUG, None, API_MEMBERS),
    "governance-decision-list": ("get", SLUG, None, API_MEMBERS),
    "governance-my-actions": ("get", SLUG, None, API_MEMBERS),
    # The member owns the action; the lead runs every group.
    "governance-action-status": (
        "post", {**SLUG, "id": "gov-action"}, {"status": "done"},
        (401, 403, 200, 403, 200),
    ),
    "api-root": ("get", {}, None, (404,) * 5),
    "openapi-json": ("get", {}, None, API_PUBLIC),
    "openapi-view": ("get", {}, None, API_PUBLIC),
    "network-list": ("get", {}, None, API_PUBLIC),
    "network-detail": ("get", SLUG, None, API_PUBLIC),
    "organisation-list": ("get", {}, None, API_PUBLIC),
    "region-list": ("get", {}, None, API_PUBLIC),
    "icb-list": ("get", {}, None, API_PUBLIC),
    "member-list": ("get", SLUG, None, API_MEMBERS),
    "member-detail": ("get", {**SLUG, "id": "colleague"}, None, API_MEMBERS),
    # Anyone may ask to join: an empty body passes the gate and fails validation.
    "join-request-create": ("post", SLUG, {}, (422,) * 5),
    "join-request-list": ("get", SLUG, None, API_LEADS),
    "join-request-detail": ("get", {**SLUG, "id": "join"}, None, API_LEADS),
    "join-request-approve": ("post", {**SLUG, "id": "join"}, None, API_LEADS),
    "join-request-decline": (
        "post",
        {**SLUG, "id": "join"},
        {"reason": "This network is for London."},
        API_LEADS,
    ),
    "me": ("get", {}, None, (401, 200, 200, 200, 200)),
    "indicator-list": ("get", {}, None, API_PUBLIC),
    "indicator-detail": ("get", {"indicator_slug": "matrix-indicator"}, None, API_PUBLIC),
    "area-list": ("get", {}, None, API_PUBLIC),
    "indicator-value-list": ("get", {}, None, API_PUBLIC),
    "indicator-comparison-list": (
        "get", {"indicator_slug": "matrix-indicator"}, None, API_PUBLIC
    ),
    "event-list": ("get", SLUG, None, API_PUBLIC),
    "event-detail": ("get", {**SLUG, "id": "community-event"}, None, API_MEMBERS),
    "event-register": ("post", {**SLUG, "id": "community-event"}, None, API_MEMBERS),
    # Nobody under test holds a place, so there is none to cancel.
    "event-registration-cancel": ("delete", {**SLUG, "id": "community-event"}, None, (401, 403, 404, 404, 404)),
    "my-registration-list": ("get", {}, None, (401, 200, 200, 200, 200)),
    "resource-list": ("get", SLUG, None, API_PUBLIC),
    "resource-detail": (
        "get", {**SLUG, "id": "community-resource"}, None, API_MEMBERS
    ),
    # Priorities (the open round of the pages' matrix): nobody has scored, so
    # nobody may read scores. Bodies parse, so the gate answers first; then a
    # topic the network lacks and missing scores are 422, and a decision while
    # the round is open is 409.
    "priority-round-list": ("get", SLUG, None, API_MEMBERS),
    "priority-round-detail": (
        "get", {**SLUG, "round_id": "priority-round"}, None, API_MEMBERS
    ),
    "priority-nomination-list": (
        "get", {**SLUG, "round_id": "priority-round"}, None, API_MEMBERS
    ),
    "priority-nomination-create": (
        "post", {**SLUG, "round_id": "priority-round"}, NOMINATION_NO_SUCH_TOPIC,
        (401, 403, 422, 422, 422),
    ),
    "priority-nomination-detail": (
        "get", {**SLUG, "id": "priority-nomination"}, None, API_MEMBERS
    ),
    "priority-support": (
        "post", {**SLUG, "id": "priority-nomination"}, None, API_MEMBERS
    ),
    "priority-support-withdraw": (
        "delete", {**SLUG, "id": "priority-nomination"}, None,
        (401, 403, 409, 409, 409),
    ),
    "priority-scores": (
        "get", {**SLUG, "id": "priority-nomination"}, None, (401, 403, 403, 403, 403)
    ),
    "priority-scores-submit": (
        "post", {**SLUG, "id": "priority-nomination"}, {"scores": []},
        (401, 403, 403, 422, 422),
    ),
    "priority-decision-list": (
        "get", {**SLUG, "round_id": "priority-round"}, None, API_MEMBERS
    ),
    "priority-decision-record": (
        "post", {**SLUG, "id": "priority-nomination"}, {"decision": "selected"},
        (401, 403, 403, 403, 409),
    ),
    # Improvement projects: members read; the team (nobody under test) and
    # leads add data and plan cycles. The cycle names no change idea, so the
    # lead, past the gate, gets 422.
    "qi-project-list": ("get", SLUG, None, API_MEMBERS),
    "qi-project-detail": ("get", {**SLUG, "id": "qi-project"}, None, API_MEMBERS),
    "qi-measure-list": ("get", {**SLUG, "id": "qi-project"}, None, API_MEMBERS),
    "qi-measure-points-add": (
        "post", {**SLUG, "id": "qi-project", "measure_id": "qi-measure"},
        {"points": [{"period": "2030-01-01", "value": 1}]},
        (401, 403, 403, 403, 201),
    ),
    "qi-cycle-list": ("get", {**SLUG, "id": "qi-project"}, None, API_MEMBERS),
    "qi-cycle-create": (
        "post", {**SLUG, "id": "qi-project"},
        {"change_idea_id": 0, "title": "t", "plan_what": "w", "plan_who": "w",
         "plan_when": "2030-01-01", "prediction": "p"},
        (401, 403, 403, 403, 422),
    ),
    "thread-list": ("get", SLUG, None, API_MEMBERS),
    "thread-detail": ("get", {**SLUG, "id": "disc-thread"}, None, API_MEMBERS),
    "thread-create": ("post", SLUG, {"title": "Matrix", "body": "Hello"},
                      (401, 403, 201, 201, 201)),
    "reply-create": ("post", {**SLUG, "id": "disc-thread"}, {"body": "Hello"},
                     (401, 403, 201, 201, 201)),
    "thread-follow": ("post", {**SLUG, "id": "disc-thread"}, None, API_MEMBERS),
    "thread-unfollow": ("post", {**SLUG, "id": "disc-thread"}, None, API_MEMBERS),
    "notification-list": ("get", {}, None, (401, 200, 200, 200, 200)),
    "notification-read-all": ("post", {}, None, (401, 200, 200, 200, 200)),
    "notification-read": ("post", {"id": 999999}, None, (401, 404, 404, 404, 404)),
}


def api_names():
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace == "api":
            yield from (p.name for p in entry.url_patterns)


def test_every_api_endpoint_has_a_row_in_the_matrix():
    assert sorted(set(api_names())) == sorted(API)


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(API))
def test_api_gives_each_role_what_the_matrix_says(name, world, client):
    users, objects = world
    method, kwargs, body, expected = API[name]
    resolved = {k: objects.get(v, v) for k, v in kwargs.items()}
    url = reverse(f"api:{name}", kwargs=resolved)
    got = []
    for role in ROLES:
        headers = {}
        if users[role] is not None:
            _, raw = create_api_token(user=users[role], name="matrix")
            headers["Authorization"] = f"Bearer {raw}"
        send = getattr(client, method)
        if body is None:
            response = send(url, headers=headers)
        else:
            response = send(url, body, content_type="application/json",
                            headers=headers)
        got.append(response.status_code)

    assert dict(zip(ROLES, got, strict=True)) == dict(zip(ROLES, expected, strict=True))
