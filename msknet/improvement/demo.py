"""Synthetic demo improvement projects for London and North East and North Cumbria.

Every figure is invented. Each measure's monthly series is shaped, from a
fixed seed, so that the SPC charts show real special-cause signals: a shift
after a change, a trend, a point beyond the limits. Projects start from the
priorities demo's selected nominations where those exist, and go through the
same actions the pages use.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from msknet.members.models import ICB, Network, Topic, User
from msknet.priorities.models import Decision, Nomination

from . import actions
from .models import Cycle, DataPoint, ProgressChange, QIProject, Stage

SEED = 2026
NOISE = 1.0


def months_back(count: int, today: dt.date) -> list[dt.date]:
    """The `count` whole months before this one, oldest first."""
    year, month = today.year, today.month
    out = []
    for _ in range(count):
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        out.append(dt.date(year, month, 1))
    return out[::-1]


# Shapes: (month index, months in series, rng) -> value -------------------------

def shift(before: float, after: float, at: int, sd: float) -> Callable[..., float]:
    """A level that moves from `before` to `after` at month `at`: a shift."""
    return lambda i, n, rng: (before if i < at else after) + rng.gauss(0, sd)


def trend(start: float, step: float, sd: float, after: int = 0) -> Callable[..., float]:
    """Flat until `after`, then a steady climb (or fall) by `step` a month."""
    return lambda i, n, rng: start + step * max(0, i - after) + rng.gauss(0, sd)


def flat(level: float, sd: float, spike: int | None = None,
         size: float = 0.0) -> Callable[..., float]:
    """Common-cause noise, with one point beyond the limits at `spike`."""
    return lambda i, n, rng: level + rng.gauss(0, sd) + (size if i == spike else 0)


@dataclass(frozen=True)
class DemoMeasure:
    kind: str
    name: str
    definition: str
    unit: str
    improvement: str
    target: float | None
    shape: Callable[..., float]
    notes: dict[int, str] = field(default_factory=dict)
    quintiles: Sequence[float] = ()  # an offset per quintile 1-5, if split
    rebase_at: int | None = None
    rebase_reason: str = ""
    places: int = 1


@dataclass(frozen=True)
class DemoCycle:
    change_idea: str
    title: str
    what: str
    who: str
    prediction: str
    month: int  # the month index the test ran in
    measure: str
    done: str = ""
    study: str = ""
    act: str = ""
    act_notes: str = ""
    follows: str = ""


@dataclass(frozen=True)
class DemoProject:
    network: str
    title: str
    nomination: str  # the selected nomination's title, if the demo has it
    aim: str
    problem: str
    topic: str
    term: str
    icbs: tuple[str, ...]
    months: int
    drivers: dict[str, dict[str, list[str]]]
    measures: tuple[DemoMeasure, ...]
    cycles: tuple[DemoCycle, ...]
    progress: tuple[tuple[int, str, str, str], ...]  # month, stage, score, note
    team: tuple[tuple[str, str, bool], ...]  # email or sector, role, lived
    learning: str = ""


FCP = DemoProject(
    "london", "First-contact physiotherapy access in the most deprived practices",
    "First-contact physiotherapy access in the most deprived practices",
    "By March 2027, 80% of adults referred to first contact physiotherapy in the "
    "six pilot PCNs are assessed within 2 weeks, in every deprivation quintile.",
    "People registered with practices in the most deprived areas wait longest for "
    "a first assessment of back, neck and joint pain.",
    "primary-community-msk", "short", ("QMF", "QKK"), 30,
    {"People can book an FCP quickly": {
        "Enough FCP sessions in each PCN": ["Share FCP sessions across PCNs",
                                            "Recruit through the FCP roadmap"],
        "Reception teams direct people to FCPs": ["Care navigation script",
                                                  "Same-day triage list"]},
     "People in deprived areas use the service": {
        "People know they can see an FCP": ["Text message to registered patients"],
        "Appointments suit people's lives": ["Evening and Saturday clinics"]}},
    (DemoMeasure("outcome", "Assessed within 2 weeks of referral",
                 "Adults referred to first contact physiotherapy who are assessed "
                 "within 14 days, as a percentage of all referred that month.",
                 "%", "increase", 80, shift(52, 71, 14, 2.2),
                 {14: "Same-day triage list", 20: "Evening clinics start"},
                 quintiles=(-9, -5, 0, 3, 6)),
     DemoMeasure("process", "FCP sessions per 10,000 patients",
                 "First contact physiotherapy sessions a week per 10,000 registered "
                 "patients in the six PCNs.", "sessions", "increase", None,
                 trend(3.0, 0.12, 0.03, after=8), {9: "Session sharing agreed"}),
     DemoMeasure("balancing", "GP re-attendances for the same MSK problem",
                 "People seen by an FCP who see a GP for the same problem within 4 "
                 "weeks, as a percentage.", "%", "decrease", None,
                 flat(11, 1.1, spike=23, size=6), {23: "GP locum gap"})),
    (DemoCycle("Same-day triage list", "Monday triage list at one PCN",
               "Reception puts MSK requests on a same-day FCP triage list on Mondays",
               "Reception team and two FCPs at Riverside Central PCN",
               "Half of Monday MSK requests are assessed that week.", 11,
               "Assessed within 2 weeks of referral",
               "Ran for four Mondays; 61 requests triaged.",
               "58% assessed within the week, a little above the prediction.",
               "adapt", "Extend to every weekday before spreading."),
     DemoCycle("Same-day triage list", "Weekday triage list at one PCN",
               "The same-day list every weekday", "Riverside Central PCN",
               "Two thirds of requests assessed within 2 weeks.", 12,
               "Assessed within 2 weeks of referral",
               "Four weeks; reception found the script helped.",
               "69% within 2 weeks; waits fell for every quintile.",
               "adopt", "Spread to all six PCNs.",
               follows="Monday triage list at one PCN"),
     DemoCycle("Evening and Saturday clinics", "Tuesday evening clinic",
               "An FCP clinic 5 to 8 pm on Tuesdays", "Two FCPs",
               "Working-age people from quintile 1 take most slots.", 19,
               "Assessed within 2 weeks of referral",
               "All slots filled within a fortnight.", "", "", "")),
    ((0, "scoping", "1.0", "Team formed and aim agreed"),
     (4, "scoping", "1.5", "Baseline data collected; driver diagram drafted"),
     (10, "testing", "2.0", "First PDSA cycle planned"),
     (13, "testing", "3.0", "Triage list improved access at the pilot PCN"),
     (18, "implementing", "3.5", "Triage adopted in all six PCNs"),
     (26, "implementing", "4.0", "Sustained shift in the outcome measure")),
    (("lead@london.example.nhs.uk", "Clinical lead", False),
     ("member@london.example.nhs.uk", "FCP and data lead", False),
     ("lived.experience@london.example.org", "Lived-experience partner", True)),
)

BACK_PAIN = DemoProject(
    "london", "Adoption of the National Back Pain Pathway across London",
    "Adoption of the National Back Pain Pathway across London",
    "By March 2028, every London ICB triages back pain with the National Back "
    "Pain Pathway, and spinal MRI requests fall to 12 per 1,000 adults with back "
    "pain.",
    "Back pain care differs by borough: who is imaged, referred to surgery or "
    "offered a combined physical and psychological programme.",
    "spinal-services", "long", ("QRV", "QMJ", "QMF", "QKK", "QWE"), 24,
    {"Consistent triage at every front door": {
        "Clinicians know the pathway": ["Pathway training for FCPs and GPs"],
        "Triage tools match the pathway": ["STarT Back in the referral form"]},
     "Imaging only when it changes care": {
        "Requests are checked against the pathway": [("Radiology vetting with "
                                                     "pathway criteria")]}},
    (DemoMeasure("outcome", "Spinal MRI requests per 1,000 adults with back pain",
                 "Lumbar spine MRI requests from primary and community care per "
                 "1,000 adults coded with low back pain.", "per 1,000",
                 "decrease", 12, trend(19, -0.38, 0.08, after=8),
                 {8: "STarT Back in referral form"}),
     DemoMeasure("process", "Referrals triaged with the pathway tool",
                 "Back pain referrals with a completed STarT Back score, as a "
                 "percentage.", "%", "increase", 90,
                 shift(22, 58, 9, 4.0), {9: "Form changed"})),
    (DemoCycle("STarT Back in the referral form", "STarT Back field in one ICB",
               "Add a mandatory STarT Back field to the FCP referral form",
               "North Central London MSK service", "Half of referrals carry a score.",
               8, "Referrals triaged with the pathway tool",
               "Live for a month.", "54% scored: as predicted.", "adopt",
               "Roll out to the other ICBs."),
     DemoCycle("Radiology vetting with pathway criteria", "Vetting MRI requests",
               "Radiologists vet requests against pathway criteria for a month",
               "Two radiologists", "One in five requests redirected.", 16,
               "Spinal MRI requests per 1,000 adults with back pain",
               "Vetting took 3 minutes a request.", "", "", "")),
    ((0, "scoping", "1.0", "Pathway leads named in each ICB"),
     (6, "testing", "2.0", "First changes planned"),
     (10, "testing", "2.5", "Triage tool tested; outcome not yet moving"),
     (20, "testing", "3.0", "MRI requests trending down")),
    (("steering@london.example.nhs.uk", "Commissioning lead", False),
     ("lead@london.example.nhs.uk", "Clinical lead", False)),
)

FALLS = DemoProject(
    "london", "Falls and fracture prevention: fracture liaison in two ICBs", "",
    "By December 2027, 70% of people over 50 with a fragility fracture in North "
    "East and North Central London are assessed by a fracture liaison service "
    "within 12 weeks.",
    "Two ICBs have no fracture liaison service, so fragility fractures go without "
    "bone health assessment and second fractures follow.",
    "falls-fracture-prevention", "long", ("QMF", "QMJ"), 24,
    {"Every fragility fracture is found": {
        "Fractures are flagged in A&E and clinics": [("Fracture flag in the ED "
                                                     "system")]},
     "Everyone found is assessed": {
        "Enough FLS clinician time": ["Virtual FLS clinic"]}},
    (DemoMeasure("outcome", "Assessed by FLS within 12 weeks",
                 "People over 50 with a fragility fracture assessed by a fracture "
                 "liaison service within 12 weeks, as a percentage.", "%",
                 "increase", 70, flat(34, 2.4, spike=21, size=14),
                 {21: "Locum FLS nurse"}),
     DemoMeasure("balancing", "FLS waiting list",
                 "People waiting for a fracture liaison assessment at month end.",
                 "people", "decrease", None, flat(120, 7), places=0)),
    (DemoCycle("Fracture flag in the ED system", "ED fracture flag pilot",
               "Emergency department staff add a fragility fracture flag",
               "ED at one trust", "Flags on 60% of eligible attendances.", 20,
               "Assessed by FLS within 12 weeks"),),
    ((0, "scoping", "1.0", "Started directly by the network lead"),
     (12, "testing", "2.0", "First cycle planned")),
    (("lead@london.example.nhs.uk", "Sponsor's delegate", False),),
)

LEAFLET = DemoProject(
    "london", "Back pain self-management leaflets in GP waiting rooms", "",
    "By March 2026, 30% fewer people with simple back pain book a second GP "
    "appointment within 6 weeks in three practices.",
    "People with simple back pain come back to the GP for reassurance.",
    "long-term-conditions", "short", ("QMF",), 24,
    {"People feel confident managing back pain": {
        "People have good advice": ["Leaflets in waiting rooms",
                                    "Leaflet handed out in consultations"]}},
    (DemoMeasure("outcome", "Second GP appointments for back pain within 6 weeks",
                 "People with back pain who book a second GP appointment within 6 "
                 "weeks, as a percentage of first appointments.", "%", "decrease",
                 15, flat(21, 1.3), {6: "Leaflets in waiting rooms"}),),
    (DemoCycle("Leaflets in waiting rooms", "Leaflets in three waiting rooms",
               "Stock self-management leaflets in three waiting rooms",
               "Practice managers", "Re-attendance falls by a fifth.", 6,
               "Second GP appointments for back pain within 6 weeks",
               "Leaflets were taken but rarely read.",
               "No change: common cause variation throughout.", "adapt",
               "Hand leaflets out in consultations instead."),
     DemoCycle("Leaflet handed out in consultations", "Leaflets in consultations",
               "GPs hand the leaflet over and talk it through",
               "Six GPs", "Re-attendance falls by a fifth.", 10,
               "Second GP appointments for back pain within 6 weeks",
               "GPs forgot under time pressure.", "Still no change.", "abandon",
               "Stop: leaflets alone do not change behaviour.",
               follows="Leaflets in three waiting rooms")),
    ((0, "scoping", "1.0", "Team formed"),
     (5, "testing", "2.0", "Leaflet cycle planned"),
     (12, "testing", "2.5", "Changes tested, no improvement")),
    (("member@london.example.nhs.uk", "Project lead", False),
     ("lived.experience@london.example.org", "Lived-experience partner", True)),
    learning="Leaflets alone, in waiting rooms or handed over in consultations, did "
    "not change re-attendance: the series stayed in common cause variation for two "
    "years. People told us they wanted a conversation, not a leaflet. The First-"
    "contact physiotherapy project builds on this: an early FCP assessment with "
    "advice did reduce GP re-attendance.",
)

OPIOIDS = DemoProject(
    "nenc", "Opioid tapering in chronic pain",
    "Opioid deprescribing clinics in primary care",
    "By March 2027, the number of adults on 120 mg oral morphine equivalent a day or "
    "more falls by a third in the North East and North Cumbria, with no rise in "
    "pain-related A&E attendances.",
    "High-dose opioid prescribing in the North East is among the highest in "
    "England.",
    "persistent-pain-opioids", "short", ("QHM",), 36,
    {"People on high doses are reviewed": {
        "Practices find the right people": ["Prescribing search in every practice"],
        "Pharmacists have time for reviews": [("Deprescribing clinics run by PCN "
                                              "pharmacists")]},
     "People feel supported to taper": {
        "Support beyond medicines": ["Pain psychology group",
                                     "Link worker follow-up"]}},
    (DemoMeasure("outcome", "Adults on 120 mg OME a day or more per 10,000",
                 "Adults prescribed opioids at 120 mg oral morphine equivalent a day "
                 "or more, per 10,000 registered adults, at month end.",
                 "per 10,000", "decrease", 18, shift(27, 21, 15, 1.0),
                 {15: "Deprescribing clinics open", 27: "Psychology group starts"},
                 quintiles=(5, 3, 0, -2, -4), rebase_at=15,
                 rebase_reason="Deprescribing clinics adopted in every PCN: new "
                 "limits show whether the lower level holds."),
     DemoMeasure("process", "Structured medication reviews completed",
                 "Structured medication reviews for people on high-dose opioids "
                 "completed in the month.", "reviews", "increase", None,
                 trend(40, 4.5, 1.2, after=12), {12: "Practice search live"},
                 places=0),
     DemoMeasure("balancing", "Pain-related A&E attendances per 10,000",
                 "A&E attendances coded with pain by people on long-term opioids, "
                 "per 10,000 registered adults.", "per 10,000", "decrease", None,
                 flat(8.5, 0.7, spike=30, size=3.8), {30: "Heatwave"})),
    (DemoCycle("Prescribing search in every practice", "Search in two practices",
               "Run the high-dose search and invite people to review",
               "Two practice pharmacists", "Twenty people invited in a month.", 12,
               "Structured medication reviews completed",
               "26 people invited; 19 came.", "Better than predicted.", "adopt",
               "Search in every practice."),
     DemoCycle("Deprescribing clinics run by PCN pharmacists",
               "Pilot deprescribing clinic",
               "A weekly clinic in one PCN for people on high doses",
               "PCN pharmacist with GP champion",
               "A fifth of attendees reduce their dose within 3 months.", 14,
               "Adults on 120 mg OME a day or more per 10,000",
               "Ran for 8 weeks; 34 people seen.",
               "Nine in 34 reduced their dose: above the prediction.", "adopt",
               "A clinic in every PCN."),
     DemoCycle("Pain psychology group", "Pain psychology group",
               "A six-week group for people tapering", "Clinical psychologist",
               "People tapering report less fear.", 27,
               "Adults on 120 mg OME a day or more per 10,000",
               "Two groups ran.", "", "", "")),
    ((0, "scoping", "1.0", "Started from the selected nomination"),
     (6, "scoping", "1.5", "Baseline and driver diagram"),
     (11, "testing", "2.0", "Cycles planned"),
     (15, "testing", "3.0", "Clinics reduced high doses"),
     (20, "implementing", "3.5", "Clinics in every PCN"),
     (32, "spreading", "4.0", "Shift sustained; spreading to Cumbria")),
    (("lead@nenc.example.nhs.uk", "Clinical lead", False),
     ("steering@nenc.example.nhs.uk", "Pharmacy lead", False),
     ("member@nenc.example.nhs.uk", "Link worker lead", False),
     ("lived.experience@nenc.example.org", "Lived-experience partner", True)),
)

PROJECTS = (FCP, BACK_PAIN, FALLS, LEAFLET, OPIOIDS)
SPONSORS = {"london": "steering@london.example.nhs.uk",
            "nenc": "steering@nenc.example.nhs.uk"}
LEADS = {"london": "lead@london.example.nhs.uk", "nenc": "lead@nenc.example.nhs.uk"}


class Loader:
    def __init__(self) -> None:
        self.rng = random.Random(SEED)  # noqa: S311 (synthetic data, not secrets)
        self.now = timezone.now()
        self.today = timezone.localdate()

    def user(self, email: str) -> User:
        return User.objects.get(email=email)

    def when(self, months: list[dt.date], index: int) -> dt.datetime:
        day = months[min(index, len(months) - 1)] + timedelta(days=9)
        return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))

    def load(self, spec: DemoProject) -> QIProject:
        network = Network.objects.get(slug=spec.network)
        lead = self.user(LEADS[spec.network])
        months = months_back(spec.months, self.today)
        nomination = (Nomination.objects.for_network(network)
                      .filter(title=spec.nomination, decision=Decision.SELECTED,
                              project__isnull=True).first()
                      if spec.nomination else None)
        if nomination is not None:
            project = actions.start_project_from_nomination(
                nomination=nomination, by=lead, aim=spec.aim,
                sponsor=self.user(SPONSORS[spec.network]))
            if project.title != spec.title:
                actions.update_project(project=project, by=lead, title=spec.title)
        else:
            project = actions.start_project(
                network=network, by=lead, title=spec.title, aim=spec.aim,
                problem=spec.problem, sponsor=self.user(SPONSORS[spec.network]),
                icbs=ICB.objects.filter(ods_code__in=spec.icbs),
                topic=Topic.objects.filter(network=network, slug=spec.topic).first(),
                term=spec.term)
        for email, role, lived in spec.team:
            actions.add_team_member(project=project, by=lead, user=self.user(email),
                                    role=role, lived_experience=lived)
        ideas = self.drivers(project, lead, spec)
        # The team's data lead, if it has one, keeps the measures up to date.
        owner = next((self.user(email) for email, role, _ in spec.team
                      if "data" in role.lower()), None)
        measures = {m.name: self.measure(project, lead, m, months, owner)
                    for m in spec.measures}
        self.cycles(project, lead, spec, ideas, measures, months)
        self.progress(project, lead, spec, months)
        if spec.learning:
            actions.close_project(project=project, by=lead, learning=spec.learning)
            closed = self.when(months, spec.months - 1)
            QIProject.objects.filter(pk=project.pk).update(closed_at=closed)
            ProgressChange.objects.filter(project=project, stage_to=Stage.CLOSED
                                          ).update(at=closed)
        QIProject.objects.filter(pk=project.pk).update(
            created_at=self.when(months, 0) - timedelta(days=5))
        ProgressChange.objects.filter(project=project, stage_from="").update(
            at=self.when(months, 0) - timedelta(days=5))
        return project

    def drivers(self, project: QIProject, by: User, spec: DemoProject
                ) -> dict[str, object]:
        ideas = {}
        for primary, secondaries in spec.drivers.items():
            p = actions.add_node(project=project, by=by, text=primary)
            for secondary, change_ideas in secondaries.items():
                s = actions.add_node(project=project, by=by, text=secondary, parent=p)
                for idea in change_ideas:
                    ideas[idea] = actions.add_node(project=project, by=by, text=idea,
                                                   parent=s)
        return ideas

    def measure(self, project: QIProject, by: User, spec: DemoMeasure,
                months: list[dt.date], owner: User | None = None):
        measure = actions.add_measure(
            project=project, by=by, kind=spec.kind, name=spec.name,
            definition=spec.definition, unit=spec.unit, improvement=spec.improvement,
            target=spec.target, owner=owner)
        n = len(months)
        points = []
        for i, period in enumerate(months):
            value = round(spec.shape(i, n, self.rng), spec.places)
            points.append(DataPoint(measure=measure, period=period, value=value,
                                    annotation=spec.notes.get(i, ""), created_by=by))
            for q, offset in enumerate(spec.quintiles, start=1):
                points.append(DataPoint(
                    measure=measure, period=period, quintile=q, created_by=by,
                    value=round(value + offset + self.rng.gauss(0, NOISE),
                                spec.places)))
        DataPoint.objects.bulk_create(points)
        if spec.rebase_at is not None:
            rebase = actions.rebase_measure(measure=measure, by=by,
                                            period=months[spec.rebase_at],
                                            reason=spec.rebase_reason)
            rebase.at = self.when(months, min(spec.rebase_at + 4, n - 1))
            rebase.save(update_fields=["at"])
        return measure

    def cycles(self, project: QIProject, by: User, spec: DemoProject,
               ideas: dict[str, object], measures: dict[str, object],
               months: list[dt.date]) -> None:
        made: dict[str, Cycle] = {}
        for c in spec.cycles:
            cycle = actions.plan_cycle(
                project=project, by=by, change_idea=ideas[c.change_idea],  # type: ignore[arg-type]
                title=c.title, plan_what=c.what, plan_who=c.who,
                plan_when=months[c.month], prediction=c.prediction,
                measure=measures.get(c.measure),  # type: ignore[arg-type]
                previous=made.get(c.follows))
            if c.done:
                actions.update_cycle(cycle=cycle, by=by, do_notes=c.done,
                                     study_notes=c.study, act=c.act,
                                     act_notes=c.act_notes)
            Cycle.objects.filter(pk=cycle.pk).update(
                created_at=self.when(months, max(c.month - 1, 0)),
                updated_at=self.when(months, c.month + 1))
            made[c.title] = cycle

    def progress(self, project: QIProject, by: User, spec: DemoProject,
                 months: list[dt.date]) -> None:
        for month, stage, score, note in spec.progress:
            change = actions.update_progress(project=project, by=by, stage=stage,
                                             score=Decimal(score), note=note)
            if change is not None:
                ProgressChange.objects.filter(pk=change.pk).update(
                    at=self.when(months, month))


def load_demo_improvement() -> list[QIProject]:
    """The demo's improvement projects; run inside the demo loader's transaction."""
    loader = Loader()
    return [loader.load(spec) for spec in PROJECTS]
