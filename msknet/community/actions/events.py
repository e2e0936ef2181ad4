"""Arranging events, registering and cancelling, the waiting list, attendance.

Every change to who holds a place locks the event's row first
(`select_for_update`: a row lock on PostgreSQL; on SQLite, where the site
opens write transactions IMMEDIATE, the database's write lock), so two people
can never take the last place and the waiting list keeps its order.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from msknet.core import audit, emails
from msknet.members.models import Network, User

from ..models import (
    Attendance,
    CommunityAudit,
    Event,
    EventMaterial,
    Registration,
    RegistrationStatus,
)
from ..uploads import file_type

REMINDER_WINDOW = timedelta(hours=24)
EVENT_FIELDS = (
    "title", "kind", "description", "starts_at", "ends_at", "place", "online_url",
    "capacity", "visibility", "organiser",
)


class RegistrationRefused(Exception):
    """The registration cannot be made or changed; the message says why."""


def email_context(registration: Registration) -> dict[str, Any]:
    event = registration.event
    args = [event.network.slug, event.pk]
    return {
        "event": event,
        "network": event.network,
        "registration": registration,
        "position": registration.waiting_position(),
        "event_url": reverse("event-detail", args=args),
        "invite_url": reverse("event-invite", args=args),
    }


def send_email(name: str, registration: Registration) -> None:
    """After commit: the registrant is emailed about their place."""
    context = email_context(registration)
    transaction.on_commit(
        partial(emails.send_templated, f"community/email/{name}",
                to=registration.user.email, context=context)
    )


def locked(event: Event) -> Event:
    return (
        Event.objects.select_for_update(of=("self",))
        .select_related("network")
        .get(pk=event.pk)
    )


def places_taken(event: Event) -> int:
    return event.registrations.filter(status=RegistrationStatus.REGISTERED).count()


def has_free_place(event: Event) -> bool:
    return event.capacity is None or places_taken(event) < event.capacity


@transaction.atomic
def create_event(*, network: Network, by: User, **fields: Any) -> Event:
    fields.setdefault("organiser", by)
    now = timezone.now()
    event = Event.objects.create(
        network=network, created_by=by, updated_by=by, created_at=now, updated_at=now,
        **{name: value for name, value in fields.items() if name in EVENT_FIELDS},
    )
    audit.record(CommunityAudit.EVENT_CREATED, target=event, by=by, network=network)
    return event


@transaction.atomic
def update_event(*, event: Event, by: User, **fields: Any) -> Event:
    """Change an event; more places (or none to count) go to those waiting."""
    event = locked(event)
    changed = sorted(
        name for name, value in fields.items()
        if name in EVENT_FIELDS and getattr(event, name) != value
    )
    for name in changed:
        setattr(event, name, fields[name])
    if changed:
        event.sequence += 1
        event.updated_at = timezone.now()
        event.updated_by = by
        event.save()
        audit.record(CommunityAudit.EVENT_UPDATED, target=event, by=by,
                     network=event.network, fields=changed)
        fill_places(event, by=by)
    return event


@transaction.atomic
def register(*, event: Event, by: User) -> Registration:
    """A place if one is free, else the end of the waiting list.

    Registering again while registered or waiting changes nothing; after
    cancelling, one joins the queue afresh.
    """
    event = locked(event)
    now = timezone.now()
    if event.has_started(now):
        raise RegistrationRefused("This event has started, so registration has closed.")
    registration = Registration.objects.filter(event=event, user=by).first()
    if registration is not None and registration.status != RegistrationStatus.CANCELLED:
        return registration
    place = has_free_place(event) and not event.registrations.filter(
        status=RegistrationStatus.WAITING
    ).exists()
    values = {
        "status": RegistrationStatus.REGISTERED if place else RegistrationStatus.WAITING,
        "queued_at": now,
        "registered_at": now if place else None,
        "promoted_at": None,
        "cancelled_at": None,
        "attendance": Attendance.NOT_RECORDED,
        "attendance_recorded_at": None,
        "attendance_recorded_by": None,
        "reminder_sent_at": None,
    }
    try:
        with transaction.atomic():
            registration, _ = Registration.objects.update_or_create(
                event=event, user=by, defaults=values
            )
    except IntegrityError as exc:  # the same person, twice at once
        raise RegistrationRefused("You are already registered for this event.") from exc
    registration.event = event
    audit.record(
        CommunityAudit.EVENT_REGISTERED if place else CommunityAudit.EVENT_WAITLISTED,
        target=registration, by=by, network=event.network, event=event.pk,
    )
    send_email("registered" if place else "waiting", registration)
    return registration


@transaction.atomic
def cancel_registration(*, registration: Registration, by: User) -> Registration:
    """Give up a place (or leave the waiting list); the first waiting takes it."""
    event = locked(registration.event)
    registration = Registration.objects.select_related("user").get(pk=registration.pk)
    if registration.status == RegistrationStatus.CANCELLED:
        raise RegistrationRefused("This registration is already cancelled.")
    if event.has_started():
        raise RegistrationRefused("This event has started, so places can no longer "
                                  "be cancelled.")
    previous = registration.status
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    registration.event = event
    audit.record(CommunityAudit.EVENT_CANCELLED_PLACE, target=registration, by=by,
                 network=event.network, event=event.pk, was=previous)
    fill_places(event, by=by)
    return registration


def fill_places(event: Event, *, by: User | None) -> list[Registration]:
    """Give free places to those waiting, first in line first; email each.

    Call with the event's row locked.
    """
    promoted = []
    now = timezone.now()
    if event.has_started(now):
        return promoted
    waiting = event.registrations.filter(status=RegistrationStatus.WAITING).order_by(
        "queued_at", "pk"
    ).select_related("user")
    if event.capacity is not None:
        waiting = waiting[: max(event.capacity - places_taken(event), 0)]
    for registration in waiting:
        registration.status = RegistrationStatus.REGISTERED
        registration.registered_at = now
        registration.promoted_at = now
        registration.save(update_fields=["status", "registered_at", "promoted_at"])
        registration.event = event
        audit.record(CommunityAudit.EVENT_PROMOTED, target=registration, by=by,
                     network=event.network, event=event.pk)
        send_email("promoted", registration)
        promoted.append(registration)
    return promoted


@transaction.atomic
def record_attendance(
    *, event: Event, by: User, attendance: Mapping[int, str]
) -> int:
    """Record who came, by registration id; only for those who held a place."""
    event = locked(event)
    if not event.has_started():
        raise RegistrationRefused("Attendance can be recorded once the event has started.")
    now = timezone.now()
    changed = 0
    registrations = event.registrations.filter(
        status=RegistrationStatus.REGISTERED, pk__in=list(attendance)
    )
    for registration in registrations:
        value = attendance[registration.pk]
        if value == registration.attendance or value not in Attendance.values:
            continue
        registration.attendance = value
        registration.attendance_recorded_at = now
        registration.attendance_recorded_by = by
        registration.save(update_fields=[
            "attendance", "attendance_recorded_at", "attendance_recorded_by"
        ])
        changed += 1
    if changed:
        audit.record(CommunityAudit.EVENT_ATTENDANCE_RECORDED, target=event, by=by,
                     network=event.network, changed=changed)
    return changed


@transaction.atomic
def add_material(
    *, event: Event, by: User, kind: str, title: str, url: str = "", upload: Any = None
) -> EventMaterial:
    """Attach slides, a recording or notes: a checked file or a link."""
    material = EventMaterial(event=event, kind=kind, title=title.strip(), url=url,
                             created_by=by)
    if upload is not None:
        checked = file_type(upload.name, upload, upload.size)
        material.file_name = upload.name[:200]
        material.content_type = checked.content_type
        material.file_size = upload.size
        material.file.save(upload.name, upload, save=False)
    material.save()
    audit.record(CommunityAudit.EVENT_MATERIAL_ADDED, target=material, by=by,
                 network=event.network, event=event.pk)
    return material


@transaction.atomic
def remove_material(*, material: EventMaterial, by: User) -> None:
    event = material.event
    audit.record(CommunityAudit.EVENT_MATERIAL_REMOVED, target=material, by=by,
                 network=event.network, event=event.pk, title=material.title)
    stored = material.file.name if material.file else ""
    storage = material.file.storage
    material.delete()
    if stored:
        transaction.on_commit(partial(storage.delete, stored))


def send_reminders(*, now: datetime | None = None) -> int:
    """Email everyone with a place at an event starting within 24 hours, once.

    Each reminder is recorded as sent in the same transaction that queues its
    email, so running this again (or twice at once) never sends it twice.
    """
    now = now or timezone.now()
    due = Registration.objects.filter(
        status=RegistrationStatus.REGISTERED,
        reminder_sent_at__isnull=True,
        event__starts_at__gt=now,
        event__starts_at__lte=now + REMINDER_WINDOW,
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(due):
        with transaction.atomic():
            registration = (
                Registration.objects.select_for_update()
                .select_related("event", "event__network", "user")
                .filter(pk=pk, reminder_sent_at__isnull=True,
                        status=RegistrationStatus.REGISTERED)
                .first()
            )
            if registration is None:
                continue
            registration.reminder_sent_at = now
            registration.save(update_fields=["reminder_sent_at"])
            audit.record(CommunityAudit.EVENT_REMINDER_SENT, target=registration,
                         network=registration.event.network,
                         event=registration.event_id)
            send_email("reminder", registration)
            sent += 1
    return sent
