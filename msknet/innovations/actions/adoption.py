"""Recording where each site is with an innovation, and spreading it as a QI project.

Every rule refuses with a `Refused` naming the field at fault, before anything
is written; who may record a site's status is the RECORD_ADOPTION object rule,
asked of the (possibly unsaved) adoption, and refused with PermissionDenied.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from msknet.communications.models import Kind
from msknet.communications.notify import notify
from msknet.improvement.actions.measures import add_measure
from msknet.improvement.actions.projects import start_project
from msknet.improvement.models import QIProject
from msknet.members.models import Organisation, User
from msknet.members.permissions import Permission, has_permission

from ..adoption_queries import eligible_sites
from ..models import (
    PATH,
    Adoption,
    AdoptionChange,
    AdoptionStatus,
    Innovation,
    InnovationsEvent,
)
from .common import Refused, record
from .stages import followers

SITE_MESSAGE = "Choose a site in one of the network's ICBs"


def adoption_url(adoption: Adoption) -> str:
    return reverse("innovation-adoption", kwargs={
        "network_slug": adoption.innovation.network.slug,
        "innovation_id": adoption.innovation_id, "adoption_id": adoption.pk,
    })


def is_backwards(status_from: str, status_to: str) -> bool:
    """Leaving "stopped", or moving back along the path."""
    if status_from == AdoptionStatus.STOPPED:
        return True
    if status_to == AdoptionStatus.STOPPED or not status_from:
        return False
    return PATH.index(AdoptionStatus(status_to)) < PATH.index(
        AdoptionStatus(status_from))


def check_change(*, status_from: str, status: str, on: dt.date, note: str,
                 reason: str, last_on: dt.date | None) -> None:
    """The rules for a site's next status, each refusing with the field at fault."""
    if status not in AdoptionStatus.values:
        raise Refused("Choose the site's status", field="status")
    if status == status_from:
        raise Refused(
            f"The site is already {AdoptionStatus(status).label.lower()}: "
            "choose a different status", field="status")
    if status == AdoptionStatus.STOPPED and not reason:
        raise Refused("Say why the site stopped", field="reason")
    if is_backwards(status_from, status) and not note:
        raise Refused(
            f"Add a note saying why the site went from "
            f"{AdoptionStatus(status_from).label.lower()} to "
            f"{AdoptionStatus(status).label.lower()}", field="note")
    if on > timezone.localdate():
        raise Refused("The date cannot be in the future", field="on")
    if last_on is not None and on < last_on:
        raise Refused(f"The date must be on or after the site's last change, "
                      f"{last_on:%-d %B %Y}", field="on")


def _tell_followers(adoption_pk: int, change_pk: int) -> None:
    adoption = Adoption.objects.select_related("innovation__network", "site").get(
        pk=adoption_pk)
    change = AdoptionChange.objects.get(pk=change_pk)
    innovation = adoption.innovation
    notify(
        kind=Kind.INNOVATION_ADOPTION,
        recipients=[u for u in followers(innovation) if u.pk != change.by_id],
        network=innovation.network,
        key=f"innovation-adoption-{change.pk}",
        title=f"{innovation.name}: {adoption.site.name} is "
              f"{change.get_status_to_display().lower()}",
        url=adoption_url(adoption),
        body=change.reason or change.note,
    )


def _write_change(adoption: Adoption, *, by: Any, status: str, on: dt.date,
                  note: str, reason: str, status_from: str) -> AdoptionChange:
    change = AdoptionChange.objects.create(
        adoption=adoption, status_from=status_from, status_to=status, on=on,
        note=note, reason=reason, by=by if getattr(by, "pk", None) else None,
    )
    adoption.status = status
    adoption.status_on = on
    adoption.save(update_fields=["status", "status_on", "updated_at"])
    innovation = adoption.innovation
    record(InnovationsEvent.ADOPTION_RECORDED, target=adoption, by=by,
           network=innovation.network, site=adoption.site_id,
           status_from=status_from, status_to=status, on=on.isoformat())
    transaction.on_commit(partial(_tell_followers, adoption.pk, change.pk))
    return change


def _check_contacts(innovation: Innovation, contacts: Iterable[User]) -> list[User]:
    contacts = list(contacts)
    members = set(innovation.network.memberships.active().filter(
        user__in=contacts).values_list("user_id", flat=True))
    if any(user.pk not in members for user in contacts):
        raise Refused("Choose contacts who are members of the network",
                      field="contacts")
    return contacts


@transaction.atomic
def record_adoption(*, innovation: Innovation, site: Organisation | int | None,
                    by: Any, status: str, on: dt.date, note: str = "",
                    reason: str = "", contacts: Iterable[User] = ()
                    ) -> AdoptionChange:
    """Record a site's status for the innovation: its first record, or its
    next change when the site already has one."""
    site_id = site.pk if isinstance(site, Organisation) else site
    found = eligible_sites(innovation.network).filter(pk=site_id).first() \
        if site_id is not None else None
    if found is None:
        raise Refused(SITE_MESSAGE, field="site")
    existing = (Adoption.objects.select_for_update()
                .filter(innovation=innovation, site=found).first())
    if existing is not None:
        existing.innovation = innovation
        return change_adoption(adoption=existing, by=by, status=status, on=on,
                               note=note, reason=reason)
    adoption = Adoption(innovation=innovation, site=found)
    if not has_permission(by, Permission.RECORD_ADOPTION, innovation.network,
                          adoption):
        raise PermissionDenied(Permission.RECORD_ADOPTION)
    note, reason = note.strip(), reason.strip()
    check_change(status_from="", status=status, on=on, note=note, reason=reason,
                 last_on=None)
    contacts = _check_contacts(innovation, contacts)
    adoption.status, adoption.status_on = status, on
    adoption.created_by = by if getattr(by, "pk", None) else None
    adoption.save()
    adoption.contacts.set(contacts)
    return _write_change(adoption, by=by, status=status, on=on, note=note,
                         reason=reason, status_from="")


@transaction.atomic
def change_adoption(*, adoption: Adoption, by: Any, status: str, on: dt.date,
                    note: str = "", reason: str = "") -> AdoptionChange:
    """Record the site's next status, dated, with a note and any reason."""
    if not has_permission(by, Permission.RECORD_ADOPTION,
                          adoption.innovation.network, adoption):
        raise PermissionDenied(Permission.RECORD_ADOPTION)
    adoption = Adoption.objects.select_for_update().select_related(
        "innovation__network", "site").get(pk=adoption.pk)
    note, reason = note.strip(), reason.strip()
    last = adoption.changes.order_by("-on", "-at", "-pk").first()
    check_change(status_from=adoption.status, status=status, on=on, note=note,
                 reason=reason, last_on=last.on if last else adoption.status_on)
    return _write_change(adoption, by=by, status=status, on=on, note=note,
                         reason=reason, status_from=adoption.status)


# Spread projects.


def spread_title(adoption: Adoption) -> str:
    return f"Spread {adoption.innovation.name} to {adoption.site.name}"[:200]


def spread_aim(adoption: Adoption) -> str:
    """A starting aim the team makes SMART."""
    return (f"{adoption.site.name} uses {adoption.innovation.name} as normal "
            f"practice within 12 months, showing improvement on the measures "
            f"every site uses.")


def spread_team(adoption: Adoption) -> list[User]:
    """The site's contacts who are still members of the network."""
    network = adoption.innovation.network
    members = network.memberships.active().values("user_id")
    return list(adoption.contacts.filter(pk__in=members).order_by("full_name", "pk"))


@transaction.atomic
def start_spread_project(*, adoption: Adoption, by: User, aim: str = "") -> QIProject:
    """Start a QI project spreading the innovation to the site, with the
    innovation's measures, so every site measures alike."""
    # Lock the adoption only: its site's ICB may be empty (an outer join,
    # which PostgreSQL will not lock).
    adoption = Adoption.objects.select_for_update(of=("self",)).select_related(
        "innovation__network", "site__icb").get(pk=adoption.pk)
    if adoption.project_id is not None:
        raise Refused("This site already has a spread project")
    innovation = adoption.innovation
    aim = aim.strip() or spread_aim(adoption)
    project = start_project(
        network=innovation.network, by=by, title=spread_title(adoption), aim=aim,
        problem=innovation.problem,
        icbs=[adoption.site.icb] if adoption.site.icb else [],
        team=[u for u in spread_team(adoption) if u.pk != by.pk],
        serves=innovation.serves.filter(retired_at__isnull=True),
    )
    for measure in innovation.measures.all():
        add_measure(project=project, by=by, kind=measure.kind, name=measure.name,
                    definition=measure.definition, unit=measure.unit,
                    improvement=measure.improvement)
    adoption.project = project
    adoption.save(update_fields=["project", "updated_at"])
    record(InnovationsEvent.SPREAD_PROJECT_STARTED, target=adoption, by=by,
           network=innovation.network, project=project.pk, site=adoption.site_id)
    return project
