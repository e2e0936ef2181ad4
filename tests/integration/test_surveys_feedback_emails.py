"""After an event ends, its feedback survey is emailed to those who attended,
once, through the platform's email task."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from msknet.community.models import Attendance, RegistrationStatus
from msknet.surveys.models import SurveyStatus
from msknet.surveys.tasks import send_event_feedback
from tests.factories.community import EventFactory, RegistrationFactory
from tests.factories.memberships import MembershipFactory
from tests.factories.surveys import survey

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture
def ended(network):
    starts = timezone.now() - dt.timedelta(hours=3)
    return EventFactory(network=network, title="Persistent pain masterclass",
                        starts_at=starts, ends_at=starts + dt.timedelta(hours=2))


def person(network):
    return MembershipFactory(network=network).user


def test_event_end_emails_each_attendee_once_with_the_link(network, lead, ended,
                                                           sent_on_commit):
    came, unrecorded = person(network), person(network)
    absent, cancelled, waiting = person(network), person(network), person(network)
    RegistrationFactory(event=ended, user=came, attendance=Attendance.ATTENDED,
                        attendance_recorded_at=timezone.now())
    RegistrationFactory(event=ended, user=unrecorded)
    RegistrationFactory(event=ended, user=absent, attendance=Attendance.DID_NOT_ATTEND,
                        attendance_recorded_at=timezone.now())
    RegistrationFactory(event=ended, user=cancelled,
                        status=RegistrationStatus.CANCELLED,
                        cancelled_at=timezone.now())
    RegistrationFactory(event=ended, user=waiting, status=RegistrationStatus.WAITING)
    feedback = survey(network, template="event_feedback", by=lead, event=ended)

    with sent_on_commit():
        send_event_feedback()
    with sent_on_commit():
        send_event_feedback()  # again: nothing more

    assert sorted(m.to[0] for m in mail.outbox) == sorted([came.email,
                                                           unrecorded.email])
    link = reverse("survey-start", args=[network.slug, feedback.pk])
    assert all(link in m.body for m in mail.outbox)
    assert mail.outbox[0].subject == "Your feedback on Persistent pain masterclass"
    feedback.refresh_from_db()
    assert feedback.sent_to_attendees_at is not None


def test_nothing_is_sent_before_the_event_ends_or_for_a_closed_survey(
        network, lead, sent_on_commit):
    coming = EventFactory(network=network)  # in a fortnight
    RegistrationFactory(event=coming, user=person(network))
    survey(network, template="event_feedback", by=lead, event=coming)
    starts = timezone.now() - dt.timedelta(hours=3)
    past = EventFactory(network=network, starts_at=starts,
                        ends_at=starts + dt.timedelta(hours=1))
    RegistrationFactory(event=past, user=person(network))
    survey(network, template="event_feedback", by=lead, event=past,
           status=SurveyStatus.CLOSED)

    with sent_on_commit():
        send_event_feedback()

    assert mail.outbox == []
