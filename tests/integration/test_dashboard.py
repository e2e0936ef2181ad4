import json
from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from msknet.members.models import JoinRequest, Role, Sector
from tests.factories.joining import InvitationFactory, JoinRequestFactory
from tests.factories.memberships import MembershipFactory
from tests.factories.networks import NetworkFactory, icb
from tests.factories.users import UserFactory
from tests.queries import queries_of

pytestmark = pytest.mark.django_db


def months_ago(n: int) -> date:
    month = timezone.localdate().replace(day=1)
    for _ in range(n):
        month = (month - timedelta(days=1)).replace(day=1)
    return month


def mid_month(month: date) -> datetime:
    return timezone.make_aware(datetime(month.year, month.month, 15, 12))


@pytest.fixture
def known_network(network, steering):
    """Eight current members (the steering viewer joined this month with no
    ICB), plus people who must not be counted, and the joining backlog."""
    two_ago, last = mid_month(months_ago(2)), mid_month(months_ago(1))
    for icb_code in ("QKK", "QKK", None):
        MembershipFactory(
            network=network,
            sector=Sector.LIVED_EXPERIENCE,
            icb=icb(icb_code) if icb_code else None,
            joined_at=two_ago,
        )
    MembershipFactory.create_batch(
        2, network=network, sector=Sector.COMMUNITY, icb=icb("QMF"), joined_at=last
    )
    MembershipFactory(network=network, sector=Sector.PRIMARY_CARE, icb=icb("QKK"))
    # Not listed in the directory, but a member all the same.
    MembershipFactory(
        network=network,
        sector=Sector.SECONDARY_CARE,
        icb=icb("QRV"),
        directory_listed=False,
    )
    # Not counted: an erased account, an inactive one, another network.
    MembershipFactory(
        network=network,
        user=UserFactory(erased_at=timezone.now()),
        sector=Sector.COMMUNITY,
        joined_at=mid_month(months_ago(3)),
    )
    MembershipFactory(network=network, user=UserFactory(is_active=False))
    MembershipFactory(network=NetworkFactory(), sector=Sector.LIVED_EXPERIENCE)

    JoinRequestFactory.create_batch(2, network=network)
    JoinRequestFactory(
        network=network,
        status=JoinRequest.Status.DECLINED,
        decided_at=timezone.now(),
    )
    InvitationFactory(network=network)
    InvitationFactory(network=network, expires_at=timezone.now() - timedelta(days=1))
    InvitationFactory(
        network=network, accepted_at=timezone.now(), accepted_by=UserFactory()
    )
    return network


def dashboard_url(network):
    return reverse("network-dashboard", args=[network.slug])


def chart_url(network, chart_id, fmt):
    return reverse(
        "network-dashboard-chart",
        kwargs={"network_slug": network.slug, "chart_id": chart_id, "fmt": fmt},
    )


def test_visitor_is_sent_to_sign_in(client, network):
    for url in (dashboard_url(network), chart_url(network, "members-by-sector", "csv")):
        response = client.get(url)

        assert response.status_code == 302
        assert response["Location"].startswith(reverse("sign-in"))


def test_member_not_on_steering_group_is_refused(client, network, member):
    client.force_login(member)

    assert client.get(dashboard_url(network)).status_code == 403
    assert client.get(chart_url(network, "members-by-icb", "csv")).status_code == 403
    assert client.get(chart_url(network, "members-by-icb", "json")).status_code == 403


def test_steering_member_sees_headline_figures(client, known_network, steering):
    client.force_login(steering)

    response = client.get(dashboard_url(known_network))

    assert response.status_code == 200
    share = response.context["lived_experience"]
    assert (share.count, share.total) == (3, 8)
    assert "38%" in response.text
    assert "3 of 8 members" in response.text
    assert response.context["pending_requests"] == 2
    assert response.context["open_invitations"] == 1
    # Only leads get links to the lead pages.
    assert reverse("join-request-list", args=[known_network.slug]) not in response.text
    assert reverse("invitation-list", args=[known_network.slug]) not in response.text


def test_lead_gets_links_to_join_requests_and_invitations(client, network, lead):
    client.force_login(lead)

    response = client.get(dashboard_url(network))

    assert (
        f'<a href="{reverse("join-request-list", args=[network.slug])}">'
        "Decide join requests</a>"
    ) in response.text
    assert (
        f'<a href="{reverse("invitation-list", args=[network.slug])}">'
        "Manage invitations</a>"
    ) in response.text


def test_dashboard_draws_each_chart_with_table_and_downloads(
    client, known_network, steering
):
    client.force_login(steering)

    response = client.get(dashboard_url(known_network))

    for chart_id in ("members-by-sector", "members-by-icb", "membership-growth"):
        assert f'id="chart-{chart_id}" role="img"' in response.text
        assert f'<script id="chart-{chart_id}-spec" type="application/json">' in (
            response.text
        )
        assert f'href="{chart_url(known_network, chart_id, "csv")}" download' in (
            response.text
        )
        assert f'href="{chart_url(known_network, chart_id, "json")}"' in response.text
    assert response.text.count("Show the data as a table") == 3
    assert '<th scope="row" class="nhsuk-table__header">Not given</th>' in response.text
    assert "vega-embed/vega-embed.min.js" in response.text
    assert 'type="module" src="/static/msknet/charts.js"' in response.text


def test_members_by_sector_csv_is_exact(client, known_network, steering):
    client.force_login(steering)

    response = client.get(chart_url(known_network, "members-by-sector", "csv"))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="london-members-by-sector.csv"'
    )
    assert response.content.decode() == (
        "Sector,Members\r\n"
        "Person with lived experience,3\r\n"
        "Primary care,2\r\n"
        "Community services,2\r\n"
        "Secondary care,1\r\n"
        "Commissioner or operational lead,0\r\n"
        "Local authority or public health,0\r\n"
        "Employment advisor,0\r\n"
        "Social prescribing link worker or health coach,0\r\n"
        "Workforce and education,0\r\n"
        "Academic or Health Innovation Network,0\r\n"
        "Voluntary or third sector,0\r\n"
        "Other,0\r\n"
    )


def test_members_by_icb_csv_is_exact(client, known_network, steering):
    client.force_login(steering)

    response = client.get(chart_url(known_network, "members-by-icb", "csv"))

    assert response.content.decode() == (
        "Integrated care board,Members\r\n"
        "South East London,3\r\n"
        "North East London,2\r\n"
        "North West London,1\r\n"
        "North Central London,0\r\n"
        "South West London,0\r\n"
        "Not given,2\r\n"
    )


def test_membership_growth_csv_is_exact(client, known_network, steering):
    client.force_login(steering)

    response = client.get(chart_url(known_network, "membership-growth", "csv"))

    assert response.content.decode() == (
        "Month,Joined that month,Total members\r\n"
        f"{months_ago(2):%Y-%m},3,3\r\n"
        f"{months_ago(1):%Y-%m},2,5\r\n"
        f"{months_ago(0):%Y-%m},3,8\r\n"
    )


def test_chart_json_twin_matches_csv(client, known_network, steering):
    client.force_login(steering)

    response = client.get(chart_url(known_network, "members-by-icb", "json"))

    data = json.loads(response.content)
    assert data["id"] == "members-by-icb"
    assert data["title"] == "Members by integrated care board"
    assert data["rows"][0] == {"icb": "South East London", "members": 3}
    assert data["rows"][-1] == {"icb": "Not given", "members": 2}


def test_unknown_chart_is_not_found(client, network, steering):
    client.force_login(steering)

    assert (
        client.get(chart_url(network, "members-by-shoe-size", "csv")).status_code == 404
    )
    assert client.get(f"{dashboard_url(network)}members-by-icb.xlsx").status_code == 404


def test_new_network_dashboard_has_one_member_and_no_lived_experience(client, steering):
    client.force_login(steering)
    network = steering.memberships.get().network

    response = client.get(dashboard_url(network))

    assert response.status_code == 200
    assert "0%" in response.text
    assert "0 of 1 member" in response.text
    assert len(response.context["charts"][2].rows) == 1


@pytest.mark.slow
@pytest.mark.parametrize("added", [2, 20])
def test_dashboard_query_count_does_not_grow_with_members(
    client, known_network, steering, added
):
    MembershipFactory.create_batch(added, network=known_network, role=Role.MEMBER)
    client.force_login(steering)

    # session, user, network, role, two-factor check, lived experience, pending
    # requests, open invitations, sectors, ICB counts, ICB names, growth span
    # and totals
    response, queries = queries_of(lambda: client.get(dashboard_url(known_network)))

    assert len(queries) == 13
    assert response.context["lived_experience"].total == 8 + added
