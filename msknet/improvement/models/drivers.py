"""The driver diagram: aim → primary drivers → secondary drivers → change ideas."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from .projects import QIProject


class NodeKind(models.TextChoices):
    PRIMARY = "primary", "Primary driver"
    """What must change to reach the aim; hangs from the aim."""
    SECONDARY = "secondary", "Secondary driver"
    """A part of a primary driver the team can act on."""
    CHANGE_IDEA = "change_idea", "Change idea"
    """A change to test, under a secondary driver."""


#: The kind of node that hangs from each kind (the aim has none).
CHILD_KIND = {None: NodeKind.PRIMARY, NodeKind.PRIMARY: NodeKind.SECONDARY,
              NodeKind.SECONDARY: NodeKind.CHANGE_IDEA}


class DriverNode(models.Model):
    """One node of a project's driver diagram under its aim."""

    project = models.ForeignKey(QIProject, on_delete=models.CASCADE,
                                related_name="driver_nodes")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="children")
    kind = models.CharField(max_length=20, choices=NodeKind.choices)
    text = models.CharField(max_length=300)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["project", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=NodeKind.PRIMARY, parent__isnull=True)
                | (~Q(kind=NodeKind.PRIMARY) & Q(parent__isnull=False)),
                name="improvement_drivernode_primary_has_no_parent",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def kind_label(self) -> str:
        return NodeKind(self.kind).label

    @property
    def child_kind(self) -> NodeKind | None:
        return CHILD_KIND.get(NodeKind(self.kind))
