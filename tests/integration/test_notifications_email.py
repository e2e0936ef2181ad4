"""Notification emails: what they say, their HTML part, and the one-click link."""

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse

from msknet.communications.models import (
    CommunicationsEvent,
    Kind,
    NotificationPreference,
)
from msknet.communications.notify import notify, preference_token
from msknet.core.models import AuditEvent
from tests.factories.memberships import MembershipFactory

pytestmark = pytest.mark.django_db

TITLE = "O'Brien & Co <b>"


def choice_url(user, kind=Kind.ACTION_ASSIGNED):
    return reverse("notification-email-choice", args=[preference_token(user, kind)])


def delivery(user, kind=Kind.ACTION_ASSIGNED):
    return (
        NotificationPreference.objects.filter(user=user, kind=kind)
        .values_list("delivery", flat=True)
        .first()
    )


def test_the_email_reads_plainly_and_its_html_part_is_escaped(
    network, member, sent_on_commit, settings
):
    with sent_on_commit():
        notify(kind=Kind.ACTION_ASSIGNED, recipients=[member], network=network,
               key="action:1", title=TITLE, url="/n/london/actions/1/",
               body="Write to O'Brien & Co")

    [email] = mail.outbox
    assert TITLE in email.subject
    assert f"\n{TITLE}\n" in email.body
    assert "Write to O'Brien & Co" in email.body
    assert "&amp;" not in email.body and "&#x27;" not in email.body
    [(html, mimetype)] = email.alternatives
    assert mimetype == "text/html"
    assert "O&#x27;Brien &amp; Co &lt;b&gt;" in html
    assert "<b>" not in html
    assert "#005eb8" in html and network.name in html
    assert f'href="{settings.SITE_URL}/n/london/actions/1/"' in html
    unsubscribe = email.extra_headers["List-Unsubscribe"]
    assert unsubscribe == f"<{settings.SITE_URL}{choice_url(member)}?never=1>"
    assert f"{settings.SITE_URL}{choice_url(member)}" in email.body
    assert f"{settings.SITE_URL}{reverse('notification-settings')}" in email.body


def test_the_link_shows_the_choice_without_signing_in_and_changes_nothing(
    client, member
):
    response = client.get(choice_url(member) + "?never=1")

    assert response.status_code == 200
    assert "An action is given to you" in response.text
    assert "You get an email about this straight away" in response.text
    assert "To stop these emails, choose" in response.text
    assert delivery(member) is None


def test_a_button_on_the_page_changes_the_choice(member):
    browser = Client(enforce_csrf_checks=True)
    url = choice_url(member)
    page = browser.get(url)
    token = page.cookies["csrftoken"].value

    response = browser.post(url, {"delivery": "weekly", "csrfmiddlewaretoken": token},
                            follow=True)

    assert delivery(member) == "weekly"
    assert "Your email choice is saved" in response.text
    assert "You get email about this in a weekly digest" in response.text
    event = AuditEvent.objects.get(type=CommunicationsEvent.NOTIFICATION_PREFERENCE_CHANGED)
    assert event.data["via"] == "email"


def test_the_pages_form_needs_its_csrf_token(member):
    browser = Client(enforce_csrf_checks=True)

    response = browser.post(choice_url(member), {"delivery": "never"})

    assert response.status_code == 403
    assert delivery(member) is None


def test_one_click_unsubscribe_sets_never_without_csrf(member):
    # A mail program posts this body to the List-Unsubscribe address (RFC 8058).
    browser = Client(enforce_csrf_checks=True)

    response = browser.post(
        choice_url(member) + "?never=1", {"List-Unsubscribe": "One-Click"}
    )

    assert response.status_code == 200
    assert delivery(member) == "never"
    assert "You will no longer get email about this" in response.text
    event = AuditEvent.objects.get(type=CommunicationsEvent.NOTIFICATION_PREFERENCE_CHANGED)
    assert event.data == {"kind": "action_assigned", "delivery": "never",
                          "previous": "immediately", "via": "one-click"}


def test_one_click_is_only_the_exact_rfc_8058_post(member):
    browser = Client(enforce_csrf_checks=True)

    without_never = browser.post(choice_url(member), {"List-Unsubscribe": "One-Click"})
    other_body = browser.post(choice_url(member) + "?never=1", {"delivery": "never"})

    assert without_never.status_code == other_body.status_code == 403
    assert delivery(member) is None


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_forged_token_is_not_found(client, member, method):
    forged = signing.dumps({"u": member.pk, "k": "action_assigned"}, salt="other-salt")
    url = reverse("notification-email-choice", args=[forged])

    response = getattr(client, method)(url + "?never=1", {"List-Unsubscribe": "One-Click"}
                                       if method == "post" else {})

    assert response.status_code == 404
    assert delivery(member) is None


def test_a_token_for_an_erased_person_is_not_found(client, network):
    person = MembershipFactory(network=network).user
    url = choice_url(person)
    from msknet.members.actions.accounts import erase_account

    erase_account(user=person)

    assert client.get(url).status_code == 404


def test_a_token_for_a_kind_that_no_longer_exists_is_not_found(client, member):
    token = signing.dumps({"u": member.pk, "k": "gone"},
                          salt="msknet.communications.notification-preference")

    response = client.get(reverse("notification-email-choice", args=[token]))

    assert response.status_code == 404
