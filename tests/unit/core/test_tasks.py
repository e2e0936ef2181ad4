"""Scheduled jobs: declared in code, written to the schedule by migrate, and
each doing its app's work when the worker runs it."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.core import mail
from django.utils import timezone
from django_q.models import Schedule

from msknet.communications.tasks import send_daily_digests
from msknet.community.actions import events as community_actions
from msknet.community.tasks import remind_registrants
from msknet.core.tasks import (
    SCHEDULED_JOBS,
    ScheduledJob,
    first_run,
    sync_schedules,
)
from msknet.discussions import actions as discussion_actions
from tests.factories.community import EventFactory
from tests.factories.memberships import MembershipFactory

LONDON = ZoneInfo("Europe/London")


def test_migrate_declares_the_digests_reminders_and_import_sweep(db):
    schedules = {
        s.name: (s.func, s.schedule_type)
        for s in Schedule.objects.filter(name__startswith="msknet:")
    }

    assert schedules == {
        "msknet: daily notification digests": (
            "msknet.communications.tasks.send_daily_digests", Schedule.DAILY),
        "msknet: weekly notification digests": (
            "msknet.communications.tasks.send_weekly_digests", Schedule.WEEKLY),
        "msknet: event reminders": (
            "msknet.community.tasks.remind_registrants", Schedule.HOURLY),
        "msknet: fail stalled imports": (
            "msknet.insights.tasks.fail_stalled_imports", Schedule.MINUTES),
        "msknet: prescribing alerts for new data": (
            "msknet.prescribing.tasks.send_alerts", Schedule.DAILY),
        "msknet: forget unconfirmed prescribing alert addresses": (
            "msknet.prescribing.tasks.forget_stale_subscriptions", Schedule.DAILY),
        "msknet: action reminders": (
            "msknet.governance.tasks.remind_action_owners", Schedule.DAILY),
        "msknet: nomination round notices": (
            "msknet.priorities.tasks.tell_about_rounds", Schedule.DAILY),
        "msknet: join requests waiting": (
            "msknet.members.tasks.remind_leads_of_waiting_requests", Schedule.DAILY),
        "msknet: measures with overdue data": (
            "msknet.improvement.tasks.tell_measure_keepers", Schedule.DAILY),
        "msknet: send scheduled news": (
            "msknet.communications.news_tasks.send_due_news", Schedule.MINUTES),
        "msknet: event feedback surveys": (
            "msknet.surveys.tasks.send_event_feedback", Schedule.MINUTES),
    }


def test_declaring_again_keeps_each_jobs_next_run_and_drops_undeclared_ones(db):
    daily = Schedule.objects.get(name="msknet: daily notification digests")
    Schedule.objects.filter(pk=daily.pk).update(next_run=timezone.now() + timedelta(hours=3))
    Schedule.objects.create(name="msknet: a job since removed", func="os.getcwd",
                            schedule_type=Schedule.HOURLY)
    kept = Schedule.objects.get(pk=daily.pk).next_run

    sync_schedules()

    assert Schedule.objects.get(pk=daily.pk).next_run == kept
    assert not Schedule.objects.filter(name="msknet: a job since removed").exists()
    assert Schedule.objects.filter(name__startswith="msknet:").count() == len(
        SCHEDULED_JOBS)


def test_a_weekly_job_first_runs_on_its_next_weekday_at_its_hour(settings):
    settings.TIME_ZONE = "Europe/London"
    job = ScheduledJob(name="msknet: x", func="os.getcwd", every="weekly",
                       weekday=0, at_hour=7)
    wednesday = datetime(2026, 12, 2, 9, 30, tzinfo=LONDON)
    monday_early = datetime(2026, 12, 7, 6, 0, tzinfo=LONDON)

    assert first_run(job, wednesday) == datetime(2026, 12, 7, 7, 0, tzinfo=LONDON)
    assert first_run(job, monday_early) == datetime(2026, 12, 7, 7, 0, tzinfo=LONDON)


def test_the_reminder_job_emails_registrants_of_tomorrows_event(network, sent_on_commit):
    person = MembershipFactory(network=network).user
    event = EventFactory(network=network, starts_at=timezone.now() + timedelta(hours=5))
    community_actions.register(event=event, by=person)
    mail.outbox.clear()

    with sent_on_commit():
        outcome = remind_registrants()

    assert outcome == "Sent 1 reminder."
    [email] = mail.outbox
    assert email.to == [person.email]


def test_the_daily_digest_job_emails_a_member_their_mention(network, sent_on_commit):
    author = MembershipFactory(network=network).user
    aisha = MembershipFactory(network=network, user__full_name="Aisha Rahman").user
    discussion_actions.start_thread(network=network, by=author, title="Waiting lists",
                                    body="Can you help, @[Aisha Rahman]?")
    mail.outbox.clear()

    with sent_on_commit():
        outcome = send_daily_digests()

    assert outcome == "Sent 1 daily digest."
    [email] = mail.outbox
    assert email.to == [aisha.email]
