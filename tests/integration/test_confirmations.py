"""Actions that cannot be undone ask first, on a page that needs no JavaScript.

Each button or link now leads to a confirmation page (a GET that changes
nothing); only its form's POST acts. The POST paths are tested beside each
feature; these tests hold the question in place.
"""

import pytest
from django.urls import reverse

from msknet.community.actions import events as event_actions
from msknet.community.models import EventMaterial
from msknet.members.actions.accounts import create_api_token
from msknet.members.models import APIToken, Invitation, Role
from msknet.priorities.models import RoundStatus
from tests.factories.community import EventFactory
from tests.factories.governance import make_group
from tests.factories.improvement import (
    MeasureFactory,
    QIProjectFactory,
    TeamMemberFactory,
)
from tests.factories.joining import InvitationFactory
from tests.factories.memberships import MembershipFactory
from tests.factories.priorities import in_screening, round_with_criteria
from tests.unit.community.files import pdf

pytestmark = pytest.mark.django_db


def asks(response, question, button):
    """The page asks `question` and posts back to itself with `button`."""
    assert response.status_code == 200
    assert question in response.text
    assert f'<form method="post" action="{response.wsgi_request.path}">' in (
        response.text)
    assert f">{button}</button>" in response.text


@pytest.fixture
def as_lead(client, lead):
    client.force_login(lead)
    return client


def test_closing_nominations_asks_first(as_lead, network, lead):
    round = round_with_criteria(network, by=lead)
    address = reverse("priorities-round-close", args=[network.slug, round.pk])

    page = as_lead.get(round.get_absolute_url())
    response = as_lead.get(address)

    assert f'href="{address}"' in page.text
    asks(response, "to nominations now?", "Close nominations")
    assert "You cannot open the round to nominations again." in response.text
    round.refresh_from_db()
    assert round.status == RoundStatus.OPEN
    as_lead.post(address)
    round.refresh_from_db()
    assert round.status == RoundStatus.SCREENING


def test_closing_screening_asks_first(as_lead, network, lead):
    round = round_with_criteria(network, by=lead)
    in_screening(round)
    address = reverse("priorities-screening-close", args=[network.slug, round.pk])

    response = as_lead.get(address)

    asks(response, f"Close screening for {round.title}?", "Close screening")
    round.refresh_from_db()
    assert round.status == RoundStatus.SCREENING


def test_removing_a_criterion_asks_first(as_lead, network, lead):
    round = round_with_criteria(network, by=lead)
    criterion = round.criteria.first()

    response = as_lead.get(reverse("priorities-criterion-delete",
                                   args=[network.slug, round.pk, criterion.pk]))

    asks(response, f"Remove the criterion &#x27;{criterion.name}&#x27;?",
         "Remove the criterion")
    assert round.criteria.filter(pk=criterion.pk).exists()


def test_withdrawing_an_invitation_asks_first(as_lead, network):
    invitation = InvitationFactory(network=network, email="new@example.org")

    response = as_lead.get(
        reverse("invitation-withdraw", args=[network.slug, invitation.pk]))

    asks(response, "Withdraw the invitation to new@example.org?",
         "Withdraw the invitation")
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.OPEN


def test_removing_event_slides_asks_first(client, network, member, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    event = EventFactory(network=network, organiser=member)
    material = event_actions.add_material(event=event, by=member, kind="slides",
                                          title="Old slides", upload=pdf())
    client.force_login(member)

    response = client.get(reverse("event-material-remove",
                                  args=[network.slug, event.pk, material.pk]))

    asks(response, "Remove Old slides?", "Remove it")
    assert "its file will be deleted" in response.text
    assert EventMaterial.objects.filter(pk=material.pk).exists()


def test_removing_a_group_member_asks_first(as_lead, network, lead, member):
    group = make_group(network, chair=lead, members=[member])

    response = as_lead.get(reverse("group-member-remove",
                                   args=[network.slug, group.slug, member.pk]))

    asks(response, f"Remove {member.display_name} from {group.name}?", "Remove them")
    assert "no longer be a member of the group" in response.text
    assert group.memberships.filter(user=member).exists()


def test_removing_a_measure_value_asks_first(as_lead, network):
    project = QIProjectFactory(network=network)
    measure = MeasureFactory(project=project, name="Seen within 2 weeks")
    point = measure.points.create(period="2026-01-01", value=64)

    response = as_lead.get(reverse("measure-point-remove", kwargs={
        "network_slug": network.slug, "pk": project.pk, "measure_pk": measure.pk,
        "point_pk": point.pk}))

    asks(response, "Remove the value for January 2026?", "Remove the value")
    assert "will no longer show 64 for January 2026" in response.text
    assert measure.points.filter(pk=point.pk).exists()


def test_revoking_a_token_asks_first(client, network):
    user = MembershipFactory(network=network, role=Role.MEMBER).user
    token, _ = create_api_token(user=user, name="Old script")
    client.force_login(user)

    response = client.get(reverse("account-token-revoke", args=[token.pk]))

    asks(response, "Revoke the token &#x27;Old script&#x27;?", "Revoke the token")
    assert APIToken.objects.filter(pk=token.pk).exists()


def test_taking_someone_off_a_project_team_asks_first(as_lead, network):
    project = QIProjectFactory(network=network, title="Faster physio")
    teammate = MembershipFactory(network=network, role=Role.MEMBER).user
    member = TeamMemberFactory(project=project, user=teammate)

    response = as_lead.get(reverse("project-team-remove", kwargs={
        "network_slug": network.slug, "pk": project.pk, "member_pk": member.pk}))

    asks(response, f"Take {teammate.display_name} off the Faster physio team?",
         "Take them off the team")
    assert project.team.filter(pk=member.pk).exists()
