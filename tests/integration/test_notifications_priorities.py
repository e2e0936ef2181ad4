"""Nomination rounds tell members when they open and before they close, and
tell the panel they are on it and what they still have to score."""

import datetime as dt

import pytest
from django.conf import settings
from django.core import mail

from msknet.communications.models import (
    Delivery,
    Kind,
    Notification,
    NotificationPreference,
)
from msknet.priorities import actions
from msknet.priorities.notifications import tell_rounds_due
from msknet.priorities.tasks import tell_about_rounds
from tests.factories.memberships import MembershipFactory
from tests.factories.networks import NetworkFactory
from tests.factories.priorities import (
    NominationFactory,
    in_screening,
    round_with_criteria,
    score_all,
    today,
)

pytestmark = pytest.mark.django_db


def told(kind, **filters):
    return sorted(
        Notification.objects.filter(kind=kind, **filters).values_list("user_id",
                                                                      flat=True))


def days(n):
    return today() + dt.timedelta(days=n)


@pytest.fixture
def outsider():
    """A member of another network, who hears nothing of this one's rounds."""
    return MembershipFactory(network=NetworkFactory()).user


# A round opens --------------------------------------------------------------


def test_every_member_is_emailed_once_when_the_lead_opens_a_round_today(
    client, network, lead, steering, member, outsider, sent_on_commit
):
    with sent_on_commit():
        round = round_with_criteria(network, by=lead, title="Priorities 2027",
                                    opens_on=today(), closes_on=days(20))
        tell_about_rounds()

    assert told(Kind.ROUND_OPENED) == sorted([lead.pk, steering.pk, member.pk])
    notification = Notification.objects.get(kind=Kind.ROUND_OPENED, user=member)
    assert notification.key == f"round:{round.pk}:opened"
    assert notification.title == (
        f"Nominations open until {days(20):%-d %B %Y}: Priorities 2027 (London MSK)")
    assert sorted(email.to[0] for email in mail.outbox) == sorted(
        [lead.email, steering.email, member.email])
    link = f"{settings.SITE_URL}/n/{network.slug}/priorities/rounds/{round.pk}/"
    assert all(link in email.body for email in mail.outbox)
    client.force_login(member)
    assert "Priorities 2027" in client.get(
        link.removeprefix(settings.SITE_URL)).content.decode()


def test_a_round_that_opens_later_is_announced_by_the_daily_job_on_its_day(
    network, lead, member
):
    round = round_with_criteria(network, by=lead, opens_on=days(2),
                                closes_on=days(20))

    assert tell_rounds_due(today=days(1)) == 0
    tell_rounds_due(today=days(2))
    tell_rounds_due(today=days(2))

    assert told(Kind.ROUND_OPENED, key=f"round:{round.pk}:opened") == sorted(
        [lead.pk, member.pk])


def test_a_member_who_chose_never_hears_of_the_round_on_the_site_only(
    network, lead, member, sent_on_commit
):
    NotificationPreference.objects.create(
        user=member, kind=Kind.ROUND_OPENED, delivery=Delivery.NEVER)

    with sent_on_commit():
        round_with_criteria(network, by=lead, opens_on=today())

    assert member.pk in told(Kind.ROUND_OPENED)
    assert [email.to for email in mail.outbox] == [[lead.email]]


# Nominations close soon -----------------------------------------------------


def test_members_who_have_not_nominated_are_reminded_once_three_days_before_closing(
    network, lead, steering, member, outsider, sent_on_commit
):
    closing = round_with_criteria(network, by=lead, title="Closing round",
                                  opens_on=days(-10), closes_on=days(3))
    NominationFactory(round=closing, nominated_by=steering)
    round_with_criteria(network, by=lead, title="Later round", opens_on=days(-10),
                        closes_on=days(4))
    mail.outbox.clear()

    with sent_on_commit():
        tell_about_rounds()
        tell_about_rounds()

    assert told(Kind.ROUND_CLOSING) == sorted([lead.pk, member.pk])
    notification = Notification.objects.get(kind=Kind.ROUND_CLOSING, user=member)
    assert notification.key == f"round:{closing.pk}:closing"
    assert notification.title == "Nominations close in 3 days: Closing round (London MSK)"
    [email] = [e for e in mail.outbox if e.to == [member.email]
               and "close in 3 days" in e.subject]
    assert f"{settings.SITE_URL}{closing.get_absolute_url()}" in email.body


def test_a_round_that_opened_today_waits_a_day_before_saying_it_closes(
    network, lead, member
):
    round = round_with_criteria(network, by=lead, opens_on=today(),
                                closes_on=days(2))

    tell_rounds_due()
    assert told(Kind.ROUND_CLOSING) == []

    tell_rounds_due(today=days(1))
    assert Notification.objects.get(kind=Kind.ROUND_CLOSING, user=member).title == (
        f"Nominations close tomorrow: {round.title} (London MSK)")


def test_a_member_who_chose_never_for_closing_rounds_gets_no_email(
    network, lead, member, sent_on_commit
):
    NotificationPreference.objects.create(
        user=member, kind=Kind.ROUND_CLOSING, delivery=Delivery.NEVER)
    round_with_criteria(network, by=lead, opens_on=days(-10), closes_on=days(1))

    with sent_on_commit():
        tell_about_rounds()

    assert member.pk in told(Kind.ROUND_CLOSING)
    assert not [e for e in mail.outbox
                if e.to == [member.email] and "close tomorrow" in e.subject]


# The panel ------------------------------------------------------------------


def test_people_named_to_the_panel_are_told_once_and_newcomers_later(
    client, network, lead, steering, member, sent_on_commit
):
    round = round_with_criteria(network, by=lead, title="Panel round")
    mail.outbox.clear()
    latecomer = MembershipFactory(network=network).user

    with sent_on_commit():
        actions.set_panel(round=round, by=lead, panellists=[lead, member])
        actions.set_panel(round=round, by=lead, panellists=[lead, member, latecomer])

    assert told(Kind.PANEL_NAMED) == sorted([member.pk, latecomer.pk])
    notification = Notification.objects.get(kind=Kind.PANEL_NAMED, user=member)
    assert notification.title == "You are on the screening panel: Panel round (London MSK)"
    screening = f"/n/{network.slug}/priorities/rounds/{round.pk}/screening/"
    assert notification.url == screening
    assert sorted(email.to[0] for email in mail.outbox) == sorted(
        [member.email, latecomer.email])
    assert all(f"{settings.SITE_URL}{screening}" in e.body for e in mail.outbox)
    client.force_login(member)
    assert client.get(screening).status_code == 200
    assert told(Kind.SCORING_DUE) == []  # nominations are still open


def test_with_no_panel_named_the_steering_group_is_told_when_screening_starts(
    network, lead, steering, member
):
    round = round_with_criteria(network, by=lead)
    NominationFactory(round=round, nominated_by=member)

    actions.close_nominations(round=round, by=lead)
    tell_about_rounds()

    assert told(Kind.PANEL_NAMED) == sorted([lead.pk, steering.pk])
    assert told(Kind.SCORING_DUE) == sorted([lead.pk, steering.pk])


def test_a_round_past_its_closing_date_starts_screening_by_the_daily_job(
    network, lead, steering, member
):
    round = round_with_criteria(network, by=lead, opens_on=days(-20),
                                closes_on=days(-1))
    NominationFactory(round=round, nominated_by=member)
    actions.set_panel(round=round, by=lead, panellists=[steering, member])

    tell_about_rounds()

    assert told(Kind.SCORING_DUE) == sorted([steering.pk, member.pk])
    assert Notification.objects.get(kind=Kind.SCORING_DUE, user=member).key == (
        f"round:{round.pk}:scoring:{today().isoformat()}")


# Scoring --------------------------------------------------------------------


def test_panellists_are_reminded_of_what_they_have_left_every_three_days(
    network, lead, steering, member
):
    other = MembershipFactory(network=network).user
    round = round_with_criteria(network, by=lead, title="Scoring round")
    first = NominationFactory(round=round, nominated_by=lead)
    second = NominationFactory(round=round, nominated_by=lead)
    actions.set_panel(round=round, by=lead, panellists=[steering, member, other])
    in_screening(round)
    score_all(first, steering, 3)
    score_all(first, other, 4)
    score_all(second, other, 4)

    tell_rounds_due()
    tell_rounds_due()
    tell_rounds_due(today=days(1))

    assert told(Kind.SCORING_DUE) == sorted([steering.pk, member.pk])
    titles = dict(Notification.objects.filter(kind=Kind.SCORING_DUE)
                  .values_list("user_id", "title"))
    assert titles[steering.pk] == "1 nomination to score: Scoring round (London MSK)"
    assert titles[member.pk] == "2 nominations to score: Scoring round (London MSK)"

    score_all(second, steering, 3)
    tell_rounds_due(today=days(3))

    assert told(Kind.SCORING_DUE) == sorted([steering.pk, member.pk, member.pk])


def test_nobody_is_reminded_once_screening_closes(network, lead, member):
    round = round_with_criteria(network, by=lead)
    NominationFactory(round=round, nominated_by=lead)
    actions.set_panel(round=round, by=lead, panellists=[member])
    in_screening(round)
    actions.close_screening(round=round, by=lead)

    tell_about_rounds()

    assert told(Kind.SCORING_DUE) == []


def test_scoring_goes_in_the_digest_by_default_and_straight_away_if_chosen(
    network, lead, steering, member, sent_on_commit
):
    NotificationPreference.objects.create(
        user=member, kind=Kind.SCORING_DUE, delivery=Delivery.IMMEDIATELY)
    round = round_with_criteria(network, by=lead)
    NominationFactory(round=round, nominated_by=lead)
    actions.set_panel(round=round, by=lead, panellists=[steering, member])
    in_screening(round)
    mail.outbox.clear()

    with sent_on_commit():
        tell_about_rounds()

    assert told(Kind.SCORING_DUE) == sorted([steering.pk, member.pk])
    [email] = mail.outbox
    assert email.to == [member.email]
    assert (f"{settings.SITE_URL}/n/{network.slug}/priorities/rounds/{round.pk}"
            "/screening/") in email.body


def test_a_panellist_who_chose_never_is_told_of_the_panel_on_the_site_only(
    network, lead, member, sent_on_commit
):
    NotificationPreference.objects.create(
        user=member, kind=Kind.PANEL_NAMED, delivery=Delivery.NEVER)
    round = round_with_criteria(network, by=lead)
    mail.outbox.clear()

    with sent_on_commit():
        actions.set_panel(round=round, by=lead, panellists=[member])

    assert told(Kind.PANEL_NAMED) == [member.pk]
    assert mail.outbox == []
