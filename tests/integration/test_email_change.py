"""Changing one's email address: the current password (or a fresh single
sign-on) to ask, a link to the new address to confirm, a notice to the old."""

import re
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse

from msknet.core.models import AuditEvent
from msknet.members.actions import email_change
from msknet.members.models import User
from msknet.members.sso import SESSION_SIGNED_IN_AT
from tests.factories.users import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW = "sam.new@example.nhs.uk"


@pytest.fixture
def signed_in(client, member):
    client.force_login(member)
    return client


def ask(client, email=NEW, password=PASSWORD):
    data = {"email": email}
    if password is not None:
        data["password"] = password
    return client.post(reverse("account-email"), data)


def link_in(message):
    return re.search(r"http://[^/\s]+(/account/email/confirm/\S+/)", message.body)[1]


def test_account_page_leads_to_the_email_change_page(signed_in):
    page = signed_in.get(reverse("account"))

    assert f'href="{reverse("account-email")}"' in page.text


def test_asking_sends_a_link_to_the_new_address_and_changes_nothing_yet(
    signed_in, member, sent_on_commit
):
    old = member.email

    with sent_on_commit():
        response = ask(signed_in, email="Sam.New@Example.NHS.uk")

    assert response["Location"] == reverse("account")
    member.refresh_from_db()
    assert member.email == old
    assert [m.to for m in mail.outbox] == [[NEW]]
    assert mail.outbox[0].subject == "Confirm your new email address"
    page = signed_in.get(response["Location"])
    assert f"We have emailed a link to {NEW}" in page.text
    assert f"keep signing in with {old}" in page.text


def test_following_the_link_changes_the_address_and_tells_the_old_one(
    client, signed_in, member, sent_on_commit
):
    old = member.email
    with sent_on_commit():
        ask(signed_in)
    link = link_in(mail.outbox[0])

    confirm_page = client.get(link)
    member.refresh_from_db()
    assert member.email == old  # a GET (a mail scanner, say) changes nothing
    assert NEW in confirm_page.text
    with sent_on_commit():
        response = client.post(link)

    assert response["Location"] == reverse("account")
    member.refresh_from_db()
    assert member.email == NEW
    notice = mail.outbox[-1]
    assert notice.to == [old]
    assert notice.subject == "Your email address has changed"
    assert NEW in notice.body
    event = AuditEvent.objects.get(type=AuditEvent.Type.ACCOUNT_UPDATED)
    assert (event.by, event.data["fields"]) == (member, ["email"])
    assert f"Your email address is now {NEW}" in client.get(reverse("account")).text


def test_the_link_works_once(client, signed_in, member, sent_on_commit):
    with sent_on_commit():
        ask(signed_in)
    link = link_in(mail.outbox[0])
    client.post(link)

    again = client.post(link)

    assert "This link does not work" in again.text
    member.refresh_from_db()
    assert member.email == NEW


def test_a_link_stops_working_when_the_address_changes_another_way(
    client, signed_in, member, sent_on_commit
):
    with sent_on_commit():
        ask(signed_in, email="first@example.org")
        ask(signed_in, email="second@example.org")
    first, second = (link_in(m) for m in mail.outbox)
    client.post(second)

    response = client.post(first)

    assert "This link does not work" in response.text
    member.refresh_from_db()
    assert member.email == "second@example.org"


def test_an_expired_link_does_not_work(
    client, signed_in, member, sent_on_commit, monkeypatch
):
    with sent_on_commit():
        ask(signed_in)
    monkeypatch.setattr(email_change, "LINK_LIFETIME", timedelta(seconds=-1))

    response = client.post(link_in(mail.outbox[0]))

    assert "This link does not work" in response.text
    member.refresh_from_db()
    assert member.email != NEW


def test_an_altered_link_does_not_work(client, signed_in, member, sent_on_commit):
    with sent_on_commit():
        ask(signed_in)
    token = link_in(mail.outbox[0]).split("/")[-2]
    forged = reverse("account-email-confirm", args=[token[:-4] + "AAAA"])

    response = client.post(forged)

    assert "This link does not work" in response.text


def test_asking_needs_the_current_password(signed_in, member, sent_on_commit):
    with sent_on_commit():
        wrong = ask(signed_in, password="not-my-password")
        missing = ask(signed_in, password=None)

    assert "The password is not correct" in wrong.text
    assert '<a href="#id_password">Enter your current password</a>' in missing.text
    assert "<title>Error: Change your email address" in wrong.text
    assert mail.outbox == []


def test_a_fresh_single_sign_on_stands_in_for_the_password(
    signed_in, member, sent_on_commit
):
    session = signed_in.session
    session[SESSION_SIGNED_IN_AT] = time.time() - 60
    session.save()

    form = signed_in.get(reverse("account-email"))
    with sent_on_commit():
        response = ask(signed_in, password=None)

    assert 'name="password"' not in form.text
    assert response["Location"] == reverse("account")
    assert [m.to for m in mail.outbox] == [[NEW]]


def test_an_old_single_sign_on_does_not(signed_in, member):
    session = signed_in.session
    session[SESSION_SIGNED_IN_AT] = time.time() - 3600
    session.save()

    response = ask(signed_in, password=None)

    assert "Enter your current password" in response.text


def test_an_address_with_an_account_gets_the_same_answer_and_a_note_not_a_link(
    signed_in, member, sent_on_commit
):
    other = UserFactory(email="taken@example.org")

    with sent_on_commit():
        response = ask(signed_in, email="Taken@example.org")

    assert response["Location"] == reverse("account")
    page = signed_in.get(response["Location"])
    assert "We have emailed a link to taken@example.org" in page.text
    assert [m.to for m in mail.outbox] == [[other.email]]
    assert mail.outbox[0].subject == "This email address already has an account"
    assert "/account/email/confirm/" not in mail.outbox[0].body
    member.refresh_from_db()
    assert member.email != other.email


def test_a_link_for_an_address_taken_since_does_not_work(
    client, signed_in, member, sent_on_commit
):
    with sent_on_commit():
        ask(signed_in)
    User.objects.create_user(email=NEW, full_name="Quicker Person")

    response = client.post(link_in(mail.outbox[0]))

    assert "This link does not work" in response.text
    member.refresh_from_db()
    assert member.email != NEW


def test_asking_for_the_current_address_is_refused(signed_in, member):
    response = ask(signed_in, email=member.email.upper())

    assert "This is already your email address" in response.text


@pytest.mark.slow
def test_asking_is_limited_per_hour(signed_in, sent_on_commit):
    with sent_on_commit():
        for n in range(6):
            last = ask(signed_in, email=f"new{n}@example.org")

    assert len(mail.outbox) == 5
    assert "You have asked to change your email address too many times" in last.text
