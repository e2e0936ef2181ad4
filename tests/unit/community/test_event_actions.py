from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from msknet.community.actions import events as actions
from msknet.community.models import (
    Attendance,
    CommunityAudit,
    Registration,
    RegistrationStatus,
)
from msknet.core.models import AuditEvent
from msknet.members.models import Role
from tests.factories.community import EventFactory, in_days
from tests.factories.memberships import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(network):
    return [MembershipFactory(network=network, role=Role.MEMBER).user for _ in range(4)]


@pytest.fixture
def full_event(network, people):
    """Two places, both taken; the third person is waiting."""
    event = EventFactory(network=network, capacity=2)
    for person in people[:3]:
        actions.register(event=event, by=person)
    return event


def test_register_gives_a_place_and_emails_an_invite_link(network, member, sent_on_commit):
    event = EventFactory(network=network, capacity=10, title="Back pain event")

    with sent_on_commit():
        registration = actions.register(event=event, by=member)

    assert registration.status == RegistrationStatus.REGISTERED
    (email,) = mail.outbox
    assert email.to == [member.email]
    assert email.subject == "You are registered: Back pain event"
    assert f"/n/{network.slug}/events/{event.pk}/invite.ics" in email.body
    assert AuditEvent.objects.get().type == CommunityAudit.EVENT_REGISTERED


def test_full_event_puts_people_on_the_waiting_list_in_order(full_event, people,
                                                             sent_on_commit):
    with sent_on_commit():
        fourth = actions.register(event=full_event, by=people[3])

    third = Registration.objects.get(event=full_event, user=people[2])
    assert third.status == RegistrationStatus.WAITING
    assert third.waiting_position() == 1
    assert fourth.waiting_position() == 2
    assert "number 2 on the waiting list" in mail.outbox[-1].body
    assert Registration.objects.filter(
        event=full_event, status=RegistrationStatus.REGISTERED
    ).count() == 2


def test_registering_twice_changes_nothing(full_event, people):
    again = actions.register(event=full_event, by=people[2])

    assert again.status == RegistrationStatus.WAITING
    assert again.waiting_position() == 1
    assert Registration.objects.filter(event=full_event).count() == 3


def test_cancelling_a_place_promotes_the_first_waiting_and_emails_them(
    full_event, people, sent_on_commit
):
    actions.register(event=full_event, by=people[3])
    place = Registration.objects.get(event=full_event, user=people[0])

    with sent_on_commit():
        actions.cancel_registration(registration=place, by=people[0])

    promoted = Registration.objects.get(event=full_event, user=people[2])
    still_waiting = Registration.objects.get(event=full_event, user=people[3])
    assert promoted.status == RegistrationStatus.REGISTERED
    assert promoted.promoted_at is not None
    assert still_waiting.waiting_position() == 1
    (email,) = mail.outbox
    assert email.to == [people[2].email]
    assert email.subject.startswith("A place came free")
    assert list(AuditEvent.objects.order_by("pk").values_list("type", flat=True))[-2:] == [
        CommunityAudit.EVENT_CANCELLED_PLACE, CommunityAudit.EVENT_PROMOTED,
    ]


def test_leaving_the_waiting_list_promotes_nobody(full_event, people, sent_on_commit):
    waiting = Registration.objects.get(event=full_event, user=people[2])

    with sent_on_commit():
        actions.cancel_registration(registration=waiting, by=people[2])

    assert mail.outbox == []
    assert Registration.objects.filter(
        event=full_event, status=RegistrationStatus.REGISTERED
    ).count() == 2


def test_registering_again_after_cancelling_joins_the_back_of_the_queue(
    full_event, people
):
    actions.register(event=full_event, by=people[3])
    mine = Registration.objects.get(event=full_event, user=people[2])
    actions.cancel_registration(registration=mine, by=people[2])

    again = actions.register(event=full_event, by=people[2])

    assert again.pk == mine.pk
    assert again.waiting_position() == 2


def test_a_free_place_is_not_taken_ahead_of_those_waiting(full_event, people):
    # Capacity lowered below the places held: nobody new gets a place, and the
    # queue keeps its order.
    actions.update_event(event=full_event, by=people[0], capacity=1)

    late = actions.register(event=full_event, by=people[3])

    assert late.status == RegistrationStatus.WAITING
    assert late.waiting_position() == 2


def test_more_places_go_to_those_waiting(full_event, people, lead, sent_on_commit):
    actions.register(event=full_event, by=people[3])

    with sent_on_commit():
        event = actions.update_event(event=full_event, by=lead, capacity=3)

    assert event.sequence == 1
    assert Registration.objects.get(user=people[2], event=event).is_registered
    assert Registration.objects.get(user=people[3], event=event).is_waiting
    assert [m.to for m in mail.outbox] == [[people[2].email]]


def test_no_limit_gives_everyone_waiting_a_place(full_event, people, lead):
    actions.update_event(event=full_event, by=lead, capacity=None)

    assert not Registration.objects.filter(status=RegistrationStatus.WAITING).exists()


def test_update_with_no_change_records_nothing(full_event, lead):
    before = AuditEvent.objects.count()

    event = actions.update_event(event=full_event, by=lead, title=full_event.title)

    assert event.sequence == 0
    assert AuditEvent.objects.count() == before


def test_registration_closes_when_the_event_starts(network, member):
    event = EventFactory(network=network, starts_at=timezone.now() - timedelta(minutes=5))

    with pytest.raises(actions.RegistrationRefused, match="registration has closed"):
        actions.register(event=event, by=member)


def test_cancelling_twice_is_refused(network, member):
    event = EventFactory(network=network)
    registration = actions.register(event=event, by=member)
    actions.cancel_registration(registration=registration, by=member)

    with pytest.raises(actions.RegistrationRefused, match="already cancelled"):
        actions.cancel_registration(registration=registration, by=member)


def test_attendance_is_recorded_for_those_with_places_after_the_start(
    network, people, lead
):
    event = EventFactory(network=network, capacity=1, starts_at=in_days(1))
    came = actions.register(event=event, by=people[0])
    waiting = actions.register(event=event, by=people[1])
    event.starts_at, event.ends_at = in_days(-2), in_days(-2) + timedelta(hours=2)
    event.save()

    changed = actions.record_attendance(
        event=event, by=lead,
        attendance={came.pk: Attendance.ATTENDED, waiting.pk: Attendance.ATTENDED},
    )

    came.refresh_from_db()
    waiting.refresh_from_db()
    assert changed == 1
    assert came.attendance == Attendance.ATTENDED
    assert came.attendance_recorded_by == lead
    assert waiting.attendance == Attendance.NOT_RECORDED
    assert AuditEvent.objects.filter(
        type=CommunityAudit.EVENT_ATTENDANCE_RECORDED
    ).count() == 1


def test_attendance_cannot_be_recorded_before_the_event(network, member, lead):
    event = EventFactory(network=network)
    registration = actions.register(event=event, by=member)

    with pytest.raises(actions.RegistrationRefused, match="once the event has started"):
        actions.record_attendance(event=event, by=lead,
                                  attendance={registration.pk: Attendance.ATTENDED})


def test_reminders_go_once_to_those_with_places_in_the_next_day(
    network, people, sent_on_commit
):
    soon = EventFactory(network=network, capacity=1,
                        starts_at=timezone.now() + timedelta(hours=5))
    later = EventFactory(network=network, starts_at=timezone.now() + timedelta(days=3))
    actions.register(event=soon, by=people[0])
    actions.register(event=soon, by=people[1])  # waiting: no reminder
    actions.register(event=later, by=people[2])

    with sent_on_commit():
        first = actions.send_reminders()
    with sent_on_commit():
        second = actions.send_reminders()

    assert (first, second) == (1, 0)
    (email,) = mail.outbox
    assert email.to == [people[0].email]
    assert email.subject.startswith(f"Reminder: {soon.title}")
    assert Registration.objects.get(user=people[0]).reminder_sent_at is not None


def test_create_event_makes_the_creator_organiser_and_records_it(network, lead):
    event = actions.create_event(
        network=network, by=lead, title="Webinar: NICE NG193", kind="webinar",
        description="Chronic pain guidance in practice.", starts_at=in_days(20),
        ends_at=in_days(20) + timedelta(hours=1), online_url="https://meet.example.org/x",
        visibility="public",
    )

    assert event.organiser == lead
    assert AuditEvent.objects.get().type == CommunityAudit.EVENT_CREATED
