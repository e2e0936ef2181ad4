import pytest
from django.core import mail
from django.urls import reverse

from msknet.core.models import AuditEvent
from msknet.members.models import ICB, JoinRequest, Membership, Role, User
from tests.factories.joining import JoinRequestFactory
from tests.factories.memberships import MembershipFactory

pytestmark = pytest.mark.django_db


def join_form(network, **overrides):
    data = {
        "full_name": "Priya Shah",
        "email": "Priya.Shah@example.org",
        "sector": "lived_experience",
        "profession": "not_applicable",
        "icb": ICB.objects.get(ods_code="QKK").pk,
        "interests": [network.topics.first().pk],
        "leadership": "wants_to_lead",
        "reason": "I live with chronic back pain and want to help services improve.",
    }
    data.update(overrides)
    return data


def test_visitor_asks_to_join_and_is_emailed(client, network, sent_on_commit):
    url = reverse("join-request-create", args=[network.slug])

    with sent_on_commit():
        response = client.post(url, join_form(network))

    assert response.status_code == 302
    assert response["Location"] == reverse("join-request-sent", args=[network.slug])
    join_request = JoinRequest.objects.get()
    assert join_request.email == "priya.shah@example.org"
    assert join_request.status == JoinRequest.Status.PENDING
    assert list(join_request.interests.all()) == [network.topics.first()]
    assert mail.outbox[0].to == ["priya.shah@example.org"]
    assert AuditEvent.objects.get().type == AuditEvent.Type.JOIN_REQUESTED


def test_repeat_request_gets_clear_message_and_no_second_record(client, network):
    JoinRequestFactory(network=network, email="priya.shah@example.org")
    url = reverse("join-request-create", args=[network.slug])

    response = client.post(url, join_form(network))

    assert response.status_code == 200
    assert "You have already asked to join this network" in response.text
    assert "nhsuk-error-summary" in response.text
    assert JoinRequest.objects.count() == 1


def test_existing_member_gets_clear_message_and_no_record(client, network, member):
    url = reverse("join-request-create", args=[network.slug])

    response = client.post(url, join_form(network, email=member.email.upper()))

    assert "You are already a member of this network" in response.text
    assert not JoinRequest.objects.exists()


def test_missing_fields_are_reported_in_error_summary(client, network):
    url = reverse("join-request-create", args=[network.slug])

    response = client.post(url, {"email": "not-an-email"})

    assert response.status_code == 200
    assert '<a href="#id_full_name">Enter your full name</a>' in response.text
    assert "Enter an email address in the correct format" in response.text
    assert '<a href="#id_sector_0">Select which best describes you</a>' in response.text
    assert "nhsuk-input--error" in response.text
    assert response.text.count("nhsuk-form-group--error") == 5
    assert not JoinRequest.objects.exists()


def test_lead_approves_request_creating_account_and_membership(
    client, network, lead, sent_on_commit
):
    join_request = JoinRequestFactory(network=network, email="new@example.org")
    client.force_login(lead)
    url = reverse("join-request-decide", args=[network.slug, join_request.pk])

    with sent_on_commit():
        response = client.post(url, {"decision": "approve"})

    assert response.status_code == 302
    user = User.objects.get(email="new@example.org")
    assert not user.has_usable_password()
    membership = Membership.objects.get(user=user, network=network)
    assert membership.role == Role.MEMBER
    assert membership.directory_listed is False
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.APPROVED
    assert join_request.decided_by == lead
    assert "/account/set-password/" in mail.outbox[0].body


def test_approving_someone_with_an_account_adds_membership_only(
    client, network, lead, sent_on_commit
):
    other = MembershipFactory(role=Role.MEMBER)  # a member of another network
    join_request = JoinRequestFactory(network=network, email=other.user.email)
    client.force_login(lead)

    with sent_on_commit():
        client.post(
            reverse("join-request-decide", args=[network.slug, join_request.pk]),
            {"decision": "approve"},
        )

    assert User.objects.filter(email=other.user.email).count() == 1
    assert other.user.memberships.count() == 2
    assert "/account/set-password/" not in mail.outbox[0].body


def test_declining_needs_a_reason(client, network, lead):
    join_request = JoinRequestFactory(network=network)
    client.force_login(lead)
    url = reverse("join-request-decide", args=[network.slug, join_request.pk])

    response = client.post(url, {"decision": "decline", "reason": " "})

    assert "Enter a reason for declining" in response.text
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.PENDING


def test_lead_declines_with_reason_which_is_emailed(
    client, network, lead, sent_on_commit
):
    join_request = JoinRequestFactory(network=network)
    client.force_login(lead)
    url = reverse("join-request-decide", args=[network.slug, join_request.pk])

    with sent_on_commit():
        client.post(url, {"decision": "decline", "reason": "For London only."})

    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.DECLINED
    assert "For London only." in mail.outbox[0].body
    assert not User.objects.filter(email=join_request.email).exists()


def test_decided_request_cannot_be_decided_again(client, network, lead):
    join_request = JoinRequestFactory(network=network)
    client.force_login(lead)
    url = reverse("join-request-decide", args=[network.slug, join_request.pk])
    client.post(url, {"decision": "decline", "reason": "Duplicate"})

    client.post(url, {"decision": "approve"})

    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.DECLINED
    assert not Membership.objects.filter(user__email=join_request.email).exists()


def test_pending_requests_listed_for_lead(client, network, lead):
    JoinRequestFactory(network=network, full_name="Alex Okafor")
    client.force_login(lead)

    response = client.get(reverse("join-request-list", args=[network.slug]))

    assert "Alex Okafor" in response.text
    assert "Waiting for a decision (1)" in response.text


def test_closed_network_shows_no_form_and_refuses_requests(client, network):
    network.open_to_join = False
    network.save()
    url = reverse("join-request-create", args=[network.slug])

    page = client.get(url)
    client.post(url, join_form(network))

    assert "not taking requests to join at the moment" in page.text
    assert "<form" not in page.text.split("maincontent")[1].split("</main>")[0]
    assert not JoinRequest.objects.exists()
