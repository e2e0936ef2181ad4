"""Leads are told about join requests left waiting more than 5 days."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from msknet.communications.models import (
    Delivery,
    Kind,
    Notification,
    NotificationPreference,
)
from msknet.members.actions.joining import approve_join_request
from msknet.members.models import Role
from msknet.members.tasks import remind_leads_of_waiting_requests
from tests.factories.joining import JoinRequestFactory
from tests.factories.memberships import MembershipFactory
from tests.factories.networks import NetworkFactory

pytestmark = pytest.mark.django_db


def asked_days_ago(network, days, **fields):
    return JoinRequestFactory(
        network=network, created_at=timezone.now() - timedelta(days=days), **fields
    )


def told(kind=Kind.JOIN_REQUEST_WAITING):
    return sorted(
        Notification.objects.filter(kind=kind).values_list("user__email", flat=True)
    )


def test_a_request_waiting_six_days_is_brought_to_each_lead_once(
    network, lead, steering, member
):
    other_lead = MembershipFactory(network=network, role=Role.LEAD).user
    elsewhere = MembershipFactory(network=NetworkFactory(), role=Role.LEAD).user
    waiting = asked_days_ago(network, 6)

    remind_leads_of_waiting_requests()
    remind_leads_of_waiting_requests()

    assert told() == sorted([lead.email, other_lead.email])
    assert elsewhere.email not in told()
    notification = Notification.objects.get(user=lead)
    assert notification.key == f"join-request:{waiting.pk}:waiting"
    assert notification.url == f"/n/{network.slug}/manage/requests/{waiting.pk}/"
    assert notification.title.startswith("Join request waiting 6 days for a decision")
    assert "(London MSK)" in notification.title
    assert waiting.full_name not in notification.title


def test_recent_and_decided_requests_are_not_brought_up(network, lead):
    asked_days_ago(network, 4)
    decided = asked_days_ago(network, 9)
    approve_join_request(join_request=decided, by=lead)

    remind_leads_of_waiting_requests()

    assert told() == []


def test_the_lead_is_emailed_a_link_to_the_request_and_can_decide_it(
    client, network, lead, sent_on_commit
):
    waiting = asked_days_ago(network, 6)

    with sent_on_commit():
        remind_leads_of_waiting_requests()

    [email] = mail.outbox
    assert email.to == [lead.email]
    link = f"{settings.SITE_URL}/n/{network.slug}/manage/requests/{waiting.pk}/"
    assert link in email.body
    client.force_login(lead)
    assert client.get(link.removeprefix(settings.SITE_URL)).status_code == 200


def test_a_lead_who_chose_never_is_told_on_the_site_only(network, lead, sent_on_commit):
    NotificationPreference.objects.create(
        user=lead, kind=Kind.JOIN_REQUEST_WAITING, delivery=Delivery.NEVER
    )
    asked_days_ago(network, 6)

    with sent_on_commit():
        remind_leads_of_waiting_requests()

    assert told() == [lead.email]
    assert mail.outbox == []
