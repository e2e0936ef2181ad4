"""Quality-improvement projects, their teams and their progress history."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from msknet.members.models import ICB, Network, Topic
from msknet.priorities.models import Term

SMART_HINT = (
    "A SMART aim is Specific (what will improve, for whom), Measurable (the "
    "measure and the change you expect), Achievable, Relevant to the problem and "
    "Time-bound (by when). For example: \"By March 2027, 80% of people referred "
    "to first contact physiotherapy in our PCN are seen within 2 weeks.\""
)


class Stage(models.TextChoices):
    SCOPING = "scoping", "Scoping"
    """Understanding the problem, forming the team and setting the aim."""
    TESTING = "testing", "Testing changes"
    """Testing change ideas in small PDSA cycles."""
    IMPLEMENTING = "implementing", "Implementing"
    """Making the changes that worked part of everyday practice."""
    SPREADING = "spreading", "Spreading"
    """Taking what worked to other teams, sites or ICBs."""
    CLOSED = "closed", "Closed"
    """Finished, with what was learned recorded."""


#: The IHI assessment scale for improvement projects: score, label, meaning.
IHI_SCALE: tuple[tuple[Decimal, str, str], ...] = (
    (Decimal("0.5"), "Intent to participate",
     "The team has agreed to take part; no work has started yet."),
    (Decimal("1.0"), "Charter and team established",
     "A team is formed, with an agreed aim and a plan for measurement."),
    (Decimal("1.5"), "Planning for the project has begun",
     "The team is meeting, collecting baseline data and planning changes."),
    (Decimal("2.0"), "Activity, but no changes",
     "Cycles to test changes are planned or under way; no changes tested yet."),
    (Decimal("2.5"), "Changes tested, but no improvement",
     "Cycles have tested changes, but the measures show no improvement yet."),
    (Decimal("3.0"), "Modest improvement",
     ("Tested changes are being put into practice; process measures improve "
     "modestly.")),
    (Decimal("3.5"), "Improvement",
     "Some improvement in outcome measures; process measures keep improving."),
    (Decimal("4.0"), "Significant improvement",
     "Most changes are in place; outcome measures improve, half way to the aim."),
    (Decimal("4.5"), "Sustainable improvement",
     ("Improvement in outcome measures is sustained; most of the aim achieved and "
     "spread has begun.")),
    (Decimal("5.0"), "Outstanding sustainable results",
     "The aim is achieved, results are sustained and the changes are spreading."),
)
IHI_SCORES = tuple(score for score, _, _ in IHI_SCALE)
IHI_LABELS = {score: label for score, label, _ in IHI_SCALE}
IHI_MEANINGS = {score: meaning for score, _, meaning in IHI_SCALE}


def score_text(score: Decimal | None) -> str:
    """'2.5 Changes tested, but no improvement', or 'Not scored'."""
    if score is None:
        return "Not scored"
    score = Decimal(score).quantize(Decimal("0.1"))
    return f"{score} {IHI_LABELS.get(score, '')}".strip()


class QIProjectQuerySet(models.QuerySet["QIProject"]):
    def for_network(self, network: Network) -> QIProjectQuerySet:
        return self.filter(network=network)

    def open(self) -> QIProjectQuerySet:
        return self.exclude(stage=Stage.CLOSED)

    def closed(self) -> QIProjectQuerySet:
        return self.filter(stage=Stage.CLOSED)

    def search(self, text: str) -> QIProjectQuerySet:
        """Projects whose title, aim, problem or learning holds every word."""
        result = self
        for word in text.split():
            result = result.filter(
                Q(title__icontains=word) | Q(aim__icontains=word)
                | Q(problem__icontains=word) | Q(learning__icontains=word)
            )
        return result


class QIProject(models.Model):
    """A quality-improvement project run by a team in one network."""

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="qi_projects"
    )
    nomination = models.OneToOneField(
        "priorities.Nomination",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="project",
    )
    title = models.CharField(max_length=200)
    aim = models.TextField(help_text=SMART_HINT)
    problem = models.TextField(blank=True, help_text="The problem, and who it affects")
    sponsor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sponsored_qi_projects",
    )
    icbs = models.ManyToManyField(ICB, blank=True, related_name="qi_projects")
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="qi_projects",
    )
    term = models.CharField(max_length=10, choices=Term.choices, blank=True)
    stage = models.CharField(max_length=20, choices=Stage.choices,
                             default=Stage.SCOPING)
    progress_score = models.DecimalField(
        max_digits=2, decimal_places=1, null=True, blank=True,
        help_text="The IHI progress score, 0.5 to 5.0, set by the team",
    )
    learning = models.TextField(blank=True, help_text="What was learned, at closure")
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
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

    objects = QIProjectQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = "QI project"
        constraints = [
            models.CheckConstraint(
                condition=Q(progress_score__isnull=True)
                | Q(progress_score__in=IHI_SCORES),
                name="improvement_qiproject_ihi_score",
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True, stage__in=[
                    s for s in Stage.values if s != Stage.CLOSED])
                | Q(closed_at__isnull=False, stage=Stage.CLOSED),
                name="improvement_qiproject_closed_at_when_closed",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("project-detail", kwargs={"network_slug": self.network.slug,
                                                 "pk": self.pk})

    @property
    def is_closed(self) -> bool:
        return self.stage == Stage.CLOSED

    @property
    def score_text(self) -> str:
        return score_text(self.progress_score)


class TeamMember(models.Model):
    """A network member on a project's team."""

    project = models.ForeignKey(QIProject, on_delete=models.CASCADE,
                                related_name="team")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="qi_teams")
    role = models.CharField(max_length=100, blank=True,
                            help_text="Such as clinical lead or data lead")
    lived_experience = models.BooleanField(
        default=False, help_text="Takes part as a lived-experience partner"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["project", "added_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "user"],
                                    name="improvement_teammember_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.project}"


class ProgressChange(models.Model):
    """One change of a project's stage or IHI score: who, when, and why."""

    project = models.ForeignKey(QIProject, on_delete=models.CASCADE,
                                related_name="progress_changes")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                           on_delete=models.SET_NULL, related_name="+")
    stage_from = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    stage_to = models.CharField(max_length=20, choices=Stage.choices)
    score_from = models.DecimalField(max_digits=2, decimal_places=1, null=True,
                                     blank=True)
    score_to = models.DecimalField(max_digits=2, decimal_places=1, null=True,
                                   blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["project", "-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.project}: {self.stage_to} ({self.at:%Y-%m-%d})"

    @property
    def stage_changed(self) -> bool:
        return self.stage_from != self.stage_to

    @property
    def score_changed(self) -> bool:
        return self.score_from != self.score_to

    @property
    def stage_from_label(self) -> str:
        return Stage(self.stage_from).label if self.stage_from else ""

    @property
    def stage_to_label(self) -> str:
        return Stage(self.stage_to).label

    @property
    def score_from_text(self) -> str:
        return score_text(self.score_from)

    @property
    def score_to_text(self) -> str:
        return score_text(self.score_to)
