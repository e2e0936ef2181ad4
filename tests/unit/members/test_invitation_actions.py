from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from msknet.core.models import AuditEvent
from msknet.members.actions import invitations as actions
from msknet.members.actions.memberships import AlreadyMember
from msknet.members.models import INVITATION_LIFETIME, Invitation, Membership, Role
from tests.factories.joining import InvitationFactory
from tests.factories.memberships import MembershipFactory
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db

DETAILS = {"sector": "community", "profession": "physiotherapist"}


def test_invite_stores_only_the_hash_of_the_emailed_token(
    network, lead, sent_on_commit
):
    with sent_on_commit():
        invitation = actions.invite(
            network=network, by=lead, email=" Priya@Example.org ", role=Role.MEMBER
        )

    token = mail.outbox[0].body.split("/invitations/")[1].split("/")[0]
    assert actions.find_invitation(token) == invitation
    assert invitation.token_hash == actions.hash_token(token)
    assert len(invitation.token_hash) == 64
    assert invitation.email == "priya@example.org"
    assert invitation.expires_at - invitation.last_sent_at == timedelta(days=28)


def test_new_tokens_are_unique_and_long():
    tokens = {actions.new_token()[0] for _ in range(50)}

    assert len(tokens) == 50
    assert all(len(token) == 43 for token in tokens)  # 32 random bytes


def test_invite_refuses_a_member(network, lead, member):
    with pytest.raises(actions.InvitationRefused, match="already a member"):
        actions.invite(network=network, by=lead, email=member.email.upper())

    assert not Invitation.objects.exists()


def test_invite_refuses_an_open_invitation(network, lead):
    InvitationFactory(network=network, email="priya@example.org")

    with pytest.raises(actions.InvitationRefused, match="re-send it"):
        actions.invite(network=network, by=lead, email="PRIYA@example.org")


def test_invite_many_invites_no_one_if_anyone_is_refused(
    network, lead, member, sent_on_commit
):
    invitees = [
        actions.Invitee(email="priya@example.org"),
        actions.Invitee(email=member.email),
    ]

    with sent_on_commit(), pytest.raises(actions.InvitationRefused):
        actions.invite_many(network=network, by=lead, invitees=invitees)

    assert not Invitation.objects.exists()
    assert not AuditEvent.objects.exists()
    assert mail.outbox == []


def test_invite_many_refuses_the_same_address_twice(network, lead):
    invitees = [
        actions.Invitee(email="priya@example.org"),
        actions.Invitee(email="Priya@example.org"),
    ]

    with pytest.raises(actions.InvitationRefused, match="twice"):
        actions.invite_many(network=network, by=lead, invitees=invitees)

    assert not Invitation.objects.exists()


def test_resend_replaces_the_token_and_counts_the_send(network, lead, sent_on_commit):
    invitation = InvitationFactory(network=network)
    old_hash = invitation.token_hash

    with sent_on_commit():
        actions.resend_invitation(invitation=invitation, by=lead)

    invitation.refresh_from_db()
    assert invitation.token_hash != old_hash
    assert invitation.send_count == 2
    assert invitation.expires_at == invitation.last_sent_at + INVITATION_LIFETIME
    assert AuditEvent.objects.get().data == {"send_count": 2}
    assert len(mail.outbox) == 1


def test_resend_refuses_someone_who_has_since_joined(network, lead, member):
    invitation = InvitationFactory(network=network, email=member.email)

    with pytest.raises(actions.InvitationRefused, match="already a member"):
        actions.resend_invitation(invitation=invitation, by=lead)


def test_resend_of_an_expired_invitation_refused_when_a_newer_one_is_open(
    network, lead
):
    expired = InvitationFactory(
        network=network,
        email="priya@example.org",
        expires_at=timezone.now() - timedelta(days=1),
    )
    InvitationFactory(network=network, email="priya@example.org")

    with pytest.raises(actions.InvitationRefused, match="re-send it"):
        actions.resend_invitation(invitation=expired, by=lead)


def test_withdraw_records_who_and_when(network, lead):
    invitation = InvitationFactory(network=network)

    actions.withdraw_invitation(invitation=invitation, by=lead)

    invitation.refresh_from_db()
    assert invitation.revoked_by == lead
    assert invitation.revoked_at is not None
    assert AuditEvent.objects.get().type == AuditEvent.Type.INVITATION_REVOKED


@pytest.mark.parametrize(
    ("action", "status"),
    [
        (actions.resend_invitation, Invitation.Status.ACCEPTED),
        (actions.withdraw_invitation, Invitation.Status.ACCEPTED),
        (actions.withdraw_invitation, Invitation.Status.EXPIRED),
    ],
)
def test_closed_invitations_cannot_be_changed(network, lead, action, status):
    fields = (
        {"accepted_at": timezone.now(), "accepted_by": UserFactory()}
        if status == Invitation.Status.ACCEPTED
        else {"expires_at": timezone.now() - timedelta(seconds=1)}
    )
    invitation = InvitationFactory(network=network, **fields)

    with pytest.raises(actions.InvitationClosed) as closed:
        action(invitation=invitation, by=lead)

    assert closed.value.status == status
    assert not AuditEvent.objects.exists()


def test_accept_gives_the_invited_role_and_records_acceptance(network):
    user = UserFactory(email="priya@example.org")
    invitation = InvitationFactory(
        network=network, email="priya@example.org", role=Role.LEAD
    )

    membership = actions.accept_invitation(invitation=invitation, user=user, **DETAILS)

    assert membership.role == Role.LEAD
    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    event = AuditEvent.objects.get()
    assert event.type == AuditEvent.Type.INVITATION_ACCEPTED
    assert event.by == user


def test_accept_drops_contact_sharing_when_not_listed(network):
    user = UserFactory(email="priya@example.org")
    invitation = InvitationFactory(network=network, email=user.email)

    membership = actions.accept_invitation(
        invitation=invitation,
        user=user,
        directory_listed=False,
        share_email=True,
        **DETAILS,
    )

    assert membership.share_email is False


def test_accept_twice_is_refused(network):
    user = UserFactory(email="priya@example.org")
    invitation = InvitationFactory(network=network, email=user.email)
    actions.accept_invitation(invitation=invitation, user=user, **DETAILS)

    with pytest.raises(actions.InvitationClosed):
        actions.accept_invitation(invitation=invitation, user=user, **DETAILS)

    assert Membership.objects.filter(user=user).count() == 1


def test_accept_by_another_account_is_refused(network, outsider):
    invitation = InvitationFactory(network=network, email="priya@example.org")

    with pytest.raises(actions.WrongAccount):
        actions.accept_invitation(invitation=invitation, user=outsider, **DETAILS)

    assert not outsider.memberships.exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_accept_by_a_member_leaves_the_invitation_open(network, member):
    invitation = InvitationFactory(network=network, email=member.email)

    with pytest.raises(AlreadyMember):
        actions.accept_invitation(invitation=invitation, user=member, **DETAILS)

    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.OPEN


def test_accept_with_new_account_creates_the_account_for_the_invited_address(network):
    invitation = InvitationFactory(network=network, email="priya@example.org")

    membership = actions.accept_invitation_with_new_account(
        invitation=invitation,
        full_name=" Priya Shah ",
        password="granite-otter-lantern",
        **DETAILS,
    )

    user = membership.user
    assert user.email == "priya@example.org"
    assert user.full_name == "Priya Shah"
    assert user.check_password("granite-otter-lantern")


def test_accept_with_new_account_refused_when_the_account_exists(network):
    MembershipFactory(user=UserFactory(email="priya@example.org"))
    invitation = InvitationFactory(network=network, email="priya@example.org")

    with pytest.raises(actions.AccountExists):
        actions.accept_invitation_with_new_account(
            invitation=invitation, full_name="Priya", password="x", **DETAILS
        )

    assert not Membership.objects.filter(network=network).exists()
