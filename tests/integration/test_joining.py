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


def post_join(client, network, **overrides):
    return client.post(
        reverse("join-request-create", args=[network.slug]),
        join_form(network, **overrides),
    )


def test_repeat_request_is_answered_as_new_but_emailed_and_not_recorded(
    client, network, sent_on_commit
):
    JoinRequestFactory(network=network, email="priya.shah@example.org")

    with sent_on_commit():
        response = post_join(client, network)

    assert response.status_code == 302
    assert response["Location"] == reverse("join-request-sent", args=[network.slug])
    assert JoinRequest.objects.count() == 1
    assert mail.outbox[0].to == ["priya.shah@example.org"]
    assert mail.outbox[0].subject == f"You have already asked to join {network.name}"
    assert "we have not recorded a second request" in mail.outbox[0].body


@pytest.mark.parametrize("listed", [True, False], ids=["listed", "unlisted"])
def test_existing_member_is_answered_as_new_and_told_by_email(
    client, network, sent_on_commit, listed
):
    member = MembershipFactory(network=network, directory_listed=listed).user

    with sent_on_commit():
        response = post_join(client, network, email=member.email.upper())

    assert response.status_code == 302
    assert response["Location"] == reverse("join-request-sent", args=[network.slug])
    assert not JoinRequest.objects.exists()
    assert not AuditEvent.objects.exists()
    assert mail.outbox[0].to == [member.email]
    assert "You are already a member, so we have not recorded" in mail.outbox[0].body
    assert reverse("sign-in") in mail.outbox[0].body


def test_join_form_answers_alike_for_new_known_and_waiting_addresses(
    client, network, member
):
    JoinRequestFactory(network=network, email="waiting@example.org")

    answers = [
        post_join(client, network, email=email)
        for email in ("new@example.org", member.email, "waiting@example.org")
    ]

    assert {(r.status_code, r["Location"]) for r in answers} == {
        (302, reverse("join-request-sent", args=[network.slug]))
    }
    assert JoinRequest.objects.filter(email="waiting@example.org").count() == 1


@pytest.mark.slow
def test_emails_to_a_known_address_are_limited_per_hour(
    client, network, member, sent_on_commit
):
    with sent_on_commit():
        for _ in range(5):
            post_join(client, network, email=member.email)

    assert len(mail.outbox) == 3


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
