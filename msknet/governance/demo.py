"""Demo governance for each demo network: a steering group with approved and
draft terms of reference, three topic subgroups, a year of quarterly meetings
with agendas, attendance, minutes, decisions and actions, and the programme
timeline. Every person is one of the synthetic demo members."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from msknet.core.dates import is_working_day
from msknet.members.models import Membership, Network, Role, User

from . import actions
from .models import ActionStatus, AttendanceStatus, Group, GroupKind, GroupRole

SEED = 2026
LONDON_TZ = ZoneInfo("Europe/London")

STEERING_TERMS_V1 = """Purpose
The steering group sets the network's priorities, oversees its subgroups and \
quality improvement projects, and holds the network to its vision of better \
MSK health for everyone it serves.

Membership
A lead from each integrated care board, the network leads, at least two \
people with lived experience of MSK conditions, and representatives of \
primary, community and secondary care, public health and the voluntary sector.
The chair is a network lead; the vice chair is elected by the group each year.

Quorum
Six members, including the chair or vice chair and one person with lived \
experience.

Frequency
The group meets quarterly, online, for two hours. Papers are circulated a \
week before each meeting.

Decisions
Decisions are made by consensus; where there is none, by a simple majority of \
members present. Every decision is recorded in the network's decision log.

Reporting
The steering group reports to the ICB MSK programme boards twice a year. \
Subgroups report to each steering group meeting.

Review
These terms of reference are reviewed every year."""

STEERING_TERMS_V2 = STEERING_TERMS_V1.replace(
    "At least two \\\npeople", "At least two people"
).replace(
    "The group meets quarterly, online, for two hours.",
    "The group meets quarterly, alternating online and in person, for two hours.",
).replace(
    "Six members, including",
    "Seven members, including",
) + (
    "\n\nConflicts of interest\nMembers declare any interest in an item at the "
    "start of the meeting; the chair decides whether they take part."
)

@dataclass(frozen=True)
class Subgroup:
    name: str
    purpose: str
    decisions: tuple[str, ...]  # one for each past meeting, each made once


# Each network's own subgroups: London's five ICBs, and the North East and
# North Cumbria pain and spinal pain community of practice (one ICB, many places).
SUBGROUPS = {
    "london": (
        Subgroup("Back pain pathway group",
                 "Agrees one evidence-based pathway for low back pain and radicular "
                 "pain across the network's ICBs, from first contact to specialist "
                 "spinal care, and tracks waiting times and outcomes against it.",
                 (("Adopt the national low back pain pathway as the network's "
                  "standard, with local referral criteria for each ICB."),
                  ("Add a STarT Back score to every first contact physiotherapy "
                  "referral form."))),
        Subgroup("Opioid reduction group",
                 "Reduces long-term opioid prescribing for chronic primary pain, "
                 "working with practice pharmacists, pain services and people with "
                 "lived experience on tapering support and alternatives.",
                 (("Prioritise opioid tapering support in the network's next "
                  "quality improvement round."),
                  ("Share opioid prescribing figures by PCN with practice "
                  "pharmacists every quarter."))),
        Subgroup("Inequalities and lived experience group",
                 "Makes sure the network's work narrows inequalities in MSK health: "
                 "co-produces projects with people who live with MSK conditions and "
                 "checks each priority for its effect on the most deprived "
                 "communities.",
                 (("Fund lived-experience members' time at the standard NHS "
                  "involvement rate."),
                  ("Check every new priority for its effect on the most deprived "
                  "communities before it is ranked."))),
    ),
    "nenc": (
        Subgroup("Persistent pain practice group",
                 "Shares what works in persistent pain services across North East "
                 "and North Cumbria: pain management programmes, social "
                 "prescribing and support to live well with pain.",
                 (("Offer a pain management programme place within 12 weeks in "
                  "every place."),
                  ("Add social prescribing link workers to the community of "
                  "practice's mailing list."))),
        Subgroup("Spinal pain pathway group",
                 "Agrees one pathway for spinal pain across the region's places, "
                 "from first contact to specialist spinal services, and tracks "
                 "waits and outcomes against it.",
                 (("Adopt the national low back pain pathway in every place, "
                  "starting with Tees Valley and Gateshead."),
                  ("Ask the regional spinal service to publish its waiting times "
                  "monthly."))),
        Subgroup("Opioid stewardship group",
                 "Helps practices taper long-term opioids safely, with practice "
                 "pharmacists, pain services and people with lived experience.",
                 ("Use the regional opioid tapering guide in every practice.",
                  ("Share opioid prescribing by practice with primary care network "
                  "pharmacists every quarter."))),
    ),
}

AGENDA = (
    "Welcome, apologies and declarations of interest",
    "Minutes and actions from the last meeting",
    "Subgroup reports",
    "Prescribing and population health data",
    "Any other business",
)

# Decisions the steering group makes, one at each past meeting, each once.
STEERING_DECISIONS = {
    "london": (
        ("Publish the network's MSK data pack quarterly on the population health "
        "pages."),
        "Form a short-life working group on falls and fracture prevention.",
        "Approve the communications plan for the go-live phase.",
        "Ask each ICB to name an MSK data lead by the next meeting.",
        "Hold the annual network event in person, with online access.",
    ),
    "nenc": (
        ("Publish the region's pain data pack quarterly on the population health "
        "pages."),
        "Fund lived-experience members' time at the standard NHS involvement rate.",
        "Approve the community of practice's communications plan.",
        "Ask each place to name a persistent pain lead by the next meeting.",
        ("Hold the annual community of practice event in Newcastle, with online "
        "access."),
    ),
}

ACTIONS = (
    "Circulate the draft pathway to ICB clinical leads for comment",
    "Share opioid prescribing figures by PCN with practice pharmacists",
    "Arrange a lived-experience workshop on tapering support",
    "Update the network's communications plan",
    "Collect each ICB's MSK waiting times for the next data pack",
    "Draft the falls working group's terms of reference",
    "Book the venue for the annual network event",
    "Write to ICBs asking them to name an MSK data lead",
)


@dataclass(frozen=True)
class Timeline:
    phases: tuple[tuple[str, date, date | None, str, str], ...]
    milestones: tuple[tuple[date, str, bool], ...]


TIMELINES = {
    "london": Timeline(
        phases=(
            ("Scoping", date(2022, 7, 1), date(2022, 11, 30), "complete",
             "Mapping services, data and people across the five ICBs."),
            ("Set-up", date(2022, 11, 1), date(2023, 4, 30), "complete",
             "Forming the steering group and subgroups; agreeing priorities."),
            ("Go live", date(2023, 4, 1), None, "in_progress",
             "Running improvement projects and sharing results."),
        ),
        milestones=(
            (date(2022, 9, 15), "Stakeholder mapping complete", True),
            (date(2022, 12, 7), "First steering group meeting", True),
            (date(2023, 1, 18), "Steering group terms of reference approved", True),
            (date(2023, 4, 19), "Network launch event", True),
            (date(2024, 3, 31), "First quality improvement projects report", True),
            (date(2026, 3, 31), "Back pain pathway adopted in every ICB", False),
        ),
    ),
    "nenc": Timeline(
        phases=(
            ("Scoping", date(2023, 1, 1), date(2023, 6, 30), "complete",
             "Mapping MSK services and data across the region."),
            ("Set-up", date(2023, 6, 1), date(2023, 11, 30), "complete",
             "Forming the steering group and subgroups."),
            ("Go live", date(2023, 11, 1), None, "in_progress",
             "Running improvement projects and sharing results."),
        ),
        milestones=(
            (date(2023, 3, 20), "Stakeholder mapping complete", True),
            (date(2023, 7, 12), "First steering group meeting", True),
            (date(2023, 9, 6), "Steering group terms of reference approved", True),
            (date(2023, 11, 22), "Network launch event", True),
            (date(2026, 6, 30), "Opioid tapering support in every place", False),
        ),
    ),
}


def load_demo_governance(*, now: datetime | None = None) -> None:
    """Governance for every demo network present (london, nenc)."""
    now = now or timezone.now()
    rng = random.Random(SEED)  # noqa: S311 - made-up meetings, not secrets
    for network in Network.objects.filter(slug__in=TIMELINES).order_by("slug"):
        DemoGovernance(network=network, now=now, rng=rng).load()


class DemoGovernance:
    def __init__(self, *, network: Network, now: datetime, rng: random.Random):
        self.network = network
        self.now = now
        self.rng = rng
        memberships = list(
            Membership.objects.filter(network=network).select_related("user")
            .order_by("pk")
        )
        self.by_email = {m.user.email: m.user for m in memberships}
        self.lead = self.login("lead")
        self.member = self.login("member")
        self.steering_members = [m.user for m in memberships
                                 if m.role in (Role.STEERING, Role.LEAD)]
        self.others = [m.user for m in memberships if m.role == Role.MEMBER]

    def login(self, name: str) -> User:
        return next(user for email, user in self.by_email.items()
                    if email.startswith(f"{name}@"))

    def load(self) -> None:
        self.add_timeline()
        steering = actions.create_group(
            network=self.network, by=self.lead, name="Steering group",
            kind=GroupKind.STEERING, chair=self.lead,
            purpose="Sets the network's priorities and oversees its subgroups and "
            "improvement projects.",
        )
        self.add_terms(steering)
        self.decisions: dict[int, list[str]] = {
            steering.pk: list(STEERING_DECISIONS[self.network.slug])}
        where = "each ICB" if self.network.icbs.count() > 1 else "each place"
        subgroups = []
        for n, spec in enumerate(SUBGROUPS[self.network.slug]):
            name, purpose = spec.name, spec.purpose
            chair = self.steering_members[(n + 1) % len(self.steering_members)]
            group = actions.create_group(network=self.network, by=self.lead,
                                         name=name, purpose=purpose, chair=chair)
            self.decisions[group.pk] = list(spec.decisions)
            for user in self.rng.sample(self.others, 6):
                actions.set_group_member(group=group, by=self.lead, user=user)
            if n == 0:
                actions.set_group_member(group=group, by=self.lead, user=self.member)
            actions.save_terms_draft(
                group=group, by=chair,
                text=f"Purpose\n{purpose}\n\nMembership\nThe chair, clinicians from "
                f"{where} and at least one person with lived experience.\n\nQuorum\n"
                "Four members.\n\nFrequency\nEvery two months, online.\n\nReporting\n"
                "A written report to each steering group meeting.",
                change_summary="First version",
            )
            subgroups.append(group)
        # A year of quarterly steering group meetings and one to come.
        for quarter in range(4, -1, -1):
            self.add_meeting(steering, self.meeting_time(quarter * 91 - 30),
                             "Steering group")
        for group in subgroups:
            for months_ago in (5, 2):
                self.add_meeting(group, self.meeting_time(months_ago * 30 + 10),
                                 group.name)

    def meeting_time(self, days_ago: int) -> datetime:
        day = timezone.localtime(self.now, LONDON_TZ).date() - timedelta(days=days_ago)
        # Wednesdays, and never a bank holiday (Christmas or New Year's Day).
        while day.weekday() != 2 or not is_working_day(day):
            day -= timedelta(days=1)
        return datetime.combine(day, time(14, 0), tzinfo=LONDON_TZ)

    def add_timeline(self) -> None:
        timeline = TIMELINES[self.network.slug]
        for title, starts, ends, status, description in timeline.phases:
            actions.save_phase(network=self.network, by=self.lead, title=title,
                               starts_on=starts, ends_on=ends, status=status,
                               description=description)
        for due, title, done in timeline.milestones:
            actions.save_milestone(network=self.network, by=self.lead, title=title,
                                   due_on=due, done=done)

    def add_terms(self, steering: Group) -> None:
        first_meeting = TIMELINES[self.network.slug].milestones[2][0]
        v1 = actions.save_terms_draft(group=steering, by=self.lead,
                                      text=STEERING_TERMS_V1,
                                      change_summary="First version")
        actions.approve_terms(terms=v1, by=self.lead, approved_on=first_meeting,
                              approved_by_group=steering.name)
        actions.save_terms_draft(
            group=steering, by=self.lead, text=STEERING_TERMS_V2,
            change_summary="Meetings alternate online and in person; quorum of "
            "seven; conflicts of interest added",
        )

    def add_meeting(self, group: Group, starts_at: datetime, label: str) -> None:
        when = starts_at.strftime("%B %Y")
        past = starts_at < self.now
        meeting = actions.create_meeting(
            group=group, by=self.lead, title=f"{label}, {when}",
            starts_at=starts_at, ends_at=starts_at + timedelta(hours=2),
            online_link="https://teams.example.nhs.uk/meeting/"
            f"{self.network.slug}-{group.slug}-{starts_at:%Y%m%d}",
        )
        members = list(group.memberships.select_related("user"))
        chair = next((m.user for m in members if m.role == GroupRole.CHAIR), self.lead)
        items = []
        for position, title in enumerate(AGENDA, start=1):
            minutes = ""
            if past:
                minutes = (f"{title}: discussed and noted. The chair thanked "
                           "everyone for their contributions.")
            items.append(actions.save_agenda_item(
                meeting=meeting, by=self.lead, title=title, position=position,
                owner=chair if position < 3 else self.rng.choice(members).user,
                minutes=minutes,
            ))
        if not past:
            return
        statuses = {}
        for m in members:
            roll = self.rng.random()
            statuses[m.user_id] = (AttendanceStatus.PRESENT if roll < 0.75
                                   else AttendanceStatus.APOLOGIES)
        actions.record_attendance(meeting=meeting, by=self.lead, statuses=statuses)
        # Each decision is made once, at one meeting, so the log lists it once.
        still_to_make = self.decisions.get(group.pk, [])
        decision = None
        if still_to_make:
            decision = actions.record_decision(
                meeting=meeting, by=self.lead, text=still_to_make.pop(0),
                item=items[2],
            )
        meeting_day = timezone.localtime(starts_at, LONDON_TZ).date()
        owners = [self.member, self.rng.choice(members).user]
        for n, owner in enumerate(owners):
            action = actions.record_action(
                meeting=meeting, by=self.lead, description=self.rng.choice(ACTIONS),
                owner=owner, due_on=meeting_day + timedelta(days=28 + 14 * n),
                item=items[2 + n], decision=decision if n == 0 else None,
            )
            # Older actions are mostly done; some are left open past their date.
            age = (self.now - starts_at).days
            if age > 120 and self.rng.random() < 0.7:
                actions.set_action_status(action=action, by=owner,
                                          status=ActionStatus.DONE)
            elif age > 120 and self.rng.random() < 0.2:
                actions.set_action_status(action=action, by=self.lead,
                                          status=ActionStatus.CANCELLED)
