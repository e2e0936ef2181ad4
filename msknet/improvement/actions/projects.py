"""Writes to projects: starting, details, team, progress and closing."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from msknet.core import audit
from msknet.members.models import ICB, Network, Topic, User
from msknet.priorities.models import Decision, Nomination, StrategicPriority
from msknet.priorities.strategic_actions import checked_serves

from ..models import (
    IHI_SCORES,
    ImprovementEvent,
    ProgressChange,
    QIProject,
    Stage,
    TeamMember,
)

PROJECT_FIELDS = ("title", "aim", "problem", "sponsor", "topic", "term")


class NotSelected(Exception):
    """Only a nomination the network selected can start a project."""


class AlreadyStarted(Exception):
    """The nomination already has a project."""


class NotAMember(Exception):
    """Team members and sponsors are members of the project's network."""


class ProjectClosed(Exception):
    """A closed project does not change."""


def is_network_member(network: Network, user: User) -> bool:
    return network.memberships.active().filter(user=user).exists()


def _check_open(project: QIProject) -> None:
    if project.is_closed:
        raise ProjectClosed("This project is closed")


@transaction.atomic
def start_project(
    *,
    network: Network,
    by: User,
    title: str,
    aim: str,
    problem: str = "",
    sponsor: User | None = None,
    icbs: Iterable[ICB] = (),
    topic: Topic | None = None,
    term: str = "",
    team: Iterable[User] = (),
    nomination: Nomination | None = None,
    serves: Iterable[StrategicPriority] = (),
) -> QIProject:
    """Start a project in scoping; the starting lead joins the team."""
    if sponsor is not None and not is_network_member(network, sponsor):
        raise NotAMember(f"{sponsor} is not a member of {network}")
    project = QIProject.objects.create(
        network=network, nomination=nomination, title=title.strip(), aim=aim.strip(),
        problem=problem.strip(), sponsor=sponsor, topic=topic, term=term,
        created_by=by, updated_by=by,
    )
    project.icbs.set(list(icbs))
    project.serves.set(checked_serves(network, serves))
    for user in [by, *team]:
        if user is not None and not project.team.filter(user=user).exists():
            if not is_network_member(network, user):
                raise NotAMember(f"{user} is not a member of {network}")
            project.team.create(user=user)
    ProgressChange.objects.create(project=project, by=by, stage_from="",
                                  stage_to=Stage.SCOPING, note="Project started")
    audit.record(ImprovementEvent.PROJECT_STARTED, target=project, by=by,
                 network=network, title=project.title,
                 nomination=nomination.pk if nomination else None)
    return project


def start_project_from_nomination(
    *, nomination: Nomination, by: User, aim: str = "", sponsor: User | None = None,
    team: Iterable[User] = (),
) -> QIProject:
    """Start the project a selected nomination proposed, copying what it says.

    Title, problem, ICBs, topic, term and the strategic priorities it serves
    (those not retired) come from the nomination; the aim
    starts as the problem until the team writes a SMART aim.
    """
    if nomination.decision != Decision.SELECTED:
        raise NotSelected("Only a selected nomination can start a project")
    if QIProject.objects.filter(nomination=nomination).exists():
        raise AlreadyStarted("This nomination already has a project")
    return start_project(
        network=nomination.round.network, by=by, title=nomination.title,
        aim=aim or nomination.problem, problem=nomination.problem, sponsor=sponsor,
        icbs=nomination.icbs.all(), topic=nomination.topic, term=nomination.term,
        team=team, nomination=nomination,
        serves=nomination.serves.filter(retired_at__isnull=True),
    )


@transaction.atomic
def update_project(*, project: QIProject, by: User, icbs: Iterable[ICB] | None = None,
                   serves: Iterable[StrategicPriority] | None = None,
                   **fields: Any) -> list[str]:
    """Change the project's details; returns the names of what changed."""
    _check_open(project)
    sponsor = fields.get("sponsor")
    if sponsor is not None and not is_network_member(project.network, sponsor):
        raise NotAMember(f"{sponsor} is not a member of {project.network}")
    changed = [name for name in PROJECT_FIELDS
               if name in fields and getattr(project, name) != fields[name]]
    for name in changed:
        setattr(project, name, fields[name])
    if icbs is not None:
        icbs = list(icbs)
        if set(icbs) != set(project.icbs.all()):
            project.icbs.set(icbs)
            changed.append("icbs")
    if serves is not None:
        serves = checked_serves(project.network, serves, already=project.serves.all())
        if set(serves) != set(project.serves.all()):
            project.serves.set(serves)
            changed.append("serves")
    if changed:
        project.updated_by = by
        project.save()
        audit.record(ImprovementEvent.PROJECT_UPDATED, target=project, by=by,
                     network=project.network, fields=changed)
    return changed


@transaction.atomic
def add_team_member(*, project: QIProject, by: User, user: User, role: str = "",
                    lived_experience: bool = False) -> TeamMember:
    _check_open(project)
    if not is_network_member(project.network, user):
        raise NotAMember(f"{user} is not a member of {project.network}")
    member, created = project.team.update_or_create(
        user=user, defaults={"role": role.strip(), "lived_experience": lived_experience})
    audit.record(ImprovementEvent.TEAM_MEMBER_ADDED, target=project, by=by,
                 network=project.network, user=user.pk, role=member.role,
                 lived_experience=lived_experience, updated=not created)
    return member


@transaction.atomic
def remove_team_member(*, member: TeamMember, by: User) -> None:
    project = member.project
    _check_open(project)
    user_pk = member.user_id
    member.delete()
    audit.record(ImprovementEvent.TEAM_MEMBER_REMOVED, target=project, by=by,
                 network=project.network, user=user_pk)


@transaction.atomic
def update_progress(*, project: QIProject, by: User, stage: str,
                    score: Decimal | None, note: str = "") -> ProgressChange | None:
    """Move the project to a stage (not closed: see close_project) and IHI score."""
    _check_open(project)
    if stage == Stage.CLOSED:
        raise ValueError("Close a project with close_project, recording the learning")
    if score is not None and score not in IHI_SCORES:
        raise ValueError(f"{score} is not a score on the IHI scale")
    if stage == project.stage and score == project.progress_score and not note:
        return None
    change = ProgressChange.objects.create(
        project=project, by=by, stage_from=project.stage, stage_to=stage,
        score_from=project.progress_score, score_to=score, note=note.strip(),
    )
    project.stage, project.progress_score, project.updated_by = stage, score, by
    project.save()
    audit.record(ImprovementEvent.PROGRESS_UPDATED, target=project, by=by,
                 network=project.network, stage=stage,
                 score=None if score is None else str(score))
    return change


@transaction.atomic
def close_project(*, project: QIProject, by: User, learning: str) -> QIProject:
    """Close the project, keeping what was learned for those who come after."""
    _check_open(project)
    if not learning.strip():
        raise ValueError("Record what was learned")
    now = timezone.now()
    ProgressChange.objects.create(
        project=project, by=by, at=now, stage_from=project.stage,
        stage_to=Stage.CLOSED, score_from=project.progress_score,
        score_to=project.progress_score, note="Project closed",
    )
    project.stage = Stage.CLOSED
    project.learning = learning.strip()
    project.closed_at, project.closed_by, project.updated_by = now, by, by
    project.save()
    audit.record(ImprovementEvent.PROJECT_CLOSED, target=project, by=by,
                 network=project.network)
    return project
