"""Daily and weekly digests: one email per person with news, never twice."""

from datetime import timedelta

import pytest
from click.testing import CliRunner
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from msknet.cli import cli
from msknet.communications.digests import send_digests
from msknet.communications.models import (
    Delivery,
    Kind,
    Notification,
    NotificationPreference,
)
from msknet.communications.notify import notify, preference_token
from tests.factories.memberships import MembershipFactory
from tests.factories.networks import NetworkFactory

pytestmark = pytest.mark.django_db


def tell(network, person, kind, key, title="Something happened"):
    return notify(kind=kind, recipients=[person], network=network, key=key,
                  title=title, url=f"/n/{network.slug}/{key}/")


def choose(person, kind, delivery):
    NotificationPreference.objects.create(user=person, kind=kind, delivery=delivery)


def test_daily_kinds_go_in_the_daily_digest_and_weekly_in_the_weekly(
    network, member, sent_on_commit, settings
):
    # By default mentions are daily and replies weekly.
    tell(network, member, Kind.DISCUSSION_MENTION, "post:1", title="Mentioned")
    tell(network, member, Kind.DISCUSSION_REPLY, "post:2", title="Replied")

    with sent_on_commit():
        daily = send_digests(frequency="daily")
    [daily_email] = mail.outbox
    mail.outbox.clear()
    with sent_on_commit():
        weekly = send_digests(frequency="weekly")
    [weekly_email] = mail.outbox

    assert daily == weekly == 1
    assert daily_email.to == [member.email]
    assert daily_email.subject == "Your daily digest from msknet: 1 new notification"
    assert "Mentioned" in daily_email.body and "Replied" not in daily_email.body
    assert "Replied" in weekly_email.body and "Mentioned" not in weekly_email.body
    assert f"{settings.SITE_URL}/n/{network.slug}/post:1/" in daily_email.body


def test_the_digest_groups_by_network_and_links_each_kinds_choice(
    network, member, sent_on_commit, settings
):
    elsewhere = NetworkFactory(name="Elsewhere MSK", slug="elsewhere")
    MembershipFactory(network=elsewhere, user=member)
    tell(network, member, Kind.DISCUSSION_MENTION, "post:1", title="In London")
    tell(elsewhere, member, Kind.SCORING_DUE, "round:1", title="Score these")

    with sent_on_commit():
        send_digests(frequency="daily")

    [email] = mail.outbox
    assert email.subject == "Your daily digest from msknet: 2 new notifications"
    assert email.body.index("Elsewhere MSK") < email.body.index("Score these")
    assert email.body.index(network.name) < email.body.index("In London")
    for kind in (Kind.DISCUSSION_MENTION, Kind.SCORING_DUE):
        link = reverse("notification-email-choice",
                       args=[preference_token(member, kind)])
        assert f"{kind.label}: {settings.SITE_URL}{link}" in email.body
    assert f"{settings.SITE_URL}{reverse('notification-settings')}" in email.body
    [(html, mimetype)] = email.alternatives
    assert mimetype == "text/html"
    assert "Elsewhere MSK" in html and "Score these" in html


def test_a_digest_is_not_sent_twice(network, member, sent_on_commit):
    tell(network, member, Kind.DISCUSSION_MENTION, "post:1")

    with sent_on_commit():
        first = send_digests(frequency="daily")
        again = send_digests(frequency="daily", now=timezone.now() + timedelta(days=1))

    assert (first, again) == (1, 0)
    assert len(mail.outbox) == 1
    assert Notification.objects.get().emailed_at is not None


def test_the_next_digest_has_only_what_is_new(network, member, sent_on_commit):
    tell(network, member, Kind.DISCUSSION_MENTION, "post:1", title="First")
    with sent_on_commit():
        send_digests(frequency="daily")
    tell(network, member, Kind.DISCUSSION_MENTION, "post:2", title="Second")

    with sent_on_commit():
        send_digests(frequency="daily", now=timezone.now() + timedelta(days=1))

    assert "Second" in mail.outbox[1].body and "First" not in mail.outbox[1].body


def test_nothing_new_means_no_email(network, member, sent_on_commit):
    tell(network, member, Kind.DISCUSSION_MENTION, "post:1")
    Notification.objects.update(read_at=timezone.now())  # read on the site already

    with sent_on_commit():
        sent = send_digests(frequency="daily") + send_digests(frequency="weekly")

    assert sent == 0
    assert mail.outbox == []


def test_never_and_straight_away_kinds_are_in_no_digest(network, member, sent_on_commit):
    choose(member, Kind.DISCUSSION_MENTION, Delivery.NEVER)
    tell(network, member, Kind.DISCUSSION_MENTION, "post:1")
    with sent_on_commit():
        tell(network, member, Kind.ACTION_ASSIGNED, "action:1")  # emailed at once
    mail.outbox.clear()

    with sent_on_commit():
        sent = send_digests(frequency="daily") + send_digests(frequency="weekly")

    assert sent == 0
    assert mail.outbox == []


def test_a_chosen_frequency_moves_a_kind_between_digests(network, member, sent_on_commit):
    choose(member, Kind.DISCUSSION_MENTION, Delivery.WEEKLY)
    tell(network, member, Kind.DISCUSSION_MENTION, "post:1")

    with sent_on_commit():
        daily = send_digests(frequency="daily")
        weekly = send_digests(frequency="weekly")

    assert (daily, weekly) == (0, 1)


def test_people_who_left_the_network_or_were_erased_get_none(network, sent_on_commit):
    from msknet.members.actions.accounts import erase_account

    leaver = MembershipFactory(network=network)
    erased = MembershipFactory(network=network).user
    tell(network, leaver.user, Kind.DISCUSSION_MENTION, "post:1")
    tell(network, erased, Kind.DISCUSSION_MENTION, "post:1")
    leaver.delete()
    erase_account(user=erased)

    with sent_on_commit():
        assert send_digests(frequency="daily") == 0

    assert mail.outbox == []


def test_digests_are_daily_or_weekly_only():
    with pytest.raises(ValueError, match="daily or weekly"):
        send_digests(frequency="never")


def test_the_command_sends_and_reports(network, member, sent_on_commit):
    tell(network, member, Kind.DISCUSSION_REPLY, "post:1")

    with sent_on_commit():
        result = CliRunner().invoke(cli, ["notifications", "digest", "--frequency",
                                          "weekly"])
    again = CliRunner().invoke(cli, ["notifications", "digest", "--frequency", "weekly"])

    assert result.exit_code == 0, result.output
    assert result.output == "Sent 1 weekly digest.\n"
    assert again.output == "Sent 0 weekly digests.\n"
    assert len(mail.outbox) == 1


def test_the_command_needs_daily_or_weekly():
    result = CliRunner().invoke(cli, ["notifications", "digest", "--frequency", "none"])

    assert result.exit_code == 2
    assert "'none' is not one of 'daily', 'weekly'" in result.output
