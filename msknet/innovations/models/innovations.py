"""The innovation record: what it is, its evidence and assurance, and its triage."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from msknet.improvement.models import Direction, MeasureKind
from msknet.members.models import Network


class Kind(models.TextChoices):
    PATHWAY = "pathway", "Pathway or model of care"
    """A way of organising care: a referral pathway, a service model."""
    DIGITAL = "digital", "Digital product"
    """An app, platform or other software used in care or self-management."""
    MEDICINE_DEVICE = "medicine_device", "Medicine or device"
    """A medicine, medical device or piece of equipment."""
    WORKFORCE = "workforce", "Workforce model"
    """A new role, skill mix or way of deploying staff."""
    SELF_MANAGEMENT = "self_management", "Self-management or community offer"
    """Support people use themselves or in their community."""


class Stage(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    """Someone has found it and told the network."""
    SCREENING = "screening", "Screening"
    """The panel is scoring it on the network's criteria."""
    RECOMMENDED = "recommended", "Recommended for spread"
    """The lead recommended it: it is in the public catalogue."""
    ON_HOLD = "on_hold", "On hold"
    """Not now: waiting for evidence, funding or capacity."""
    NOT_TAKEN_FORWARD = "not_taken_forward", "Not taken forward"
    """The network decided not to spread it, and said why."""


#: Stages that end screening: the lead's decision.
DECISION_STAGES = (Stage.RECOMMENDED, Stage.ON_HOLD, Stage.NOT_TAKEN_FORWARD)


class EvidenceStrength(models.TextChoices):
    STRONG = "strong", "Strong"
    """Systematic reviews, randomised trials or NICE recommendation."""
    MODERATE = "moderate", "Moderate"
    """Controlled or well-designed comparative studies, robust evaluations."""
    EMERGING = "emerging", "Emerging"
    """Service evaluations, audits and case studies."""
    NOT_YET = "not_yet", "Not yet evaluated"
    """No published evaluation so far."""


class NiceStatus(models.TextChoices):
    NOT_APPLICABLE = "not_applicable", "Not applicable"
    """NICE has nothing to say on this kind of innovation."""
    RECOMMENDED = "recommended", "Recommended in NICE guidance"
    """Named in a NICE guideline or technology appraisal."""
    EVIDENCE_SUMMARY = "evidence_summary", "NICE evidence summary"
    """A medtech innovation briefing, early value assessment or evidence summary."""
    IN_DEVELOPMENT = "in_development", "NICE evaluation in progress"
    """NICE is assessing it."""
    NONE = "none", "No NICE guidance yet"
    """NICE has not considered it."""


class AssuranceStatus(models.TextChoices):
    NOT_APPLICABLE = "not_applicable", "Not applicable"
    """The standard does not apply to this innovation."""
    MET = "met", "Met"
    """The standard is met, with evidence on file."""
    IN_PROGRESS = "in_progress", "In progress"
    """Work towards the standard is under way."""
    NOT_MET = "not_met", "Not met"
    """The standard applies and is not met yet."""
    UNKNOWN = "unknown", "Not known"
    """Nobody has checked yet."""


class Marking(models.TextChoices):
    NOT_APPLICABLE = "not_applicable", "Not applicable"
    """Not a medical device."""
    UKCA = "ukca", "UKCA marked"
    """Carries the UK conformity mark."""
    CE = "ce", "CE marked"
    """Carries the European conformity mark (accepted in Great Britain)."""
    NOT_MARKED = "not_marked", "Not marked"
    """A medical device without conformity marking."""
    UNKNOWN = "unknown", "Not known"
    """Nobody has checked yet."""


class InnovationQuerySet(models.QuerySet["Innovation"]):
    def for_network(self, network: Network) -> InnovationQuerySet:
        return self.filter(network=network)

    def awaiting_review(self) -> InnovationQuerySet:
        """Proposals sent through the public form that no lead has reviewed."""
        return self.filter(via_public_form=True, reviewed_at__isnull=True)

    def reviewed(self) -> InnovationQuerySet:
        """Everything members may see: all but unreviewed public proposals."""
        return self.exclude(via_public_form=True, reviewed_at__isnull=True)

    def public(self) -> InnovationQuerySet:
        """The public catalogue: innovations recommended for spread."""
        return self.reviewed().filter(stage=Stage.RECOMMENDED)


class Innovation(models.Model):
    """Something promising: a pathway, product, device, role or offer."""

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="innovations"
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    summary = models.CharField(max_length=300, help_text="One sentence for listings")
    problem = models.TextField(help_text="The problem it solves")
    who_for = models.TextField(help_text="Who it is for")
    description = models.TextField(blank=True, help_text="How it works")
    # Evidence: a strength grade for the whole, and links (EvidenceLink).
    evidence_summary = models.TextField(blank=True)
    evidence_strength = models.CharField(
        max_length=10, choices=EvidenceStrength.choices,
        default=EvidenceStrength.NOT_YET,
    )
    # Regulatory and assurance status, where it applies.
    nice_status = models.CharField(
        max_length=20, choices=NiceStatus.choices, default=NiceStatus.NONE
    )
    nice_reference = models.CharField(
        max_length=200, blank=True, help_text="For example NG59 or MIB212"
    )
    dtac_status = models.CharField(
        max_length=20, choices=AssuranceStatus.choices,
        default=AssuranceStatus.NOT_APPLICABLE,
        help_text="Digital Technology Assessment Criteria, for digital products",
    )
    marking = models.CharField(
        max_length=20, choices=Marking.choices, default=Marking.NOT_APPLICABLE,
        help_text="UKCA or CE marking, for medical devices",
    )
    dcb0129_status = models.CharField(
        max_length=20, choices=AssuranceStatus.choices,
        default=AssuranceStatus.NOT_APPLICABLE,
        help_text="DCB0129: the manufacturer's clinical safety case",
    )
    dcb0160_status = models.CharField(
        max_length=20, choices=AssuranceStatus.choices,
        default=AssuranceStatus.NOT_APPLICABLE,
        help_text="DCB0160: the deploying organisation's clinical safety case",
    )
    cost = models.TextField(blank=True, help_text="What it costs, and on what basis")
    resources_needed = models.TextField(
        blank=True, help_text="The staff, time, kit and training adoption needs"
    )
    owner = models.CharField(
        max_length=200, blank=True, help_text="The owner, developer or supplier"
    )
    contacts = models.TextField(
        blank=True, help_text="Who to talk to: names, roles and work email addresses"
    )
    # Triage.
    stage = models.CharField(
        max_length=20, choices=Stage.choices, default=Stage.PROPOSED
    )
    stage_reason = models.TextField(
        blank=True, help_text="Why: required when not taken forward"
    )
    decision_meeting = models.ForeignKey(
        "governance.Meeting", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="innovation_decisions",
        help_text="The meeting that made the decision",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    # Who proposed it: a member, or a visitor through the public form, whose
    # proposal nobody sees until a lead has reviewed it.
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="innovations_proposed",
    )
    via_public_form = models.BooleanField(default=False)
    proposer_name = models.CharField(max_length=200, blank=True)
    proposer_email = models.EmailField(blank=True)
    proposer_organisation = models.CharField(max_length=200, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = InnovationQuerySet.as_manager()

    class Meta:
        ordering = ["network", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "name"], name="innovations_innovation_unique_name"
            ),
            models.CheckConstraint(
                condition=~Q(stage=Stage.NOT_TAKEN_FORWARD) | ~Q(stage_reason=""),
                name="innovations_innovation_not_taken_forward_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(decided_at__isnull=True, decided_by__isnull=True)
                | Q(decided_at__isnull=False),
                name="innovations_innovation_decided_by_only_when_decided",
            ),
            models.CheckConstraint(
                condition=Q(reviewed_at__isnull=True, reviewed_by__isnull=True)
                | Q(reviewed_at__isnull=False),
                name="innovations_innovation_reviewed_by_only_when_reviewed",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "innovation",
            kwargs={"network_slug": self.network.slug, "innovation_id": self.pk},
        )

    @property
    def awaiting_review(self) -> bool:
        return self.via_public_form and self.reviewed_at is None

    @property
    def is_public(self) -> bool:
        return self.stage == Stage.RECOMMENDED and not self.awaiting_review


class EvidenceType(models.TextChoices):
    NICE = "nice", "NICE guidance or evidence summary"
    """Published by NICE."""
    SYSTEMATIC_REVIEW = "systematic_review", "Systematic review"
    """A review pooling several studies."""
    TRIAL = "trial", "Randomised controlled trial"
    """A randomised trial."""
    STUDY = "study", "Observational or comparative study"
    """A cohort, case-control or before-and-after study."""
    EVALUATION = "evaluation", "Service evaluation or audit"
    """A service's evaluation of its own change."""
    CASE_STUDY = "case_study", "Case study"
    """A description of what one place did and what happened."""
    OTHER = "other", "Other"
    """Anything else worth reading."""


class EvidenceLink(models.Model):
    """One piece of evidence for an innovation, with a link to it."""

    innovation = models.ForeignKey(
        Innovation, on_delete=models.CASCADE, related_name="evidence"
    )
    title = models.CharField(max_length=300)
    url = models.URLField(max_length=500)
    type = models.CharField(max_length=20, choices=EvidenceType.choices)
    published_on = models.DateField(null=True, blank=True)
    added_at = models.DateTimeField(default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["innovation", "-published_on", "title"]

    def __str__(self) -> str:
        return self.title


def upload_path(instance: models.Model, filename: str) -> str:
    """A random name: the original is kept in `filename`."""
    suffix = PurePath(filename).suffix.lower()
    return f"innovations/{instance._meta.model_name}/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    """A document about an innovation, checked as the resource library checks."""

    innovation = models.ForeignKey(
        Innovation, on_delete=models.CASCADE, related_name="attachments"
    )
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=upload_path, max_length=200)
    filename = models.CharField(max_length=200, help_text="The name it was uploaded as")
    content_type = models.CharField(max_length=200)
    size = models.PositiveBigIntegerField()
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["innovation", "title"]

    def __str__(self) -> str:
        return self.title


class StageChange(models.Model):
    """One move through triage, with who, when and why."""

    innovation = models.ForeignKey(
        Innovation, on_delete=models.CASCADE, related_name="stage_changes"
    )
    stage_from = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    stage_to = models.CharField(max_length=20, choices=Stage.choices)
    reason = models.TextField(blank=True)
    meeting = models.ForeignKey(
        "governance.Meeting", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["innovation", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.innovation}: {self.stage_from or 'new'} to {self.stage_to}"


class Follow(models.Model):
    """Someone who hears when the innovation moves stage."""

    innovation = models.ForeignKey(
        Innovation, on_delete=models.CASCADE, related_name="follows"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
        related_name="innovation_follows",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["innovation", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["innovation", "user"], name="innovations_follow_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} follows {self.innovation}"


class InnovationMeasure(models.Model):
    """A measure a spread project starts with, so every site measures alike."""

    innovation = models.ForeignKey(
        Innovation, on_delete=models.CASCADE, related_name="measures"
    )
    kind = models.CharField(max_length=20, choices=MeasureKind.choices)
    name = models.CharField(max_length=200)
    definition = models.TextField(help_text="Numerator, denominator and source")
    unit = models.CharField(max_length=40, blank=True)
    improvement = models.CharField(max_length=10, choices=Direction.choices)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["innovation", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["innovation", "name"], name="innovations_measure_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name
