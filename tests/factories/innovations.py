"""Innovations for tests: records at each stage, criteria, sites and adoptions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from msknet.innovations.models import (
    DEFAULT_CRITERIA,
    Adoption,
    AdoptionChange,
    AdoptionStatus,
    Attachment,
    Criterion,
    EvidenceLink,
    EvidenceStrength,
    Innovation,
    InnovationMeasure,
    Kind,
    ScreeningPanel,
    Stage,
)
from msknet.members.models import ICB, Network, Organisation, OrganisationType

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def innovation(network: Network, *, name: str = "Spinal pathway",
               stage: str = Stage.PROPOSED, by: Any = None, **fields: Any) -> Innovation:
    """An innovation at `stage`, proposed by `by` (a member), reviewed."""
    defaults = {
        "kind": Kind.PATHWAY,
        "summary": f"{name}: a synthetic innovation for tests.",
        "problem": "People with back pain wait too long and see the wrong service.",
        "who_for": "Adults with low back pain referred from primary care.",
        "evidence_strength": EvidenceStrength.MODERATE,
        "stage_reason": "Not a fit with our priorities" if stage == Stage.NOT_TAKEN_FORWARD
        else "",
    }
    if stage in (Stage.RECOMMENDED, Stage.ON_HOLD, Stage.NOT_TAKEN_FORWARD):
        defaults["decided_at"] = timezone.now()
    defaults.update(fields)
    return Innovation.objects.create(
        network=network, name=name, stage=stage, proposed_by=by, created_by=by,
        updated_by=by, **defaults,
    )


def public_proposal(network: Network, *, name: str = "A visitor's idea") -> Innovation:
    """A proposal from the public form that no lead has reviewed yet."""
    return innovation(network, name=name, via_public_form=True,
                      proposer_name="Pat Visitor", proposer_email="pat@example.org")


def default_criteria(network: Network) -> list[Criterion]:
    return [
        Criterion.objects.get_or_create(
            network=network, name=name,
            defaults={"description": description, "position": position},
        )[0]
        for position, (name, description) in enumerate(DEFAULT_CRITERIA)
    ]


def site(network: Network, *, name: str = "", type: str = OrganisationType.NHS_TRUST,
         icb: ICB | None = None) -> Organisation:
    """An organisation in one of the network's ICBs (any ICB if it has none)."""
    icb = icb or network.icbs.order_by("ods_code").first() or ICB.objects.first()
    return Organisation.objects.create(
        name=name or f"{network.slug.title()} Community Healthcare Trust",
        type=type, icb=icb,
    )


def adoption(innovation: Innovation, site: Organisation, *,
             history: list[tuple[str, dt.date]], by: Any = None,
             contacts: list[Any] = ()) -> Adoption:
    """A site's adoption with its dated history, oldest first."""
    status, on = history[-1]
    record = Adoption.objects.create(innovation=innovation, site=site, status=status,
                                     status_on=on, created_by=by)
    record.contacts.set(contacts)
    previous = ""
    for status, on in history:
        AdoptionChange.objects.create(
            adoption=record, status_from=previous, status_to=status, on=on, by=by,
            reason="Funding ended" if status == AdoptionStatus.STOPPED else "",
        )
        previous = status
    return record


def innovations_objects(network: Network, users: dict[str, Any]) -> dict[str, int]:
    """For the role matrix: an innovation at each point of its life."""
    member, lead = users["member"], users["lead"]
    ScreeningPanel.objects.get_or_create(network=network)
    criteria = default_criteria(network)
    proposed = innovation(network, name="Matrix proposed innovation", by=member)
    screening = innovation(network, name="Matrix innovation in screening",
                           stage=Stage.SCREENING, by=member)
    recommended = innovation(network, name="Matrix recommended innovation",
                             stage=Stage.RECOMMENDED, by=member, decided_by=lead)
    pending = public_proposal(network, name="Matrix public proposal")
    evidence = EvidenceLink.objects.create(
        innovation=recommended, title="Matrix evaluation",
        url="https://example.org/evaluation", type="evaluation", added_by=member,
    )
    attachment = Attachment.objects.create(
        innovation=recommended, title="Matrix business case",
        file=ContentFile(PDF, name="case.pdf"), filename="case.pdf",
        content_type="application/pdf", size=len(PDF), uploaded_by=member,
    )
    measure = InnovationMeasure.objects.create(
        innovation=recommended, kind="process", improvement="increase",
        name="Share of referrals on the pathway",
        definition="Referrals on the pathway / all MSK back pain referrals",
        unit="%",
    )
    trust = site(network, name=f"Matrix trust ({network.slug})")
    adopted = adoption(
        recommended, trust, by=member, contacts=[member],
        history=[(AdoptionStatus.AWARE, dt.date(2026, 1, 5)),
                 (AdoptionStatus.PILOTING, dt.date(2026, 4, 1))],
    )
    return {
        "innovation": recommended.pk,
        "innovation-proposed": proposed.pk,
        "innovation-screening": screening.pk,
        "innovation-pending": pending.pk,
        "innovation-criterion": criteria[0].pk,
        "innovation-evidence": evidence.pk,
        "innovation-attachment": attachment.pk,
        "innovation-measure": measure.pk,
        "innovation-site": trust.pk,
        "adoption": adopted.pk,
    }
