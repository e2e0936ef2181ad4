"""Following a project or a measure, to hear when its measures signal."""

from __future__ import annotations

from django.db import transaction

from msknet.core import audit
from msknet.members.models import User

from ..models import ImprovementEvent, Measure, MeasureFollow, ProjectFollow, QIProject


@transaction.atomic
def follow_project(*, project: QIProject, by: User) -> bool:
    """Follow the project; False if the member already did."""
    _, created = ProjectFollow.objects.get_or_create(project=project, user=by)
    if created:
        audit.record(ImprovementEvent.PROJECT_FOLLOWED, target=project, by=by,
                     network=project.network)
    return created


@transaction.atomic
def unfollow_project(*, project: QIProject, by: User) -> bool:
    """Stop following the project; False if the member was not following."""
    deleted, _ = ProjectFollow.objects.filter(project=project, user=by).delete()
    if deleted:
        audit.record(ImprovementEvent.PROJECT_UNFOLLOWED, target=project, by=by,
                     network=project.network)
    return bool(deleted)


@transaction.atomic
def follow_measure(*, measure: Measure, by: User) -> bool:
    """Follow the measure; False if the member already did."""
    _, created = MeasureFollow.objects.get_or_create(measure=measure, user=by)
    if created:
        audit.record(ImprovementEvent.MEASURE_FOLLOWED, target=measure, by=by,
                     network=measure.project.network, project=measure.project_id)
    return created


@transaction.atomic
def unfollow_measure(*, measure: Measure, by: User) -> bool:
    """Stop following the measure; False if the member was not following."""
    deleted, _ = MeasureFollow.objects.filter(measure=measure, user=by).delete()
    if deleted:
        audit.record(ImprovementEvent.MEASURE_UNFOLLOWED, target=measure, by=by,
                     network=measure.project.network, project=measure.project_id)
    return bool(deleted)
