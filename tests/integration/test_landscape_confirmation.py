"""Keeping services up to date: confirming, the stale list, asking owners by
email in one click, and the emailed link that confirms without signing in."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from msknet.communications.models import Kind, Notification
from msknet.landscape.models import ConfirmationRequest, Service, ServiceChange
from msknet.members.models import Role
from tests.factories.landscape import confirmation_token, provider, service
from tests.factories.memberships import MembershipFactory

pytestmark = pytest.mark.django_db

LONG_AGO = dt.date.today() - dt.timedelta(days=400)


@pytest.fixture
def trust(network):
    return provider(network, name="Synthetic MSK trust")


@pytest.fixture
def stale(network, trust):
    return service(network, name="Synthetic pain clinic", provider_org=trust,
                   last_confirmed_on=LONG_AGO)


@pytest.fixture
def owner(network, trust):
    return MembershipFactory(network=network, role=Role.MEMBER,
                             organisation=trust).user


def test_owner_confirms_their_service(client, network, stale, owner):
    open_request = confirmation_token(stale, owner)
    client.force_login(owner)

    response = client.post(reverse("service-confirm", args=[network.slug, stale.pk]),
                           follow=True)

    assert response.redirect_chain[-1][0] == reverse("service",
                                                     args=[network.slug, stale.pk])
    assert "details are confirmed" in response.content.decode()
    stale.refresh_from_db()
    assert stale.last_confirmed_on == timezone.localdate()
    assert stale.last_confirmed_by == owner
    assert stale.changes.get().summary == "Confirmed the details"
    assert ConfirmationRequest.objects.get().confirmed_at is not None
    assert open_request


def test_member_from_another_organisation_cannot_confirm(client, network, stale,
                                                         member):
    client.force_login(member)
    response = client.post(reverse("service-confirm", args=[network.slug, stale.pk]))
    assert response.status_code == 403
    stale.refresh_from_db()
    assert stale.last_confirmed_on == LONG_AGO


def test_stale_list_shows_oldest_first_with_who_would_be_asked(
        client, network, trust, stale, owner, lead):
    never = service(network, name="Synthetic never confirmed", last_confirmed_on=None,
                    provider_org=provider(network, name="Nobody's trust"))
    service(network, name="Synthetic current service", provider_org=trust)
    client.force_login(lead)

    page = client.get(reverse("service-stale", args=[network.slug])).content.decode()

    assert "Synthetic current service" not in page
    assert page.index(never.name) < page.index(stale.name)
    assert owner.display_name in page
    assert "No member from this organisation — invite one or confirm it yourself" in page
    assert "Never" in page


def test_one_click_ask_emails_a_link_that_confirms(
        client, network, stale, owner, lead, sent_on_commit):
    client.force_login(lead)
    with sent_on_commit():
        response = client.post(reverse("service-request-confirmation",
                                       args=[network.slug, stale.pk]), follow=True)

    assert f"Asked {owner.display_name} to confirm" in response.content.decode()
    request = ConfirmationRequest.objects.get()
    assert request.sent_to == owner and request.sent_by == lead
    assert request.expires_at - timezone.now() > dt.timedelta(days=29)
    assert Notification.objects.get(kind=Kind.SERVICE_CONFIRMATION).user == owner
    # One email, carrying the link; the notification stays on the site.
    [email] = [m for m in mail.outbox if m.to == [owner.email]]
    assert "/services/confirm/" in email.body
    assert email.to == [owner.email]
    link = re.search(r"https?://\S+/services/confirm/(\S+)/", email.body)
    assert link, email.body
    token = link.group(1)
    assert len(request.token_hash) == 64 and token not in request.token_hash

    # The owner opens the link without signing in and confirms.
    client.logout()
    url = reverse("service-confirm-link", args=[network.slug, token])
    page = client.get(url)
    assert page.status_code == 200
    assert "These details are right" in page.content.decode()
    done = client.post(url)

    assert "Thank you" in done.content.decode()
    stale.refresh_from_db()
    assert stale.last_confirmed_on == timezone.localdate()
    assert stale.last_confirmed_by == owner
    request.refresh_from_db()
    assert request.confirmed_at is not None
    # The link works once.
    again = client.get(url)
    assert again.status_code == 410
    assert "the link has been used" in again.content.decode()


def test_asking_again_within_a_week_is_refused(client, network, stale, owner, lead):
    client.force_login(lead)
    url = reverse("service-request-confirmation", args=[network.slug, stale.pk])
    client.post(url)
    response = client.post(url, follow=True)
    assert "wait 7 days before asking again" in response.content.decode()
    assert ConfirmationRequest.objects.count() == 1


def test_asking_with_nobody_to_ask_is_refused(client, network, stale, lead):
    client.force_login(lead)
    response = client.post(reverse("service-request-confirmation",
                                   args=[network.slug, stale.pk]), follow=True)
    assert "Nobody can be asked to confirm" in response.content.decode()
    assert not ConfirmationRequest.objects.exists()


def test_ask_all_asks_every_stale_service_with_an_owner(
        client, network, trust, stale, owner, lead, sent_on_commit):
    second = service(network, name="Synthetic hip clinic", provider_org=trust,
                     last_confirmed_on=None)
    service(network, name="Synthetic orphan", last_confirmed_on=None,
            provider_org=provider(network, name="Nobody's trust"))
    client.force_login(lead)
    with sent_on_commit():
        response = client.post(reverse("service-request-confirmation-all",
                                       args=[network.slug]), follow=True)
    page = response.content.decode()
    assert "Asked the owners of 2 services" in page
    assert "1 service had nobody to ask" in page
    assert set(ConfirmationRequest.objects.values_list("service", flat=True)) == {
        stale.pk, second.pk}
    assert len([m for m in mail.outbox if m.to == [owner.email]
                and "/services/confirm/" in m.body]) == 2


def test_expired_link_says_so(client, network, stale, owner):
    token = confirmation_token(stale, owner, token="expired-token", days=-1)
    response = client.get(reverse("service-confirm-link", args=[network.slug, token]))
    assert response.status_code == 410
    assert "This link expired on" in response.content.decode()
    assert client.post(reverse("service-confirm-link", args=[network.slug, token])
                       ).status_code == 410
    stale.refresh_from_db()
    assert stale.last_confirmed_on == LONG_AGO


def test_unknown_link_is_not_found(client, network):
    response = client.get(reverse("service-confirm-link", args=[network.slug, "nope"]))
    assert response.status_code == 404


def test_stale_queryset_ignores_withdrawn(network, stale):
    Service.objects.filter(pk=stale.pk).update(withdrawn_at=timezone.now(),
                                               withdrawn_reason="Closed")
    assert not Service.objects.stale().exists()
    assert not ServiceChange.objects.exists()
