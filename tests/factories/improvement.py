import datetime as dt

import factory
from factory.django import DjangoModelFactory

from msknet.improvement.models import (
    Cycle,
    DataPoint,
    DriverNode,
    Measure,
    NodeKind,
    QIProject,
    TeamMember,
)

from .networks import NetworkFactory
from .users import UserFactory


class QIProjectFactory(DjangoModelFactory):
    class Meta:
        model = QIProject
        skip_postgeneration_save = True

    network = factory.SubFactory(NetworkFactory)
    title = factory.Sequence(lambda n: f"Improvement project {n}")
    aim = "By March 2027, 80% of people referred are seen within 2 weeks."
    problem = "People wait too long for first contact physiotherapy."


class TeamMemberFactory(DjangoModelFactory):
    class Meta:
        model = TeamMember

    project = factory.SubFactory(QIProjectFactory)
    user = factory.SubFactory(UserFactory)


class DriverNodeFactory(DjangoModelFactory):
    class Meta:
        model = DriverNode

    project = factory.SubFactory(QIProjectFactory)
    kind = NodeKind.PRIMARY
    text = factory.Sequence(lambda n: f"Driver {n}")


def change_idea(project: QIProject, text: str = "Same-day triage") -> DriverNode:
    """A change idea with its primary and secondary drivers."""
    primary = DriverNodeFactory(project=project, text="Timely access")
    secondary = DriverNodeFactory(project=project, parent=primary,
                                  kind=NodeKind.SECONDARY, text="Triage capacity")
    return DriverNodeFactory(project=project, parent=secondary,
                             kind=NodeKind.CHANGE_IDEA, text=text)


class MeasureFactory(DjangoModelFactory):
    class Meta:
        model = Measure

    project = factory.SubFactory(QIProjectFactory)
    kind = "outcome"
    name = factory.Sequence(lambda n: f"Measure {n}")
    definition = "People seen within 2 weeks of referral, as a percentage."
    unit = "%"
    improvement = "increase"


def monthly(start: dt.date, count: int) -> list[dt.date]:
    months, year, month = [], start.year, start.month
    for _ in range(count):
        months.append(dt.date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


#: 12 steady months then 12 higher: a clear shift upwards.
SHIFT = [50, 52, 49, 51, 50, 53, 48, 50, 52, 51, 49, 50,
         60, 61, 59, 62, 60, 61, 63, 60, 62, 61, 60, 62]


def add_points(measure: Measure, values: list[float],
               start: dt.date = dt.date(2024, 1, 1), quintile: int | None = None
               ) -> list[DataPoint]:
    return DataPoint.objects.bulk_create(
        DataPoint(measure=measure, period=period, value=value, quintile=quintile)
        for period, value in zip(monthly(start, len(values)), values, strict=True))


class CycleFactory(DjangoModelFactory):
    class Meta:
        model = Cycle

    project = factory.SubFactory(QIProjectFactory)
    change_idea = factory.LazyAttribute(lambda o: change_idea(o.project))
    title = factory.Sequence(lambda n: f"Cycle {n}")
    plan_what = "Try same-day triage on Mondays."
    plan_who = "The FCP team"
    plan_when = dt.date(2025, 1, 6)
    prediction = "Half of Monday referrals seen the same week."


def improvement_objects(network, users) -> dict[str, int]:
    """For the role matrix, in any network: a project whose team is
    `users["team"]` (someone outside the network when the dict has none), with
    a measure with two years of monthly data, a change idea with a cycle, and
    a selected nomination with no project yet."""
    from django.utils import timezone

    from msknet.priorities.models import Decision

    from .priorities import NominationFactory, RoundFactory

    project = QIProjectFactory(network=network, title="Matrix project")
    measure = MeasureFactory(project=project, name="Matrix measure")
    point = add_points(measure, SHIFT)[0]  # enough for an SPC chart
    cycle = CycleFactory(project=project)
    nomination = NominationFactory(
        round=RoundFactory(network=network, title="Matrix QI round"),
        title="Matrix selected nomination", decision=Decision.SELECTED,
        decided_at=timezone.now())
    team_member = TeamMemberFactory(project=project, **(
        {"user": users["team"]} if users.get("team") else {}))
    return {"qi-project": project.pk, "qi-measure": measure.pk, "qi-point": point.pk,
            "qi-cycle": cycle.pk, "qi-node": cycle.change_idea.pk,
            "qi-nomination": nomination.pk, "qi-team-member": team_member.pk}
