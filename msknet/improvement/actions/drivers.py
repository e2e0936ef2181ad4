"""Writes to the driver diagram: add, rename and remove nodes."""

from __future__ import annotations

from django.db import transaction

from msknet.core import audit
from msknet.members.models import User

from ..models import CHILD_KIND, DriverNode, ImprovementEvent, NodeKind, QIProject
from .projects import _check_open


class InUse(Exception):
    """A change idea with PDSA cycles cannot be removed."""


@transaction.atomic
def add_node(*, project: QIProject, by: User, text: str,
             parent: DriverNode | None = None) -> DriverNode:
    """A primary driver (no parent), or the next level under `parent`."""
    _check_open(project)
    if parent is not None and parent.project_id != project.pk:
        raise ValueError("The parent is in another project's diagram")
    kind = CHILD_KIND.get(NodeKind(parent.kind) if parent else None)
    if kind is None:
        raise ValueError("Nothing hangs from a change idea")
    siblings = project.driver_nodes.filter(parent=parent)
    node = DriverNode.objects.create(project=project, parent=parent, kind=kind,
                                     text=text.strip(), position=siblings.count())
    audit.record(ImprovementEvent.DRIVER_ADDED, target=project, by=by,
                 network=project.network, node=node.pk, kind=kind, text=node.text)
    return node


@transaction.atomic
def rename_node(*, node: DriverNode, by: User, text: str) -> DriverNode:
    _check_open(node.project)
    old = node.text
    node.text = text.strip()
    node.save(update_fields=["text"])
    audit.record(ImprovementEvent.DRIVER_RENAMED, target=node.project, by=by,
                 network=node.project.network, node=node.pk, old=old, new=node.text)
    return node


def descendants(node: DriverNode) -> list[DriverNode]:
    found, level = [], [node]
    while level:
        found.extend(level)
        level = list(DriverNode.objects.filter(parent__in=level))
    return found


@transaction.atomic
def remove_node(*, node: DriverNode, by: User) -> int:
    """Remove the node and everything under it; returns how many went."""
    project = node.project
    _check_open(project)
    removed = descendants(node)
    if any(n.cycles.exists() for n in removed):
        raise InUse("A change idea here has PDSA cycles: it stays, so the cycles "
                    "keep their change idea")
    text = node.text
    node.delete()
    audit.record(ImprovementEvent.DRIVER_REMOVED, target=project, by=by,
                 network=project.network, text=text, removed=len(removed))
    return len(removed)
