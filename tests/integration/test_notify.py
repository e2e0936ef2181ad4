"""The one notification service: told once, only members, email by preference."""

import pytest
from django.core import mail

from msknet.communications.models import (
    Delivery,
    Kind,
    Notification,
    NotificationPreference,
)
from msknet.communications.notify import notify
from tests.factories.memberships import MembershipFactory
from tests.factories.networks import NetworkFactory
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def tell(network, people, key="action:1:assigned"):
    return notify(
        kind=Kind.ACTION_ASSIGNED,
        recipients=people,
        network=network,
        key=key,
        title="Action for you: write to O'Brien & Co",
        url=f"/n/{network.slug}/",
    )


def test_a_member_is_told_once_and_emailed_straight_away():
    network = NetworkFactory()
    member = MembershipFactory(network=network).user
    outsider = UserFactory()
    assert len(tell(network, [member, outsider])) == 1
    assert len(tell(network, [member])) == 0
    assert Notification.objects.filter(user=member).count() == 1
    assert not Notification.objects.filter(user=outsider).exists()
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [member.email]
    assert "O'Brien & Co" in email.subject
    assert "O'Brien & Co" in email.body
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_never_means_on_the_site_only():
    network = NetworkFactory()
    member = MembershipFactory(network=network).user
    NotificationPreference.objects.create(
        user=member, kind=Kind.ACTION_ASSIGNED, delivery=Delivery.NEVER
    )
    assert len(tell(network, [member])) == 1
    assert mail.outbox == []
