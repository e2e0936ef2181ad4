"""Reads for the improvement pages: the portfolio board and a project's timeline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg, Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from msknet.members.models import Network, User
from msknet.priorities.models import Decision, Score

from . import figures
from .models import (
    Cycle,
    DataPoint,
    Measure,
    MeasureFollow,
    ProjectFollow,
    QIProject,
    Rebase,
    Stage,
)


def projects(network: Network) -> QuerySet[QIProject]:
    return (
        QIProject.objects.for_network(network)
        .select_related("topic", "sponsor", "network")
        .prefetch_related("icbs")
    )


@dataclass
class MeasureIcons:
    measure: Measure
    icons: figures.Icons | None
    points: int


@dataclass
class BoardRow:
    project: QIProject
    measures: list[MeasureIcons] = field(default_factory=list)


def board(network: Network, *, icb: Any = None, topic: Any = None, term: str = "",
          stage: str = "", q: str = "") -> list[BoardRow]:
    """Every project matching the filters, each measure with its latest icons."""
    found = projects(network).prefetch_related(
        Prefetch("measures", queryset=Measure.objects.prefetch_related(
            Prefetch("points", queryset=DataPoint.objects.filter(
                quintile__isnull=True)),
            "rebases")))
    if icb is not None:
        found = found.filter(icbs=icb)
    if topic is not None:
        found = found.filter(topic=topic)
    if term:
        found = found.filter(term=term)
    if stage == "open":
        found = found.open()
    elif stage:
        found = found.filter(stage=stage)
    if q:
        found = found.search(q)
    rows = []
    for project in found.distinct().order_by("title"):
        row = BoardRow(project)
        for measure in project.measures.all():
            points = list(measure.points.all())
            chart = figures.xmr(measure, sorted(points, key=lambda p: p.period),
                                list(measure.rebases.all()))
            row.measures.append(MeasureIcons(
                measure, figures.icons(chart) if chart else None, len(points)))
        rows.append(row)
    return rows


@dataclass(frozen=True)
class Entry:
    """One thing on a project's timeline."""

    on: dt.date
    kind: str
    title: str
    text: str = ""
    by: str = ""
    url: str = ""


def local_date(at: dt.datetime) -> dt.date:
    return timezone.localtime(at).date()


def nomination_entries(project: QIProject) -> list[Entry]:
    nomination = project.nomination
    if nomination is None:
        return []
    url = ""
    try:
        url = nomination.get_absolute_url()
    except Exception:  # noqa: BLE001, S110 - the nomination page may not exist
        pass
    nominator = nomination.nominated_by.display_name if nomination.nominated_by else ""
    entries = [Entry(local_date(nomination.created_at), "Nomination",
                     f"Nominated in {nomination.round.title}", nomination.problem,
                     nominator, url)]
    scores = Score.objects.filter(scorecard__nomination=nomination).aggregate(
        mean=Avg("value"), panellists=Count("scorecard", distinct=True))
    if scores["panellists"]:
        r = nomination.round
        entries.append(Entry(
            local_date(nomination.decided_at or nomination.created_at), "Scores",
            "Scored by the screening panel",
            f"{scores['panellists']} panellist"
            f"{'s' if scores['panellists'] != 1 else ''} scored it; average score "
            f"{scores['mean']:.1f} on a scale of {r.score_min} to {r.score_max}."))
    if nomination.decision and nomination.decided_at:
        label = Decision(nomination.decision).label
        entries.append(Entry(local_date(nomination.decided_at), "Decision",
                             f"Nomination {label.lower()}", nomination.decision_reason,
                             nomination.decided_by.display_name
                             if nomination.decided_by else ""))
    return entries


def timeline(project: QIProject) -> list[Entry]:
    """The project's story, oldest first: nomination, progress, cycles, signals."""
    entries = nomination_entries(project)
    base = {"network_slug": project.network.slug, "pk": project.pk}
    for change in project.progress_changes.select_related("by").order_by("at", "pk"):
        by = change.by.display_name if change.by else ""
        if change.stage_to == Stage.CLOSED and change.stage_changed:
            entries.append(Entry(local_date(change.at), "Closed", "Project closed",
                                 project.learning, by))
            continue
        if not change.stage_from:
            entries.append(Entry(local_date(change.at), "Started", "Project started",
                                 change.note, by))
            continue
        parts = []
        if change.stage_changed:
            parts.append(f"Stage: {change.stage_from_label} → {change.stage_to_label}")
        if change.score_changed:
            parts.append(f"IHI score: {change.score_from_text} → "
                         f"{change.score_to_text}")
        entries.append(Entry(local_date(change.at), "Progress",
                             "; ".join(parts) or "Progress note", change.note, by))
    for cycle in project.cycles.select_related("change_idea", "created_by"):
        url = reverse("cycle-detail", kwargs={**base, "cycle_pk": cycle.pk})
        entries.append(Entry(local_date(cycle.created_at), "PDSA cycle",
                             f"Cycle planned: {cycle.title}",
                             f"Tests the change idea: {cycle.change_idea.text}",
                             cycle.created_by.display_name if cycle.created_by else "",
                             url))
        if cycle.act:
            entries.append(Entry(local_date(cycle.updated_at), "PDSA cycle",
                                 f"Cycle decided: {cycle.get_act_display()} – "
                                 f"{cycle.title}", cycle.act_notes, "", url))
    for measure in project.measures.all():
        url = reverse("measure-detail", kwargs={**base, "measure_pk": measure.pk})
        spc = figures.measure_spc(measure)
        for signal in spc.overall.signals:
            entries.append(Entry(signal.start, "SPC signal",
                                 f"{measure.name}: {signal.point_type_text.lower()}",
                                 f"From {signal.start:%B %Y}, {signal.points} point"
                                 f"{'s' if signal.points != 1 else ''}: "
                                 f"{signal.rule}.", "", url))
        for rebase in spc.rebases:
            entries.append(Entry(rebase.period, "SPC rebase",
                                 f"{measure.name}: limits recalculated from "
                                 f"{rebase.period:%B %Y}", rebase.reason,
                                 rebase.by.display_name if rebase.by else "", url))
    return sorted(entries, key=lambda e: e.on)


def cycles(project: QIProject) -> QuerySet[Cycle]:
    return project.cycles.select_related("change_idea", "measure", "previous")


def rebases(measure: Measure) -> list[Rebase]:
    return list(measure.rebases.select_related("by"))


# Followers --------------------------------------------------------------------


def project_followers(project: QIProject) -> QuerySet[User]:
    """The project's team and everyone who follows the project, each once.

    Whether each is still an active member of the network is left to the
    caller (the notification service checks it).
    """
    return User.objects.filter(
        Q(qi_teams__project=project) | Q(qi_project_follows__project=project)
    ).distinct().order_by("full_name", "pk")


def measure_followers(measure: Measure) -> QuerySet[User]:
    """Who hears of a measure's new signals: those who follow the measure,
    those who follow its project or sit on its team, and its owner."""
    project = measure.project
    return User.objects.filter(
        Q(qi_measure_follows__measure=measure)
        | Q(qi_project_follows__project=project)
        | Q(qi_teams__project=project)
        | Q(owned_qi_measures=measure)
    ).distinct().order_by("full_name", "pk")


def follows_project(project: QIProject, user: object) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return ProjectFollow.objects.filter(project=project, user=user).exists()


def follows_measure(measure: Measure, user: object) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return MeasureFollow.objects.filter(measure=measure, user=user).exists()
