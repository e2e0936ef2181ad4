import json
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from msknet.core.models import AuditEvent
from msknet.members.actions.accounts import create_api_token
from msknet.members.actions.joining import set_password_url
from msknet.members.models import (
    APIToken,
    Invitation,
    JoinRequest,
    Membership,
    Role,
    SignInFailure,
    User,
)
from tests.factories.joining import InvitationFactory, JoinRequestFactory
from tests.factories.memberships import MembershipFactory
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def limits(settings):
    settings.SIGN_IN_MAX_FAILURES_PER_ACCOUNT = 3
    settings.SIGN_IN_MAX_FAILURES_PER_ADDRESS = 5
    settings.SIGN_IN_FAILURE_WINDOW_SECONDS = 15 * 60
    return settings


@pytest.fixture
def signed_in(client, member):
    client.force_login(member)
    return client


def sign_in(client, email, password, address="192.0.2.10", **extra):
    return client.post(
        reverse("sign-in"),
        {"email": email, "password": password, **extra},
        REMOTE_ADDR=address,
    )


def membership_form(membership, **overrides):
    data = {
        "sector": membership.sector,
        "profession": membership.profession,
        "leadership": membership.leadership,
        "directory_listed": "on",
        "share_organisation": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# Signing in and out


def test_sign_in_page_shows_form(client):
    response = client.get(reverse("sign-in"))

    assert response.status_code == 200
    assert "<h1>Sign in</h1>" in response.text
    assert 'autocomplete="current-password"' in response.text


def test_sign_in_with_right_password_goes_home(client, member, password):
    response = sign_in(client, member.email.upper(), password)

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(member.pk)


def test_sign_in_follows_next_on_same_site(client, member, password):
    response = sign_in(client, member.email, password, next="/account/tokens/")

    assert response["Location"] == "/account/tokens/"


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/account/", "javascript:x"]
)
def test_sign_in_ignores_next_to_another_site(client, member, password, target):
    response = sign_in(client, member.email, password, next=target)

    assert response["Location"] == reverse("home")


def test_gated_page_sends_visitor_to_sign_in_and_back(client, member, password):
    response = client.get(reverse("account"))
    assert response.status_code == 302
    sign_in_page = client.get(response["Location"])
    assert 'name="next" value="/account/"' in sign_in_page.text

    response = sign_in(client, member.email, password, next="/account/")

    assert response["Location"] == "/account/"


def test_sign_in_with_wrong_password_is_refused_and_counted(client, member):
    response = sign_in(client, member.email, "not-the-password")

    assert response.status_code == 200
    assert "<title>Error: Sign in" in response.text
    assert "The email address or password is not correct" in response.text
    assert "nhsuk-error-summary" in response.text
    assert "_auth_user_id" not in client.session
    failure = SignInFailure.objects.get()
    assert (failure.email, failure.address) == (member.email, "192.0.2.10")


def test_sign_in_with_missing_fields_names_them(client):
    response = client.post(reverse("sign-in"), {})

    assert '<a href="#id_email">Enter your email address</a>' in response.text
    assert '<a href="#id_password">Enter your password</a>' in response.text
    assert not SignInFailure.objects.exists()


@pytest.mark.slow
def test_sign_in_locks_account_after_too_many_failures(
    client, member, password, limits
):
    for _ in range(3):
        sign_in(client, member.email, "wrong-guess-here")

    # Even the right password is refused until the window passes.
    response = sign_in(client, member.email, password, address="198.51.100.7")

    assert "_auth_user_id" not in client.session
    assert "You have tried to sign in too many times" in response.text
    assert re.search(r"try again in 15 minutes, after \d\d:\d\d", response.text)
    # Refusals during a lockout do not extend it.
    assert SignInFailure.objects.count() == 3


@pytest.mark.slow
def test_sign_in_lockout_ends_when_failures_leave_window(
    client, member, password, limits
):
    for _ in range(3):
        sign_in(client, member.email, "wrong-guess-here")
    SignInFailure.objects.update(at=timezone.now() - timedelta(minutes=16))

    response = sign_in(client, member.email, password)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)


@pytest.mark.slow
def test_sign_in_locks_address_after_too_many_failures(
    client, member, password, limits
):
    for n in range(5):
        sign_in(client, f"guess{n}@example.org", "wrong-guess-here")

    response = sign_in(client, member.email, password)
    from_elsewhere = sign_in(client, member.email, password, address="198.51.100.7")

    assert "You have tried to sign in too many times" in response.text
    assert from_elsewhere.status_code == 302


def test_sign_in_success_clears_account_failures(client, member, password, limits):
    sign_in(client, member.email, "wrong-guess-here")
    sign_in(client, "someone.else@example.org", "wrong-guess-here")

    sign_in(client, member.email, password)

    assert list(SignInFailure.objects.values_list("email", flat=True)) == [
        "someone.else@example.org"
    ]


def test_sign_in_prunes_failures_older_than_window(client, member, limits):
    old = SignInFailure.objects.create(
        email="old@example.org",
        address="203.0.113.1",
        at=timezone.now() - timedelta(hours=1),
    )

    sign_in(client, member.email, "wrong-guess-here")

    assert not SignInFailure.objects.filter(pk=old.pk).exists()
    assert SignInFailure.objects.count() == 1


def test_inactive_account_cannot_sign_in(client, member, password):
    User.objects.filter(pk=member.pk).update(is_active=False)

    response = sign_in(client, member.email, password)

    assert "The email address or password is not correct" in response.text
    assert "_auth_user_id" not in client.session


def test_sign_out_needs_post(signed_in):
    response = signed_in.get(reverse("sign-out"))

    assert response.status_code == 405
    assert "_auth_user_id" in signed_in.session


def test_sign_out_signs_out(signed_in):
    response = signed_in.post(reverse("sign-out"), follow=True)

    assert "_auth_user_id" not in signed_in.session
    assert "You have signed out" in response.text


# Passwords


def emailed_path(message):
    return re.search(r"http://[^/\s]+(/\S+)", message.body).group(1)


@pytest.mark.slow
def test_password_reset_end_to_end(client, member, limits):
    for _ in range(3):
        sign_in(client, member.email, "wrong-guess-here")

    response = client.post(reverse("password-reset"), {"email": member.email.upper()})
    assert response["Location"] == reverse("password-reset-sent")
    assert "Check your email" in client.get(response["Location"]).text
    assert mail.outbox[0].to == [member.email]
    assert mail.outbox[0].subject == "Reset your msknet password"
    link = emailed_path(mail.outbox[0])

    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.text
    response = client.post(
        form_page.redirect_chain[-1][0],
        {
            "new_password1": "Knee-clinic-Tuesdays",
            "new_password2": "Knee-clinic-Tuesdays",
        },
    )

    assert response["Location"] == reverse("password-reset-complete")
    assert client.session["_auth_user_id"] == str(member.pk)
    member.refresh_from_db()
    assert member.check_password("Knee-clinic-Tuesdays")
    # A new password ends any lockout on the account.
    assert not SignInFailure.objects.filter(email=member.email).exists()
    assert "Your password is saved" in client.get(response["Location"]).text


@pytest.mark.slow
def test_password_reset_link_works_once(client, member):
    client.post(reverse("password-reset"), {"email": member.email})
    link = emailed_path(mail.outbox[0])
    page = client.get(link, follow=True)
    client.post(
        page.redirect_chain[-1][0],
        {
            "new_password1": "Knee-clinic-Tuesdays",
            "new_password2": "Knee-clinic-Tuesdays",
        },
    )
    client.logout()

    response = client.get(link, follow=True)

    assert "This link has expired or has already been used" in response.text


def test_password_reset_for_unknown_email_sends_nothing_but_looks_the_same(client):
    response = client.post(reverse("password-reset"), {"email": "nobody@example.org"})

    assert response["Location"] == reverse("password-reset-sent")
    assert mail.outbox == []


def test_password_reset_reaches_account_without_password(client):
    # Their first set-password link expired: reset is how they get another.
    User.objects.create_user(email="new@example.org", full_name="New Person")

    client.post(reverse("password-reset"), {"email": "new@example.org"})

    assert mail.outbox[0].to == ["new@example.org"]


def test_password_reset_refuses_weak_password_in_nhs_words(client, member):
    client.post(reverse("password-reset"), {"email": member.email})
    page = client.get(emailed_path(mail.outbox[0]), follow=True)

    response = client.post(
        page.redirect_chain[-1][0], {"new_password1": "12345", "new_password2": "54321"}
    )

    assert "<title>Error: Choose a new password" in response.text
    assert "Your password must be at least 10 characters" in response.text
    assert "Your password is too easy to guess" in response.text
    assert "Your password must include letters or symbols" in response.text
    assert "Enter the same password twice" in response.text


@pytest.mark.slow
def test_set_password_signs_new_member_in_to_their_account(client, network):
    user = User.objects.create_user(email="asha@example.org", full_name="Asha Patel")
    MembershipFactory(user=user, network=network)

    page = client.get(set_password_url(user), follow=True)
    assert "<h1>Create your password</h1>" in page.text
    response = client.post(
        page.redirect_chain[-1][0],
        {
            "new_password1": "Spinal-pathway-2025",
            "new_password2": "Spinal-pathway-2025",
        },
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("account")
    assert "Your password is created and you are signed in" in response.text
    assert client.session["_auth_user_id"] == str(user.pk)
    user.refresh_from_db()
    assert user.check_password("Spinal-pathway-2025")


def test_set_password_link_with_bad_token_says_so(client, member):
    url = set_password_url(member).replace(member_token(member), "bad-token")

    response = client.get(url)

    assert "This link does not work" in response.text
    assert "Ask for a new link" in response.text


def member_token(user):
    return set_password_url(user).rstrip("/").rsplit("/", 1)[1]


# The account page


def test_account_page_lists_details_and_memberships(signed_in, member, network):
    response = signed_in.get(reverse("account"))

    assert response.status_code == 200
    assert member.email in response.text
    assert network.name in response.text
    assert reverse("account-membership", args=[network.slug]) in response.text
    assert reverse("account-leave", args=[network.slug]) in response.text


def test_account_page_tells_lived_experience_member_they_choose(client, network):
    user = MembershipFactory(network=network, sector="lived_experience").user
    client.force_login(user)

    response = client.get(reverse("account"))

    assert "You choose what other members see about you" in response.text


def test_edit_details_saves_and_audits(signed_in, member):
    email = member.email
    response = signed_in.post(
        reverse("account-details"),
        {
            "full_name": "Sam Okafor",
            "email": "Sam.Okafor@Example.NHS.uk",  # ignored: see test_email_change
            "phone": "020 7946 0000",
            "job_title": "MSK first contact practitioner",
        },
    )

    assert response["Location"] == reverse("account")
    member.refresh_from_db()
    assert member.full_name == "Sam Okafor"
    assert member.email == email
    event = AuditEvent.objects.get(type=AuditEvent.Type.ACCOUNT_UPDATED)
    assert event.by == member
    assert event.data["fields"] == ["full_name", "job_title", "phone"]


def test_edit_details_requires_name(signed_in):
    response = signed_in.post(reverse("account-details"), {})

    assert '<a href="#id_full_name">Enter your full name</a>' in response.text
    assert 'name="email"' not in response.text


@pytest.mark.slow
def test_edit_membership_saves_details_and_consent(signed_in, member, network):
    membership = member.memberships.get()
    topic = network.topics.first()

    response = signed_in.post(
        reverse("account-membership", args=[network.slug]),
        membership_form(
            membership,
            sector="lived_experience",
            profession="not_applicable",
            organisation_other="Versus Arthritis",
            interests=[topic.pk],
            leadership="wants_to_lead",
            share_email="on",
        ),
    )

    assert response["Location"] == reverse("account")
    membership.refresh_from_db()
    assert membership.sector == "lived_experience"
    assert membership.organisation_other == "Versus Arthritis"
    assert list(membership.interests.all()) == [topic]
    assert membership.share_email is True
    assert membership.share_icb is False  # unticked
    event = AuditEvent.objects.get(type=AuditEvent.Type.MEMBERSHIP_UPDATED)
    assert event.network == network
    assert "share_email" in event.data["fields"]
    assert "interests" in event.data["fields"]


@pytest.mark.slow
def test_edit_membership_page_tells_lived_experience_member_they_choose(
    client, network
):
    user = MembershipFactory(network=network, sector="lived_experience").user
    client.force_login(user)

    response = client.get(reverse("account-membership", args=[network.slug]))

    assert "You choose what is shown about you" in response.text
    assert "What other members see" in response.text


@pytest.mark.slow
def test_edit_membership_explains_contact_sharing_needs_listing(
    signed_in, member, network
):
    membership = member.memberships.get()

    response = signed_in.post(
        reverse("account-membership", args=[network.slug]),
        membership_form(membership, directory_listed=None, share_phone="on"),
    )

    assert response.status_code == 200
    assert (
        '<a href="#id_share_phone">You can only show your phone number if you are '
        "listed in the directory" in response.text
    )
    membership.refresh_from_db()
    assert membership.directory_listed is True
    assert not AuditEvent.objects.exists()


def test_edit_membership_of_other_network_is_not_found(signed_in, member):
    other = MembershipFactory().network

    response = signed_in.get(reverse("account-membership", args=[other.slug]))

    assert response.status_code == 404


@pytest.mark.slow
def test_leave_network_after_confirming(signed_in, member, network):
    page = signed_in.get(reverse("account-leave", args=[network.slug]))
    assert "If you leave:" in page.text

    response = signed_in.post(
        reverse("account-leave", args=[network.slug]), follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("account")
    assert f"You have left {network.name}" in response.text
    assert not Membership.objects.filter(user=member).exists()
    event = AuditEvent.objects.get(type=AuditEvent.Type.MEMBER_LEFT)
    assert (event.by, event.network) == (member, network)


@pytest.mark.slow
def test_last_lead_cannot_leave(client, lead, network):
    client.force_login(lead)

    page = client.get(reverse("account-leave", args=[network.slug]))
    response = client.post(reverse("account-leave", args=[network.slug]), follow=True)

    assert "You cannot leave yet" in page.text
    assert "Leave London MSK</button>" not in page.text
    assert "You are the only lead of" in response.text
    assert Membership.objects.filter(user=lead, network=network).exists()


def test_lead_can_leave_when_another_lead_remains(client, lead, network):
    MembershipFactory(network=network, role=Role.LEAD)
    client.force_login(lead)

    client.post(reverse("account-leave", args=[network.slug]))

    assert not Membership.objects.filter(user=lead).exists()


# Download my data


@pytest.mark.slow
def test_download_data_holds_everything_and_no_secrets(client, network, password):
    user = MembershipFactory(
        network=network, user__phone="07700 900123", share_email=True
    ).user
    JoinRequestFactory(network=network, email=user.email.upper())
    invitation = InvitationFactory(network=network, email=user.email)
    token, raw = create_api_token(user=user, name="Reports")
    client.force_login(user)

    response = client.get(reverse("account-data"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment; filename=")
    data = json.loads(response.content)
    assert data["account"]["email"] == user.email
    assert data["account"]["phone"] == "07700 900123"
    assert data["memberships"][0]["network"] == network.name
    assert data["memberships"][0]["directory"]["share_email"] is True
    assert len(data["join_requests"]) == 1
    assert data["invitations"][0]["status"]["code"] == "open"
    assert data["api_tokens"] == [
        {
            "name": "Reports",
            "prefix": token.prefix,
            "created_at": token.created_at.isoformat(),
            "last_used_at": None,
        }
    ]
    assert data["activity"][0]["type"]["code"] == "token_created"
    text = response.content.decode()
    for secret in (raw, token.key_hash, invitation.token_hash, user.password):
        assert secret not in text
    assert AuditEvent.objects.filter(
        type=AuditEvent.Type.ACCOUNT_EXPORTED, by=user
    ).exists()


# Delete my account


def test_delete_account_page_explains_and_asks_for_password(signed_in):
    response = signed_in.get(reverse("account-delete"))

    assert "cannot be undone" in response.text
    assert '"former member"' in response.text
    assert 'name="password"' in response.text


def test_delete_account_with_wrong_password_is_refused(signed_in, member):
    response = signed_in.post(reverse("account-delete"), {"password": "nope"})

    assert "The password is not correct" in response.text
    member.refresh_from_db()
    assert member.erased_at is None


@pytest.mark.slow
def test_delete_account_erases_and_signs_out(client, member, network, password):
    email = member.email
    JoinRequestFactory(email=email)
    invitation = InvitationFactory(email=email)
    create_api_token(user=member, name="Reports")
    client.force_login(member)

    response = client.post(
        reverse("account-delete"), {"password": password}, follow=True
    )

    assert "Your account and your personal data are deleted" in response.text
    assert "_auth_user_id" not in client.session
    member.refresh_from_db()
    assert member.email == f"erased-{member.pk}@invalid"
    assert member.erased_at is not None
    assert member.display_name == "Former member"
    assert not Membership.objects.filter(user=member).exists()
    assert not JoinRequest.objects.exists()
    assert not APIToken.objects.exists()
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert sign_in(client, email, password).status_code == 200
    assert "_auth_user_id" not in client.session


def test_last_lead_cannot_delete_account(client, lead, network, password):
    client.force_login(lead)

    response = client.post(reverse("account-delete"), {"password": password})

    assert "You are the only lead of London MSK Health Improvement Network" in (
        response.text
    )
    lead.refresh_from_db()
    assert lead.erased_at is None


# API tokens


def test_tokens_page_creates_token_shown_once(signed_in, member):
    response = signed_in.post(reverse("account-tokens"), {"name": "Monthly report"})

    token = APIToken.objects.get(user=member)
    raw = re.search(r'id="new-token">(msk_[^<]+)<', response.text).group(1)
    assert raw.startswith(token.prefix)
    assert "Copy your new token now" in response.text
    assert response["Cache-Control"].startswith("max-age=0")
    listing = signed_in.get(reverse("account-tokens"))
    assert "Monthly report" in listing.text
    assert raw not in listing.text


def test_tokens_page_needs_a_name(signed_in):
    response = signed_in.post(reverse("account-tokens"), {"name": ""})

    assert '<a href="#id_name">Enter a name for the token</a>' in response.text
    assert not APIToken.objects.exists()


def test_revoke_token(signed_in, member):
    token, _ = create_api_token(user=member, name="Old script")

    response = signed_in.post(
        reverse("account-token-revoke", args=[token.pk]), follow=True
    )

    assert "You revoked the token &#x27;Old script&#x27;" in response.text
    assert not APIToken.objects.exists()
    assert AuditEvent.objects.filter(type=AuditEvent.Type.TOKEN_REVOKED).exists()


def test_cannot_revoke_someone_elses_token(signed_in, outsider):
    token, _ = create_api_token(user=outsider, name="Theirs")

    response = signed_in.post(reverse("account-token-revoke", args=[token.pk]))

    assert response.status_code == 404
    assert APIToken.objects.filter(pk=token.pk).exists()


@pytest.mark.parametrize(
    "name",
    [
        "account",
        "account-details",
        "account-delete",
        "account-tokens",
        "account-data",
    ],
)
def test_account_pages_send_visitors_to_sign_in(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("sign-in"))


def test_former_member_invitation_keeps_no_email(client, member, password):
    InvitationFactory(email=member.email)
    client.force_login(member)

    client.post(reverse("account-delete"), {"password": password})

    assert not Invitation.objects.filter(email=member.email).exists()


def test_other_people_are_unaffected_by_erasure(client, member, password, network):
    other = UserFactory()
    client.force_login(member)

    client.post(reverse("account-delete"), {"password": password})

    other.refresh_from_db()
    assert other.erased_at is None
    assert other.is_active
