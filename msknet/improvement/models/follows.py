"""Members who follow a project or a measure, to hear when its measures signal."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from .measures import Measure
from .projects import QIProject


class ProjectFollow(models.Model):
    """A member follows a project: its measures' new signals reach them."""

    project = models.ForeignKey(QIProject, on_delete=models.CASCADE,
                                related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="qi_project_follows")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "user"],
                                    name="improvement_projectfollow_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} follows {self.project}"


class MeasureFollow(models.Model):
    """A member follows one measure: its new signals reach them."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE,
                                related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="qi_measure_follows")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["measure", "user"],
                                    name="improvement_measurefollow_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} follows {self.measure}"
