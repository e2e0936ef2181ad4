"""Sending news: who gets it, once each, as a multipart email with unsubscribe
headers; opt-outs, suppressed addresses, bounces and failures."""

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from msknet.communications import news_actions, news_tasks
from msknet.communications.models import (
    AudienceKind,
    EmailSuppression,
    NewsItem,
    NewsKind,
    NewsOptOut,
    NewsRecipient,
    NewsStatus,
    RecipientStatus,
    SuppressionReason,
)
from msknet.communications.news_audiences import audience_members
from msknet.community.actions import events as event_actions
from msknet.members.models import ICB, Role, Sector
from tests.factories.community import EventFactory
from tests.factories.governance import make_group
from tests.factories.improvement import QIProjectFactory
from tests.factories.memberships import MembershipFactory
from tests.factories.networks import TopicFactory
from tests.factories.news import NewsItemFactory
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_job(django_capture_on_commit_callbacks):
    """The minute job as the worker runs it; tasks it queues run at once."""

    def run():
        with django_capture_on_commit_callbacks(execute=True):
            return news_tasks.send_due_news()

    return run


def due(network, **fields):
    return NewsItemFactory(
        network=network, status=NewsStatus.SCHEDULED,
        send_at=timezone.now() - timedelta(minutes=1), **fields,
    )


def news_emails_to(person):
    return [m for m in mail.outbox if m.to == [person.email]]


# Audiences ------------------------------------------------------------------


def test_the_whole_network_is_every_active_member_and_nobody_else(network, lead):
    member = MembershipFactory(network=network).user
    closed = MembershipFactory(network=network, user__is_active=False).user
    erased = MembershipFactory(network=network, user__erased_at=timezone.now()).user
    outsider = MembershipFactory().user

    people = set(audience_members(NewsItemFactory(network=network)))

    assert people == {lead, member}
    assert not {closed, erased, outsider} & people


def test_members_in_one_icb(network):
    north_central = ICB.objects.get(ods_code="QMJ")
    inside = MembershipFactory(network=network, icb=north_central).user
    MembershipFactory(network=network, icb=ICB.objects.get(ods_code="QKK"))
    item = NewsItemFactory(network=network, audience_kind=AudienceKind.ICB,
                           audience_icb=north_central)

    assert list(audience_members(item)) == [inside]


def test_members_in_one_sector_or_with_one_role(network, lead):
    commissioner = MembershipFactory(network=network, sector=Sector.COMMISSIONER).user
    MembershipFactory(network=network, sector=Sector.PRIMARY_CARE)
    by_sector = NewsItemFactory(network=network, audience_kind=AudienceKind.SECTOR,
                                audience_sector=Sector.COMMISSIONER)
    by_role = NewsItemFactory(network=network, audience_kind=AudienceKind.ROLE,
                              audience_role=Role.LEAD)

    assert list(audience_members(by_sector)) == [commissioner]
    assert list(audience_members(by_role)) == [lead]


def test_members_interested_in_a_topic(network):
    topic = TopicFactory(network=network)
    keen = MembershipFactory(network=network, interests=[topic]).user
    MembershipFactory(network=network)
    item = NewsItemFactory(network=network, audience_kind=AudienceKind.TOPIC,
                           audience_topic=topic)

    assert list(audience_members(item)) == [keen]


def test_members_of_a_group(network):
    in_group = MembershipFactory(network=network).user
    group = make_group(network, members=[in_group])
    MembershipFactory(network=network)
    item = NewsItemFactory(network=network, audience_kind=AudienceKind.GROUP,
                           audience_group=group)

    assert list(audience_members(item)) == [in_group]


def test_people_registered_for_an_event_but_not_those_who_cancelled(network):
    event = EventFactory(network=network)
    coming = MembershipFactory(network=network).user
    cancelled = MembershipFactory(network=network).user
    event_actions.register(event=event, by=coming)
    place = event_actions.register(event=event, by=cancelled)
    event_actions.cancel_registration(registration=place, by=cancelled)
    item = NewsItemFactory(network=network, audience_kind=AudienceKind.EVENT,
                           audience_event=event)

    assert list(audience_members(item)) == [coming]


def test_people_following_a_project_and_its_team(network):
    from msknet.improvement.models import ProjectFollow

    project = QIProjectFactory(network=network)
    on_team = MembershipFactory(network=network, user__email="a@example.nhs.uk").user
    follower = MembershipFactory(network=network, user__email="b@example.nhs.uk").user
    project.team.create(user=on_team)
    ProjectFollow.objects.create(project=project, user=follower)
    MembershipFactory(network=network)
    item = NewsItemFactory(network=network, audience_kind=AudienceKind.PROJECT,
                           audience_project=project)

    assert list(audience_members(item)) == [on_team, follower]


def test_an_audience_whose_choice_was_removed_is_nobody(network, lead):
    item = NewsItemFactory(network=network, audience_kind=AudienceKind.GROUP)

    assert list(audience_members(item)) == []


def test_opted_out_and_suppressed_people_are_left_out(network, lead):
    opted_out = MembershipFactory(network=network).user
    bounced = MembershipFactory(network=network, user__email="gone@example.nhs.uk").user
    NewsOptOut.objects.create(network=network, user=opted_out)
    news_actions.suppress_email(email="GONE@example.nhs.uk")

    people = set(audience_members(NewsItemFactory(network=network)))

    assert people == {lead}
    assert bounced not in people


# Sending --------------------------------------------------------------------


def test_the_job_sends_each_person_one_email_however_often_it_runs(network, lead, run_job):
    member = MembershipFactory(network=network).user
    item = due(network)

    run_job()
    run_job()

    assert len(news_emails_to(member)) == 1
    assert len(news_emails_to(lead)) == 1
    item.refresh_from_db()
    assert item.status == NewsStatus.SENT
    assert item.sent_at is not None
    assert set(item.recipients.values_list("status", flat=True)) == {RecipientStatus.SENT}


def test_an_item_due_later_is_not_sent(network, lead, run_job):
    item = NewsItemFactory(network=network, status=NewsStatus.SCHEDULED,
                           send_at=timezone.now() + timedelta(hours=1))

    run_job()

    assert mail.outbox == []
    item.refresh_from_db()
    assert item.status == NewsStatus.SCHEDULED


def test_a_second_worker_finds_the_item_already_taken(network, lead):
    item = due(network)
    NewsItem.objects.filter(pk=item.pk).update(status=NewsStatus.SENDING,
                                              sent_at=timezone.now())

    assert news_tasks.publish(item.pk) is False
    assert not NewsRecipient.objects.exists()


def test_the_email_is_multipart_with_unsubscribe_headers(network, lead, run_job, settings):
    settings.SITE_URL = "https://msk.example.nhs.uk"
    due(network, title="O'Brien & Co join the network",
        body_markdown="Welcome to **O'Brien & Co**: see [the pathway](https://example.org).")

    run_job()

    (email,) = news_emails_to(lead)
    token = NewsRecipient.objects.get(user=lead).token
    assert email.subject == "O'Brien & Co join the network – London MSK"
    assert email.extra_headers["List-Unsubscribe"] == (
        f"<https://msk.example.nhs.uk/news/unsubscribe/{token}/one-click/>"
    )
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Welcome to O'Brien & Co: see the pathway (https://example.org)." in email.body
    assert "&#x27;" not in email.body and "&amp;" not in email.body
    assert f"https://msk.example.nhs.uk/news/unsubscribe/{token}/" in email.body
    ((html, mimetype),) = email.alternatives
    assert mimetype == "text/html"
    assert "<strong>O&#x27;Brien &amp; Co</strong>" in html
    assert f'src="https://msk.example.nhs.uk/news/o/{token}.gif"' in html
    assert "Unsubscribe from London MSK news emails" in html


def test_what_was_sent_is_kept_for_the_news_page(network, lead, run_job):
    item = due(network, body_markdown="## Hello\n\nThe *first* issue.")

    run_job()

    item.refresh_from_db()
    assert "The <em>first</em> issue." in item.site_html
    assert "style=" not in item.site_html
    assert item.sent_text == "Hello\n=====\n\nThe first issue."
    assert item.audience_description == "Everyone in London MSK"


def test_a_newsletter_pulls_in_upcoming_events(network, lead, run_job):
    EventFactory(network=network, title="Back pain webinar",
                 starts_at=timezone.now() + timedelta(days=7))
    due(network, kind=NewsKind.NEWSLETTER, blocks=["events"])

    run_job()

    (email,) = news_emails_to(lead)
    assert "Back pain webinar" in email.body
    assert "Back pain webinar" in email.alternatives[0][0]


def test_someone_who_unsubscribes_after_the_item_is_queued_is_skipped(network, lead):
    item = due(network)
    news_tasks.publish(item.pk)  # the emails' tasks are not run: still queued
    recipient = NewsRecipient.objects.get(user=lead)
    news_actions.unsubscribe(recipient=recipient)

    news_tasks.send_news_email(recipient.pk)

    recipient.refresh_from_db()
    assert recipient.status == RecipientStatus.SKIPPED
    assert mail.outbox == []
    item.refresh_from_db()
    assert item.status == NewsStatus.SENT


class RefusingBackend:
    """A mail server that refuses the address."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused({messages[0].to[0]: (550, b"No such user")})


def test_a_refused_address_is_bounced_and_suppressed(network, lead, run_job, settings):
    settings.EMAIL_BACKEND = "tests.integration.test_news_sending.RefusingBackend"
    item = due(network)

    run_job()

    recipient = NewsRecipient.objects.get(item=item, user=lead)
    assert recipient.status == RecipientStatus.BOUNCED
    suppression = EmailSuppression.objects.get(email=lead.email.lower())
    assert suppression.reason == SuppressionReason.HARD_BOUNCE
    assert list(audience_members(NewsItemFactory(network=network))) == []


def test_an_unreachable_mail_server_is_tried_again_later(
    network, lead, run_job, unreachable_mail_server
):
    from django_q.models import Schedule

    item = due(network)

    run_job()

    recipient = NewsRecipient.objects.get(item=item, user=lead)
    assert recipient.status == RecipientStatus.QUEUED
    assert recipient.attempts == 1
    retry = Schedule.objects.get(func="msknet.communications.news_tasks.send_news_email")
    assert f"'recipient_pk': {recipient.pk}" in retry.kwargs
    assert "'attempt': 2" in retry.kwargs
    item.refresh_from_db()
    assert item.status == NewsStatus.SENDING


def test_the_last_try_fails_for_good(network, lead, unreachable_mail_server):
    item = due(network)
    news_tasks.publish(item.pk)
    recipient = NewsRecipient.objects.get(user=lead)

    news_tasks.send_news_email(recipient.pk, attempt=5)

    recipient.refresh_from_db()
    assert recipient.status == RecipientStatus.FAILED
    assert recipient.error
    item.refresh_from_db()
    assert item.status == NewsStatus.SENT


# Scheduling -----------------------------------------------------------------


def test_send_now_sends_straight_away(network, lead, django_capture_on_commit_callbacks):
    item = NewsItemFactory(network=network)

    with django_capture_on_commit_callbacks(execute=True):
        news_actions.send_news_now(item=item, by=lead)

    assert len(news_emails_to(lead)) == 1


def test_a_scheduling_time_must_be_in_the_future(network, lead):
    item = NewsItemFactory(network=network)

    with pytest.raises(news_actions.InThePast):
        news_actions.schedule_news(item=item, by=lead,
                                   send_at=timezone.now() - timedelta(minutes=5))


def test_a_cancelled_item_is_a_draft_again_and_is_not_sent(network, lead, run_job):
    item = NewsItemFactory(network=network, status=NewsStatus.SCHEDULED,
                           send_at=timezone.now() + timedelta(minutes=1))
    news_actions.cancel_news(item=item, by=lead)
    NewsItem.objects.filter(pk=item.pk).update(send_at=timezone.now())

    run_job()

    item.refresh_from_db()
    assert item.status == NewsStatus.DRAFT
    assert mail.outbox == []


def test_a_sent_item_cannot_change(network, lead, run_job):
    item = due(network)
    run_job()

    with pytest.raises(news_actions.NotEditable):
        news_actions.change_news(item=item, by=lead, title="Too late")


def test_the_schedule_runs_every_minute():
    (job,) = news_tasks.SCHEDULES

    assert job.func == "msknet.communications.news_tasks.send_due_news"
    assert (job.every, job.minutes) == ("minutes", 1)


def test_an_outsider_is_never_a_recipient(network, lead):
    UserFactory()

    assert list(audience_members(NewsItemFactory(network=network))) == [lead]


def test_the_email_says_why_the_reader_got_it(network):
    from msknet.communications.news_audiences import describe, why_you_get_it

    north_central = ICB.objects.get(ods_code="QMJ")
    by_icb = NewsItemFactory(network=network, audience_kind=AudienceKind.ICB,
                             audience_icb=north_central)
    event = EventFactory(network=network, title="Back pain webinar")
    by_event = NewsItemFactory(network=network, audience_kind=AudienceKind.EVENT,
                               audience_event=event)

    assert describe(by_icb) == "Members in North Central London ICB"
    assert why_you_get_it(by_icb) == (
        "You are getting this because you are a member of London MSK Health "
        "Improvement Network (members in North Central London ICB)."
    )
    assert why_you_get_it(by_event) == (
        "You are getting this because you are registered for Back pain webinar "
        "and are a member of London MSK Health Improvement Network."
    )
