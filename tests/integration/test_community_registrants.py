"""A lead downloads an event's registrants, with email addresses only where shared."""

import csv
import io

import pytest
from django.urls import reverse

from msknet.community.models import RegistrationStatus, Visibility
from msknet.members.models import Role
from tests.factories.community import EventFactory, RegistrationFactory
from tests.factories.memberships import MembershipFactory
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(network):
    return EventFactory(network=network, title="Back pain event",
                        visibility=Visibility.PUBLIC)


@pytest.fixture
def registrants(network, event):
    sharing = MembershipFactory(network=network, share_email=True,
                                user__full_name="Asha Sharing",
                                user__email="asha@example.nhs.uk").user
    private = MembershipFactory(network=network, share_email=False,
                                user__full_name="Ben Private",
                                user__email="ben@example.nhs.uk").user
    outsider = UserFactory(full_name="Cal Outsider", email="cal@example.org")
    # Sharing with another network is not sharing with this one.
    MembershipFactory(user=outsider, share_email=True)
    hostile = MembershipFactory(network=network, share_email=True,
                                user__full_name="=HYPERLINK(\"http://x\")",
                                user__email="dee@example.nhs.uk").user
    for user in (sharing, private, outsider):
        RegistrationFactory(event=event, user=user)
    RegistrationFactory(event=event, user=hostile, status=RegistrationStatus.WAITING,
                        registered_at=None)
    return sharing, private, outsider, hostile


def download(client, event):
    return client.get(reverse("event-registrations-csv",
                              args=[event.network.slug, event.pk]))


def rows_of(response):
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_lead_downloads_registrants_with_emails_only_where_shared(
        client, lead, event, registrants):
    client.force_login(lead)

    response = download(client, event)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = rows_of(response)
    assert rows[0] == ["Name", "Email (if shared)", "Status", "Asked on",
                       "Attendance"]
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["Asha Sharing"][1:3] == ["asha@example.nhs.uk", "Registered"]
    assert by_name["Ben Private"][1] == ""
    assert by_name["Cal Outsider"][1] == ""
    assert "ben@example.nhs.uk" not in response.content.decode()
    assert "cal@example.org" not in response.content.decode()


def test_spreadsheet_formulas_in_names_are_defused(client, lead, event, registrants):
    client.force_login(lead)

    rows = rows_of(download(client, event))

    hostile = next(row for row in rows if "HYPERLINK" in row[0])
    assert hostile[0] == "'=HYPERLINK(\"http://x\")"
    assert hostile[2] == "On the waiting list"


def test_registrations_page_shows_shared_emails_and_links_the_download(
        client, lead, event, registrants):
    client.force_login(lead)

    response = client.get(reverse("event-registrations",
                                  args=[event.network.slug, event.pk]))

    assert "asha@example.nhs.uk" in response.text
    assert "ben@example.nhs.uk" not in response.text
    assert "Not shared" in response.text
    assert reverse("event-registrations-csv",
                   args=[event.network.slug, event.pk]) in response.text


@pytest.mark.parametrize("role", [Role.MEMBER, Role.STEERING])
def test_members_who_do_not_run_the_event_cannot_download(
        client, network, event, registrants, role):
    client.force_login(MembershipFactory(network=network, role=role).user)

    assert download(client, event).status_code == 403


def test_another_networks_lead_cannot_download(client, event, registrants):
    client.force_login(MembershipFactory(role=Role.LEAD).user)

    assert download(client, event).status_code in {403, 404}
