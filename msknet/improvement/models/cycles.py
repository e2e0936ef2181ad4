"""Plan-Do-Study-Act cycles testing a project's change ideas."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from .drivers import DriverNode
from .measures import Measure
from .projects import QIProject

#: A chain longer than this is shown cut short.
MAX_CHAIN = 100


class Act(models.TextChoices):
    ADOPT = "adopt", "Adopt"
    """The change worked: make it standard practice."""
    ADAPT = "adapt", "Adapt"
    """Change the change and test it again."""
    ABANDON = "abandon", "Abandon"
    """The change did not work: stop it."""


class CycleStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    """Planned; nothing recorded yet about what happened."""
    DONE = "done", "Done, to study"
    """What happened is recorded; the results are not yet studied."""
    STUDIED = "studied", "Studied, to decide"
    """Results are studied against the prediction; no decision yet."""
    ACTED = "acted", "Decided"
    """Adopt, adapt or abandon has been decided."""


class Cycle(models.Model):
    """One PDSA cycle testing a change idea, perhaps following an earlier one."""

    project = models.ForeignKey(QIProject, on_delete=models.CASCADE,
                                related_name="cycles")
    change_idea = models.ForeignKey(DriverNode, on_delete=models.PROTECT,
                                    related_name="cycles")
    previous = models.OneToOneField("self", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="next")
    measure = models.ForeignKey(Measure, null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="cycles")
    title = models.CharField(max_length=200)
    plan_what = models.TextField()
    plan_who = models.CharField(max_length=300)
    plan_when = models.DateField()
    prediction = models.TextField()
    do_notes = models.TextField(blank=True)
    study_notes = models.TextField(blank=True)
    act = models.CharField(max_length=10, choices=Act.choices, blank=True)
    act_notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["project", "plan_when", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def status(self) -> CycleStatus:
        if self.act:
            return CycleStatus.ACTED
        if self.study_notes:
            return CycleStatus.STUDIED
        if self.do_notes:
            return CycleStatus.DONE
        return CycleStatus.PLANNED

    @property
    def status_label(self) -> str:
        return self.status.label

    def chain(self) -> list[Cycle]:
        """Every cycle in this cycle's chain, first to last."""
        first = self
        while first.previous is not None and first.previous.pk != self.pk:
            first = first.previous
        chain = [first]
        while len(chain) <= MAX_CHAIN:
            following = Cycle.objects.filter(previous=chain[-1]).first()
            if following is None or following in chain:
                break
            chain.append(following)
        return chain
