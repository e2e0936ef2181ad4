"""Emails that read right: plain text says names and titles exactly as written
(no HTML entities), HTML parts escape them, and every link is on SITE_URL.

Each email is sent by the action a person's click runs, for a person, a
network and an event whose names hold the characters HTML escapes.
"""

import datetime as dt
import os
import re
from pathlib import Path
from unittest import mock

import pytest
from click.testing import CliRunner
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.urls import reverse

import msknet
from msknet.cli import cli, demo_site_url
from msknet.communications.digests import send_digests
from msknet.community.actions import events as event_actions
from msknet.improvement import actions as improvement_actions
from msknet.improvement.models import MeasureFollow
from msknet.improvement.notifications import tell_overdue_data
from msknet.members.actions import email_change, invitations, joining
from msknet.members.models import Role, Sector
from msknet.members.models.joining import Profession
from tests.factories.community import EventFactory
from tests.factories.improvement import MeasureFactory, QIProjectFactory, add_points
from tests.factories.joining import JoinRequestFactory
from tests.factories.memberships import MembershipFactory
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db

SITE = "https://msk.example.nhs.uk"
NAME = "Siobhán O'Brien & Co <Team>"
NETWORK = "North & South's <MSK> Network"
SHORT = "N&S's <MSK>"
EVENT = "Back pain, sciatica & 'what works'; <live>"
#: What autoescaping would have made of those characters.
ENTITIES = ("&amp;", "&#x27;", "&#39;", "&lt;", "&gt;", "&quot;")
URL = re.compile(r"https?://[^\s<>\"']+")


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def named_network(network):
    network.name, network.short_name = NETWORK, SHORT
    network.save()
    return network


def reads_right(email, *written):
    """The plain-text subject and body hold each text as written, no entity,
    and every link in the body is on this site; an HTML part escapes them."""
    text = f"{email.subject}\n{email.body}"
    for phrase in written:
        assert phrase in text
    for entity in ENTITIES:
        assert entity not in text, f"{entity} in {email.subject!r}"
    links = URL.findall(email.body)
    assert links, f"no link in {email.subject!r}"
    for link in links:
        assert link.startswith(SITE + "/") or link == SITE, link
    for html, _ in getattr(email, "alternatives", []):
        if NAME in text:
            assert "O&#x27;Brien &amp; Co &lt;Team&gt;" in html
        for raw in ("<Team>", "<MSK>", "<live>", "<high-dose>", "<upstairs>"):
            assert raw not in html
        for href in re.findall(r'href="([^"]+)"', html):
            assert href == SITE or href.startswith((SITE + "/", "mailto:")), href


def only_email():
    [email] = mail.outbox
    mail.outbox.clear()
    return email


# Joining -------------------------------------------------------------------------


def test_join_request_emails_read_right(named_network, lead, sent_on_commit):
    ask = {"network": named_network, "by": AnonymousUser(), "full_name": NAME,
           "sector": Sector.COMMUNITY, "profession": Profession.PHYSIOTHERAPIST}

    with sent_on_commit():
        join_request = joining.request_to_join(email="siobhan@example.org", **ask)
    requested = only_email()
    with sent_on_commit():
        joining.request_to_join(email="siobhan@example.org", **ask)
    already_asked = only_email()
    with sent_on_commit():
        joining.approve_join_request(join_request=join_request, by=lead)
    approved = only_email()
    with sent_on_commit():
        joining.request_to_join(email="siobhan@example.org", **ask)
    already_member = only_email()

    reads_right(requested, f"Dear {NAME},", f"Thank you for asking to join {NETWORK}.")
    reads_right(already_asked, f"asked to join {NETWORK} with this email")
    reads_right(approved, f"Dear {NAME},", f"Welcome to {NETWORK}")
    reads_right(already_member, f"You are already a member of {NETWORK}")


def test_a_declined_request_reads_right(named_network, lead, sent_on_commit):
    join_request = JoinRequestFactory(network=named_network, full_name=NAME)
    reason = "We're for MSK & pain services <only>, so please try \"Pain UK\"."

    with sent_on_commit():
        joining.decline_join_request(join_request=join_request, by=lead,
                                     reason=reason)

    email = only_email()
    assert reason in email.body
    assert f"Dear {NAME}," in email.body
    assert not any(entity in email.body for entity in ENTITIES)


def test_an_invitation_reads_right(named_network, sent_on_commit):
    inviter = MembershipFactory(network=named_network, role=Role.LEAD,
                                user__full_name=NAME).user

    with sent_on_commit():
        invitations.invite(network=named_network, by=inviter,
                           email="new@example.org", full_name=NAME)

    reads_right(only_email(), f"Dear {NAME},", f"{NAME} has invited you to join "
                f"{NETWORK}", f"You are invited to join {NETWORK}")


# Accounts ------------------------------------------------------------------------


def test_a_password_reset_reads_right(client):
    UserFactory(full_name=NAME, email="siobhan@example.org")

    client.post(reverse("password-reset"), {"email": "siobhan@example.org"})

    reads_right(only_email(), f"Dear {NAME},")


def test_changing_email_reads_right(sent_on_commit):
    user = UserFactory(full_name=NAME, email="old@example.org")
    UserFactory(email="taken@example.org")

    with sent_on_commit():
        email_change.request_email_change(user=user, by=user,
                                          new_email="new@example.org")
    confirm = only_email()
    token = re.search(r"/account/email/confirm/([^/\s]+)/", confirm.body)
    with sent_on_commit():
        email_change.request_email_change(user=user, by=user,
                                          new_email="taken@example.org")
    taken = only_email()

    reads_right(confirm, f"Dear {NAME},")
    reads_right(taken, "This email address already has an account")
    assert token is not None
    with sent_on_commit():
        email_change.confirm_email_change(token=token.group(1))
    changed = [e for e in mail.outbox if e.to == ["old@example.org"]]
    assert changed
    assert f"Dear {NAME}," in changed[0].body
    assert not any(entity in changed[0].body for entity in ENTITIES)


# Events --------------------------------------------------------------------------


@pytest.fixture
def event(named_network):
    return EventFactory(network=named_network, title=EVENT, capacity=1,
                        place="O'Brien & Co's hall <upstairs>")


def test_event_emails_read_right(named_network, event, sent_on_commit):
    first = MembershipFactory(network=named_network, user__full_name=NAME).user
    second = MembershipFactory(network=named_network, user__full_name=NAME).user

    with sent_on_commit():
        registration = event_actions.register(event=event, by=first)
    registered = only_email()
    with sent_on_commit():
        event_actions.register(event=event, by=second)
    waiting = only_email()
    with sent_on_commit():
        event_actions.cancel_registration(registration=registration, by=first)
    promoted = only_email()
    with sent_on_commit():
        event_actions.send_reminders(now=event.starts_at - dt.timedelta(hours=3))
    reminder = only_email()

    for email in (registered, waiting, promoted, reminder):
        reads_right(email, f"Dear {NAME},", EVENT, SHORT)
    reads_right(registered, "O'Brien & Co's hall <upstairs>")


def unfold(ics):
    return ics.replace("\r\n ", "")


def test_the_calendar_file_links_to_this_site_and_escapes_as_icalendar(
        client, named_network, event):
    member = MembershipFactory(network=named_network, user__full_name=NAME).user
    event_actions.register(event=event, by=member)
    client.force_login(member)

    ics = unfold(client.get(reverse("event-invite", args=[named_network.slug,
                                                          event.pk])).text)

    assert "SUMMARY:Back pain\\, sciatica & 'what works'\\; <live>\r\n" in ics
    assert "LOCATION:O'Brien & Co's hall <upstairs>\r\n" in ics
    assert not any(entity in ics for entity in ENTITIES)
    links = URL.findall(ics.replace("\\n", " "))
    assert links
    assert all(link.startswith(SITE + "/") for link in links), links
    assert f"URL:{SITE}{event.get_absolute_url()}\r\n" in ics


# Notifications -------------------------------------------------------------------


def test_a_notification_email_reads_right(named_network, lead, sent_on_commit):
    follower = MembershipFactory(network=named_network, user__full_name=NAME).user
    measure = MeasureFactory(
        name="O'Brien & Co's <high-dose> opioids", improvement="decrease",
        project=QIProjectFactory(network=named_network, title="Opioids & pain"))
    MeasureFollow.objects.create(measure=measure, user=follower)
    add_points(measure, [50, 52, 49, 51, 50, 53, 48, 50, 52, 51, 49, 50])

    with sent_on_commit():
        for month in range(1, 8):
            improvement_actions.add_data_point(
                measure=measure, by=lead, period=dt.date(2025, month, 1),
                value=47 + month % 2)

    email = only_email()
    reads_right(email, f"Dear {NAME},",
                "the 'O'Brien & Co's <high-dose> opioids' measure shows",
                "Opioids & pain: from", SHORT)
    assert email.alternatives  # the HTML part was checked too


def test_a_weekly_digest_reads_right(named_network, sent_on_commit):
    member = MembershipFactory(network=named_network, user__full_name=NAME).user
    measure = MeasureFactory(
        name="O'Brien & Co's <high-dose> opioids", owner=member,
        project=QIProjectFactory(network=named_network, title="Opioids & pain"))
    add_points(measure, [50], start=dt.date(2026, 1, 1))
    tell_overdue_data(today=dt.date(2026, 3, 16))  # February is overdue

    with sent_on_commit():
        send_digests(frequency="weekly")

    email = only_email()
    reads_right(email, f"Dear {NAME},", "the 'O'Brien & Co's <high-dose> opioids' "
                "measure has no value for February 2026 yet", NETWORK)
    assert email.alternatives


# Prescribing alerts --------------------------------------------------------------


def test_a_prescribing_alert_confirmation_reads_right(named_network, monkeypatch,
                                                      sent_on_commit):
    from msknet.prescribing import actions as prescribing_actions

    # The organisation's name comes from the prescribing data; practices' names
    # hold ampersands and apostrophes.
    monkeypatch.setattr(prescribing_actions, "organisation_name",
                        lambda level, code: "O'Brien & Partners <Surgery>")

    with sent_on_commit():
        prescribing_actions.subscribe(network=named_network, email="a@example.org",
                                      level="practice", org_code="A81001",
                                      client="127.0.0.1")

    reads_right(only_email(), "Confirm your prescribing alerts for O'Brien & "
                "Partners <Surgery>", "at O'Brien & Partners <Surgery> (practice")


# Every plain-text template -------------------------------------------------------


def test_every_plain_text_email_template_turns_autoescaping_off():
    root = Path(msknet.__file__).parent
    templates = sorted([*root.rglob("*_body.txt"), *root.rglob("*_subject.txt")])

    escaping = [str(t.relative_to(root)) for t in templates
                if not t.read_text().startswith("{% autoescape off %}")
                or "{% endautoescape %}" not in t.read_text()]

    assert templates
    assert escaping == []



# The demo's links ----------------------------------------------------------------


@pytest.fixture
def demo_without_serving(monkeypatch, tmp_path):
    """Run `msknet demo --no-serve` without migrating, loading or collecting:
    what is asserted is the environment it leaves for the site and worker."""
    monkeypatch.setattr("django.core.management.call_command", lambda *a, **k: None)
    monkeypatch.setattr("msknet.demo.load_demo_data", lambda: False)
    monkeypatch.setattr("msknet.demo.demo_logins", list)

    def run(*args, environ=None):
        clean = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
        with mock.patch.dict(os.environ, {**clean, **(environ or {}),
                                          "MSKNET_VAR_DIR": str(tmp_path)},
                             clear=True):
            result = CliRunner().invoke(cli, ["demo", "--no-serve", *args])
            assert result.exit_code == 0, result.output
            return os.environ.get("SITE_URL"), os.environ.get("ALLOWED_HOSTS")

    return run


def test_the_demo_links_to_the_address_it_is_bound_to(demo_without_serving):
    assert demo_without_serving("--bind", "127.0.0.1:8123") == (
        "http://127.0.0.1:8123", "127.0.0.1,localhost")
    assert demo_without_serving() == ("http://127.0.0.1:8000", "127.0.0.1,localhost")


def test_the_demo_answers_to_the_host_it_is_bound_to(demo_without_serving):
    assert demo_without_serving("--bind", "192.168.1.20:8000") == (
        "http://192.168.1.20:8000", "127.0.0.1,localhost,192.168.1.20")


def test_the_demo_keeps_a_site_url_given_to_it(demo_without_serving):
    site_url, _ = demo_without_serving("--bind", "127.0.0.1:8123",
                                       environ={"SITE_URL": SITE})

    assert site_url == SITE


@pytest.mark.parametrize(("bind", "site_url"), [
    ("0.0.0.0:8080", "http://127.0.0.1:8080"),
    ("[::1]:9000", "http://[::1]:9000"),
    ("localhost", "http://localhost:8000"),
    ("unix:/run/msknet.sock", None),
])
def test_the_demo_site_url_for_other_bindings(bind, site_url):
    assert demo_site_url(bind) == site_url
