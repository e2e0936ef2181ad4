import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone

from msknet.core import audit
from msknet.core.models import AuditEvent
from msknet.members.actions import accounts as actions
from msknet.members.models import (
    APIToken,
    Invitation,
    JoinRequest,
    Membership,
    Role,
    SignInFailure,
    User,
)
from msknet.members.queries_accounts import personal_data, sign_in_retry_at
from tests.factories.joining import InvitationFactory, JoinRequestFactory
from tests.factories.memberships import MembershipFactory
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def limits(settings):
    settings.SIGN_IN_MAX_FAILURES_PER_ACCOUNT = 2
    settings.SIGN_IN_MAX_FAILURES_PER_ADDRESS = 4
    settings.SIGN_IN_FAILURE_WINDOW_SECONDS = 600
    return settings


def fail(email="a@example.org", address="192.0.2.1", minutes_ago=0):
    return SignInFailure.objects.create(
        email=email, address=address, at=timezone.now() - timedelta(minutes=minutes_ago)
    )


# Signing in


def test_sign_in_retry_at_is_none_below_limit(limits):
    fail()

    assert sign_in_retry_at(email="a@example.org", address="192.0.2.1") is None


def test_sign_in_retry_at_is_when_enough_failures_age_out(limits):
    fail(minutes_ago=8)
    second = fail(minutes_ago=3)
    fail(minutes_ago=1)

    retry_at = sign_in_retry_at(email="A@example.org", address="198.51.100.1")

    # Two failures inside the window remain until the second-newest leaves it.
    window = timedelta(minutes=10)  # the limits fixture's window
    assert retry_at == second.at + window


def test_sign_in_retry_at_counts_addresses_across_emails(limits):
    for n in range(4):
        fail(email=f"p{n}@example.org", minutes_ago=n)

    assert sign_in_retry_at(email="new@example.org", address="192.0.2.1") is not None
    assert sign_in_retry_at(email="new@example.org", address="192.0.2.2") is None


def test_sign_in_ignores_failures_outside_window(limits):
    fail(minutes_ago=11)
    fail(minutes_ago=12)

    assert sign_in_retry_at(email="a@example.org", address="192.0.2.1") is None


def test_sign_in_action_refuses_erased_account(rf, password):
    user = UserFactory()
    actions.erase_account(user=user)
    request = rf.post("/account/sign-in/")

    with pytest.raises(actions.SignInRefused):
        actions.sign_in(request=request, email=user.email, password=password)


def test_lockout_message_names_minutes_and_time():
    retry_at = timezone.now() + timedelta(minutes=4, seconds=10)

    message = actions.lockout_message(retry_at)

    assert "try again in 5 minutes, after " in message
    assert timezone.localtime(retry_at).strftime("%H:%M") in message


# Details and memberships


def test_update_account_without_changes_records_nothing():
    user = UserFactory(full_name="Ada Lovelace")

    actions.update_account(user=user, by=user, full_name="Ada Lovelace")

    assert not AuditEvent.objects.exists()


def test_update_account_cannot_change_the_email_address():
    # It changes only through a link sent to the new address.
    user = UserFactory(email="ada@example.org")

    with pytest.raises(ValueError, match="email"):
        actions.update_account(user=user, by=user, email="new@example.org")

    user.refresh_from_db()
    assert user.email == "ada@example.org"


def test_update_membership_records_changed_fields_only(network):
    membership = MembershipFactory(network=network, share_icb=True)

    actions.update_membership(
        membership=membership, by=membership.user, share_icb=False, share_sector=True
    )

    event = AuditEvent.objects.get()
    assert event.type == AuditEvent.Type.MEMBERSHIP_UPDATED
    assert event.data == {"fields": ["share_icb"]}
    assert event.target_id == str(membership.pk)


def test_leave_network_refuses_last_lead(network):
    membership = MembershipFactory(network=network, role=Role.LEAD)

    with pytest.raises(actions.LastLead, match="only lead"):
        actions.leave_network(membership=membership, by=membership.user)

    assert Membership.objects.filter(pk=membership.pk).exists()


def test_erased_lead_does_not_count_as_remaining_lead(network):
    membership = MembershipFactory(network=network, role=Role.LEAD)
    former = MembershipFactory(network=network, role=Role.LEAD).user
    User.objects.filter(pk=former.pk).update(is_active=False, erased_at=timezone.now())

    with pytest.raises(actions.LastLead):
        actions.leave_network(membership=membership, by=membership.user)


def test_leave_network_records_member_left(network, member):
    membership = member.memberships.get()
    pk = membership.pk

    actions.leave_network(membership=membership, by=member)

    event = AuditEvent.objects.get()
    assert event.type == AuditEvent.Type.MEMBER_LEFT
    assert event.target_id == str(pk)
    assert not Membership.objects.filter(user=member).exists()


# Erasure


def test_erase_account_removes_personal_data(network):
    user = MembershipFactory(
        network=network, user__phone="07700 900123", user__job_title="GP"
    ).user
    email = user.email
    pending = JoinRequestFactory(email=email)
    decided = JoinRequestFactory(
        email=email,
        status=JoinRequest.Status.DECLINED,
        decided_at=timezone.now(),
        reason="My back pain",
        decision_reason="Not in our area",
    )
    open_invitation = InvitationFactory(email=email)
    actions.create_api_token(user=user, name="Reports")
    fail(email=email)

    actions.erase_account(user=user)

    user.refresh_from_db()
    assert user.email == f"erased-{user.pk}@invalid"
    assert (user.full_name, user.phone, user.job_title) == ("", "", "")
    assert not user.has_usable_password()
    assert user.is_active is False
    assert user.erased_at is not None
    assert not Membership.objects.filter(user=user).exists()
    assert not APIToken.objects.exists()
    assert not SignInFailure.objects.exists()
    assert not JoinRequest.objects.filter(pk=pending.pk).exists()
    decided.refresh_from_db()
    assert decided.email == user.email
    assert (decided.full_name, decided.reason, decided.decision_reason) == (
        "Former member",
        "",
        "",
    )
    open_invitation.refresh_from_db()
    assert open_invitation.status == Invitation.Status.REVOKED
    assert open_invitation.email == user.email
    event = AuditEvent.objects.get(type=AuditEvent.Type.ACCOUNT_ERASED)
    assert event.by is None
    assert event.target_id == str(user.pk)


def test_former_member_audit_events_show_former_member(network):
    user = MembershipFactory(network=network).user
    audit.record(AuditEvent.Type.ACCOUNT_UPDATED, target=user, by=user)

    actions.erase_account(user=user)

    event = AuditEvent.objects.get(type=AuditEvent.Type.ACCOUNT_UPDATED)
    assert event.by == user
    assert event.by.display_name == "Former member"
    assert str(event.by) == "Former member"


def test_erase_account_refuses_last_lead(network, lead):
    with pytest.raises(actions.LastLead):
        actions.erase_account(user=lead)

    lead.refresh_from_db()
    assert lead.erased_at is None


def test_erased_emails_are_unique():
    first, second = UserFactory(), UserFactory()

    actions.erase_account(user=first)
    actions.erase_account(user=second)

    assert User.objects.filter(email__endswith="@invalid").count() == 2


# Personal data


def test_personal_data_matches_requests_by_email_and_leaves_out_secrets(network):
    user = UserFactory(email="kim@example.org")
    JoinRequestFactory(network=network, email="KIM@example.org")
    JoinRequestFactory(network=network, email="someone@example.org")
    invitation = InvitationFactory(network=network, email="kim@example.org")

    data = personal_data(user)

    assert len(data["join_requests"]) == 1
    assert len(data["invitations"]) == 1
    assert invitation.token_hash not in str(data)
    assert user.password not in str(data)


def test_export_personal_data_records_event():
    user = UserFactory()

    data = actions.export_personal_data(user=user)

    assert data["account"]["email"] == user.email
    event = AuditEvent.objects.get()
    assert (event.type, event.by) == (AuditEvent.Type.ACCOUNT_EXPORTED, user)


# API tokens


def test_create_api_token_stores_only_prefix_and_hash():
    user = UserFactory()

    token, raw = actions.create_api_token(user=user, name="  Weekly extract ")

    assert raw.startswith("msk_")
    assert len(raw) > 40
    assert token.prefix == raw[:8]
    assert token.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert token.name == "Weekly extract"
    event = AuditEvent.objects.get()
    assert (event.type, event.by) == (AuditEvent.Type.TOKEN_CREATED, user)


def test_tokens_are_different_each_time():
    user = UserFactory()

    _, first = actions.create_api_token(user=user, name="One")
    _, second = actions.create_api_token(user=user, name="Two")

    assert first != second


def test_user_for_token_finds_user_and_notes_use():
    user = UserFactory()
    token, raw = actions.create_api_token(user=user, name="Reports")

    assert actions.user_for_token(raw) == user

    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize(
    "raw", ["", "msk_", "msk_not-a-real-token", "Bearer msk_x", "abc"]
)
def test_user_for_token_refuses_unknown_tokens(raw):
    actions.create_api_token(user=UserFactory(), name="Reports")

    assert actions.user_for_token(raw) is None


def test_user_for_token_writes_last_used_at_once_a_minute(django_assert_num_queries):
    token, raw = actions.create_api_token(user=UserFactory(), name="Reports")
    recent = timezone.now() - timedelta(seconds=30)
    APIToken.objects.filter(pk=token.pk).update(last_used_at=recent)

    with django_assert_num_queries(1):  # the lookup, and no write
        actions.user_for_token(raw)

    token.refresh_from_db()
    assert token.last_used_at == recent
    APIToken.objects.filter(pk=token.pk).update(
        last_used_at=timezone.now() - timedelta(minutes=2)
    )
    before = timezone.now()
    actions.user_for_token(raw)
    token.refresh_from_db()
    assert before <= token.last_used_at <= timezone.now()


def test_user_for_token_ignores_inactive_and_erased_users():
    inactive = UserFactory()
    _, inactive_raw = actions.create_api_token(user=inactive, name="Old")
    User.objects.filter(pk=inactive.pk).update(is_active=False)
    erased = UserFactory()
    _, erased_raw = actions.create_api_token(user=erased, name="Gone")
    User.objects.filter(pk=erased.pk).update(erased_at=timezone.now())

    assert actions.user_for_token(inactive_raw) is None
    assert actions.user_for_token(erased_raw) is None


def test_revoked_token_no_longer_works():
    user = UserFactory()
    token, raw = actions.create_api_token(user=user, name="Reports")

    actions.revoke_api_token(token=token, by=user)

    assert actions.user_for_token(raw) is None
    event = AuditEvent.objects.get(type=AuditEvent.Type.TOKEN_REVOKED)
    assert event.data == {"name": "Reports"}


def test_erase_account_reaches_approved_request_under_old_email(network):
    user = UserFactory(email="new.address@example.org")
    approved = JoinRequestFactory(
        network=network,
        email="old.address@example.org",
        status=JoinRequest.Status.APPROVED,
        decided_at=timezone.now(),
        user=user,
    )

    actions.erase_account(user=user)

    approved.refresh_from_db()
    assert approved.email == f"erased-{user.pk}@invalid"
    assert approved.full_name == "Former member"
