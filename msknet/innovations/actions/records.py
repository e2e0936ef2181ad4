"""Writes for the innovation record: proposing, the public form and its review,
changes, evidence, files, measures, triage moves and following.

Each takes keyword-only arguments and `by=`, runs in one transaction, records
an audit event and leaves notifications until it commits. Refusals raise
`Refused`, naming the field at fault, and write nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from msknet.communications.models import Kind as NotificationKind
from msknet.communications.notify import notify
from msknet.community.uploads import UploadRefused, file_type
from msknet.members import ratelimits
from msknet.members.models import Network
from msknet.members.notifications import members_who_may
from msknet.members.permissions import Permission
from msknet.priorities.models import StrategicPriority
from msknet.priorities.strategic_actions import NotThisNetworks, checked_serves

from ..models import (
    Attachment,
    EvidenceLink,
    Follow,
    Innovation,
    InnovationMeasure,
    InnovationsEvent,
    Stage,
    StageChange,
)
from .common import Refused, record
from .stages import move_to_stage

#: What a member may set on the record (the proposer's details come from the
#: public form; stage and decision fields move through triage only).
RECORD_FIELDS = (
    "name", "kind", "summary", "problem", "who_for", "description",
    "evidence_summary", "evidence_strength", "nice_status", "nice_reference",
    "dtac_status", "marking", "dcb0129_status", "dcb0160_status", "cost",
    "resources_needed", "owner", "contacts",
)
#: Proposals one client may send through the public form in an hour.
SUGGESTIONS_PER_CLIENT_PER_HOUR = 5
HOUR = 60 * 60


class TooManySuggestions(Refused):
    """The client has sent as many proposals as the hour allows."""


def _check_serves(network: Network, serves: Iterable[StrategicPriority],
                  already: Iterable[StrategicPriority] = ()) -> list[StrategicPriority]:
    """`strategic_actions.checked_serves`, refused as this app refuses."""
    try:
        return checked_serves(network, serves, already=already)
    except NotThisNetworks as error:
        raise Refused(str(error), field="serves") from error


def _check_name(network: Network, name: str, *, exclude: int | None = None) -> str:
    name = name.strip()
    if not name:
        raise Refused("Enter the innovation's name", field="name")
    taken = Innovation.objects.filter(network=network, name__iexact=name)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise Refused("The network already has an innovation with this name",
                      field="name")
    return name


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    return {name: value.strip() if isinstance(value, str) else value
            for name, value in fields.items() if name in RECORD_FIELDS}


def _tell_leads(innovation_pk: int) -> None:
    innovation = Innovation.objects.select_related("network").get(pk=innovation_pk)
    network = innovation.network
    if innovation.awaiting_review:
        url = reverse("innovation-review", kwargs={"network_slug": network.slug})
        body = ("Sent through the public form. Review it before anyone else "
                "can see it.")
    else:
        url = innovation.get_absolute_url()
        body = innovation.summary
    notify(
        kind=NotificationKind.INNOVATION_PROPOSED,
        recipients=[u for u in members_who_may(network, Permission.MANAGE_INNOVATIONS)
                    if u.pk != innovation.proposed_by_id],
        network=network,
        key=f"innovation-proposed-{innovation.pk}",
        title=f"Innovation proposed: {innovation.name}",
        url=url,
        body=body,
    )


def _first_stage(innovation: Innovation, by: Any) -> None:
    StageChange.objects.create(
        innovation=innovation, stage_from="", stage_to=innovation.stage,
        by=by if getattr(by, "pk", None) else None,
    )


@transaction.atomic
def propose(*, network: Network, by: Any, serves: Iterable[StrategicPriority] = (),
            **fields: Any) -> Innovation:
    """A member's proposal: proposed, followed by its proposer, leads told."""
    fields = _clean(fields)
    fields["name"] = _check_name(network, fields.get("name", ""))
    serves = _check_serves(network, serves)
    innovation = Innovation.objects.create(
        network=network, proposed_by=by, created_by=by, updated_by=by,
        stage=Stage.PROPOSED, **fields,
    )
    innovation.serves.set(serves)
    _first_stage(innovation, by)
    Follow.objects.create(innovation=innovation, user=by)
    record(InnovationsEvent.PROPOSED, target=innovation, by=by, network=network,
           name=innovation.name)
    transaction.on_commit(partial(_tell_leads, innovation.pk))
    return innovation


@transaction.atomic
def suggest(*, network: Network, client: str, name: str, kind: str, summary: str,
            problem: str, who_for: str, evidence: str = "", proposer_name: str,
            proposer_email: str, proposer_organisation: str = "") -> Innovation:
    """A proposal through the public form, hidden from all but leads until one
    reviews it. Raises TooManySuggestions past the client's hourly limit."""
    if not ratelimits.allow("innovation-suggest", f"{network.pk}:{client}",
                            limit=SUGGESTIONS_PER_CLIENT_PER_HOUR,
                            window_seconds=HOUR):
        raise TooManySuggestions(
            "You have sent as many proposals as we accept in an hour. Try again "
            "in an hour.")
    innovation = Innovation.objects.create(
        network=network, name=_check_name(network, name), kind=kind,
        summary=summary.strip(), problem=problem.strip(), who_for=who_for.strip(),
        evidence_summary=evidence.strip(), via_public_form=True,
        proposer_name=proposer_name.strip(), proposer_email=proposer_email.strip(),
        proposer_organisation=proposer_organisation.strip(),
    )
    record(InnovationsEvent.PROPOSED, target=innovation, by=None, network=network,
           name=innovation.name, via_public_form=True)
    transaction.on_commit(partial(_tell_leads, innovation.pk))
    return innovation


@transaction.atomic
def accept_proposal(*, innovation: Innovation, by: Any) -> Innovation:
    """A lead accepts a public proposal: it becomes a normal proposed innovation."""
    innovation = Innovation.objects.select_for_update().get(pk=innovation.pk)
    if not innovation.awaiting_review:
        raise Refused("This proposal has already been reviewed")
    innovation.reviewed_at = timezone.now()
    innovation.reviewed_by = by
    innovation.updated_by = by
    innovation.save()
    _first_stage(innovation, by)
    record(InnovationsEvent.REVIEWED, target=innovation, by=by,
           network=innovation.network, name=innovation.name, outcome="accepted")
    return innovation


@transaction.atomic
def turn_away_proposal(*, innovation: Innovation, by: Any, reason: str) -> None:
    """A lead turns a public proposal away: it is deleted, and the audit trail
    keeps its name and why, never the visitor's email address."""
    reason = reason.strip()
    if not reason:
        raise Refused("Say why you are turning it away", field="reason")
    innovation = Innovation.objects.select_for_update().get(pk=innovation.pk)
    if not innovation.awaiting_review:
        raise Refused("This proposal has already been reviewed")
    record(InnovationsEvent.REVIEWED, target=innovation, by=by,
           network=innovation.network, name=innovation.name, outcome="turned away",
           reason=reason)
    innovation.delete()


@transaction.atomic
def update_innovation(*, innovation: Innovation, by: Any,
                      serves: Iterable[StrategicPriority] | None = None,
                      **fields: Any) -> Innovation:
    """Change the record; the audit event names the fields that changed."""
    innovation = Innovation.objects.select_for_update().get(pk=innovation.pk)
    network = innovation.network
    fields = _clean(fields)
    if "name" in fields:
        fields["name"] = _check_name(network, fields["name"], exclude=innovation.pk)
    changed = [name for name, value in fields.items()
               if getattr(innovation, name) != value]
    for name in changed:
        setattr(innovation, name, fields[name])
    if serves is not None:
        already = list(innovation.serves.all())
        serves = _check_serves(network, serves, already=already)
        if set(already) != set(serves):
            innovation.serves.set(serves)
            changed.append("serves")
    innovation.updated_by = by
    innovation.save()
    record(InnovationsEvent.UPDATED, target=innovation, by=by, network=network,
           changed=changed)
    return innovation


@transaction.atomic
def change_stage(*, innovation: Innovation, by: Any, stage: str,
                 reason: str = "") -> StageChange:
    """Move it through triage, but never out of screening: that is the
    decision, which the screening part records against its meeting."""
    if innovation.stage == Stage.SCREENING:
        raise Refused("Record the decision on a screened innovation on its "
                      "decision page, with the meeting that made it", field="stage")
    return move_to_stage(innovation=innovation, by=by, stage=stage, reason=reason)


@transaction.atomic
def add_evidence(*, innovation: Innovation, by: Any, title: str, url: str,
                 type: str, published_on: Any = None) -> EvidenceLink:
    evidence = EvidenceLink.objects.create(
        innovation=innovation, title=title.strip(), url=url, type=type,
        published_on=published_on, added_by=by,
    )
    record(InnovationsEvent.EVIDENCE_CHANGED, target=innovation, by=by,
           network=innovation.network, added=evidence.title)
    return evidence


@transaction.atomic
def remove_evidence(*, evidence: EvidenceLink, by: Any) -> None:
    innovation = evidence.innovation
    record(InnovationsEvent.EVIDENCE_CHANGED, target=innovation, by=by,
           network=innovation.network, removed=evidence.title)
    evidence.delete()


@transaction.atomic
def add_attachment(*, innovation: Innovation, by: Any, title: str,
                   upload: Any) -> Attachment:
    """Attach a document, checked as the resource library checks: extension
    and content must agree, and it must be small enough."""
    try:
        checked = file_type(upload.name, upload, upload.size)
    except UploadRefused as refused:
        raise Refused(str(refused), field="file") from None
    attachment = Attachment(
        innovation=innovation, title=title.strip(), filename=upload.name[:200],
        content_type=checked.content_type, size=upload.size, uploaded_by=by,
    )
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    record(InnovationsEvent.ATTACHMENT_CHANGED, target=innovation, by=by,
           network=innovation.network, added=attachment.title)
    return attachment


@transaction.atomic
def remove_attachment(*, attachment: Attachment, by: Any) -> None:
    innovation = attachment.innovation
    record(InnovationsEvent.ATTACHMENT_CHANGED, target=innovation, by=by,
           network=innovation.network, removed=attachment.title)
    stored, storage = attachment.file.name, attachment.file.storage
    attachment.delete()
    if stored:
        transaction.on_commit(partial(storage.delete, stored))


def _next_position(innovation: Innovation) -> int:
    last = innovation.measures.aggregate(last=Max("position"))["last"]
    return 0 if last is None else last + 1


def _check_measure_name(innovation: Innovation, name: str,
                        exclude: int | None = None) -> str:
    name = name.strip()
    taken = innovation.measures.filter(name__iexact=name)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise Refused("This innovation already has a measure with this name",
                      field="name")
    return name


MEASURE_FIELDS = ("kind", "name", "definition", "unit", "improvement")


@transaction.atomic
def add_measure(*, innovation: Innovation, by: Any, **fields: Any) -> InnovationMeasure:
    fields = {k: v.strip() if isinstance(v, str) else v
              for k, v in fields.items() if k in MEASURE_FIELDS}
    fields["name"] = _check_measure_name(innovation, fields["name"])
    measure = InnovationMeasure.objects.create(
        innovation=innovation, position=_next_position(innovation), **fields)
    record(InnovationsEvent.MEASURES_CHANGED, target=innovation, by=by,
           network=innovation.network, added=measure.name)
    return measure


@transaction.atomic
def update_measure(*, measure: InnovationMeasure, by: Any,
                   **fields: Any) -> InnovationMeasure:
    innovation = measure.innovation
    fields = {k: v.strip() if isinstance(v, str) else v
              for k, v in fields.items() if k in MEASURE_FIELDS}
    if "name" in fields:
        fields["name"] = _check_measure_name(innovation, fields["name"],
                                             exclude=measure.pk)
    for name, value in fields.items():
        setattr(measure, name, value)
    measure.save()
    record(InnovationsEvent.MEASURES_CHANGED, target=innovation, by=by,
           network=innovation.network, changed=measure.name)
    return measure


@transaction.atomic
def remove_measure(*, measure: InnovationMeasure, by: Any) -> None:
    innovation = measure.innovation
    record(InnovationsEvent.MEASURES_CHANGED, target=innovation, by=by,
           network=innovation.network, removed=measure.name)
    measure.delete()


@transaction.atomic
def follow(*, innovation: Innovation, by: Any) -> bool:
    """Follow it; whether this started a follow (False if already following)."""
    _, created = Follow.objects.get_or_create(innovation=innovation, user=by)
    return created


@transaction.atomic
def unfollow(*, innovation: Innovation, by: Any) -> bool:
    deleted, _ = Follow.objects.filter(innovation=innovation, user=by).delete()
    return bool(deleted)
