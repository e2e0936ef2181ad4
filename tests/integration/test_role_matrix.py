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
from tests.factories.joining import InvitationFactory, JoinRequestFactory
from tests.factories.memberships import MembershipFactory

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
    "invitation-accept": ({"token": "not-a-real-token"}, (404,) * 5),
    "account": ({}, SIGNED_IN),
    "account-details": ({}, SIGNED_IN),
    "account-data": ({}, SIGNED_IN),
    "account-delete": ({}, SIGNED_IN),
    "account-tokens": ({}, SIGNED_IN),
    "account-token-revoke": ({"pk": "token"}, (302, 405, 405, 405, 405)),
    "account-membership": ({"network_slug": "london"}, OWN_MEMBERSHIP),
    "account-leave": ({"network_slug": "london"}, OWN_MEMBERSHIP),
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
API_MEMBERS = (401, 403, 200, 200, 200)
API_LEADS = (401, 403, 403, 403, 200)
SLUG = {"slug": "london"}
API = {
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
