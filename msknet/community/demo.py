"""Demo events and resources for both demo networks.

A year of past quarterly community of practice meetings with attendance,
slides and recordings; upcoming events with registrations, one of them full
with a waiting list; and the resource library (see `demo_content`). Runs
inside the demo loader's transaction, after the networks and members exist.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from msknet.core.dates import is_working_day
from msknet.members.models import Membership, Network, Sector, User

from .actions import events as event_actions
from .actions import resources as resource_actions
from .demo_content import RESOURCES
from .models import (
    Attendance,
    Event,
    EventKind,
    EventMaterial,
    MaterialKind,
    Registration,
    RegistrationStatus,
    Visibility,
)

SEED = 2026


@dataclass(frozen=True)
class NetworkEvents:
    cop_title: str
    cop_place: str
    cop_description: str
    webinar: tuple[str, str]
    full_event: tuple[str, str, str]


EVENTS = {
    "nenc": NetworkEvents(
        cop_title="Pain and Spinal Pain community of practice",
        cop_place="Durham County Hall, Durham DH1 5UL",
        cop_description=(
            "Our quarterly meeting, in person with an online link. Members share "
            "work in progress on persistent pain and spinal pathways, hear from a "
            "guest speaker and plan the next quarter. Everyone working on pain and "
            "spinal pain in the North East and North Cumbria is welcome."
        ),
        webinar=(
            "Webinar: the NICE chronic pain guideline (NG193) in primary care",
            ("A one-hour webinar on putting NG193 into practice: assessing all "
            "chronic pain, exercise and psychological therapies, and conversations "
            "about stopping medicines that do not help."),
        ),
        full_event=(
            ("North East back pain event: the National Back Pain and Radicular Pain "
            "Pathway"),
            "Newcastle Civic Centre, Barras Bridge, Newcastle upon Tyne NE1 8QH",
            ("A regional half-day on the National Back Pain and Radicular Pain "
            "Pathway: first contact practitioners, spinal triage and NICE NG59, "
            "with people who use back pain services."),
        ),
    ),
    "london": NetworkEvents(
        cop_title="London MSK community of practice",
        cop_place="Health Innovation Network, 1 Southwark Street, London SE1 1RQ",
        cop_description=(
            "Our quarterly community of practice: improvement stories from across "
            "London's five ICBs, a guest speaker and time to connect with people "
            "working on the same problems."
        ),
        webinar=(
            "Webinar: opioid reduction in persistent pain",
            ("Pharmacists and GPs share how structured medication reviews and "
            "tapering support reduced high-dose opioid prescribing (NICE NG215)."),
        ),
        full_event=(
            "Spinal pathway workshop",
            "St Aldric's University Hospital education centre, London SE5 9RS",
            ("A hands-on workshop for teams redesigning spinal triage in line with "
            "NICE NG59 and the national pathway. Places are limited."),
        ),
    ),
}
SEASONS = ("winter", "spring", "summer", "autumn")


def at(day: datetime, hour: int, minute: int = 0) -> datetime:
    """That time of day on `day`, or on the next working day if it is not one."""
    local = timezone.localtime(day)
    while not is_working_day(local.date()):
        local += timedelta(days=1)
    return local.replace(hour=hour, minute=minute, second=0, microsecond=0)


def season(day: datetime) -> str:
    """December to February is winter, March to May spring, and so on."""
    return SEASONS[timezone.localtime(day).month % 12 // 3]


class CommunityDemo:
    def __init__(self, *, now: datetime) -> None:
        self.now = now
        self.rng = random.Random(SEED)  # noqa: S311 - repeatable demo data

    def load(self) -> None:
        for network in Network.objects.filter(slug__in=EVENTS).order_by("slug"):
            self.load_network(network, EVENTS[network.slug])

    def logins(self, network: Network) -> dict[str, User]:
        slug = network.slug
        emails = {
            "lead": f"lead@{slug}.example.nhs.uk",
            "steering": f"steering@{slug}.example.nhs.uk",
            "member": f"member@{slug}.example.nhs.uk",
            "lived": f"lived.experience@{slug}.example.org",
        }
        users = {u.email: u for u in User.objects.filter(email__in=emails.values())}
        return {role: users[email] for role, email in emails.items() if email in users}

    def load_network(self, network: Network, text: NetworkEvents) -> None:
        logins = self.logins(network)
        pool = list(
            Membership.objects.filter(network=network)
            .exclude(user__in=logins.values())
            .exclude(~Q(user__is_active=True))
            .select_related("user")
            .order_by("pk")
        )
        people = [m.user for m in pool]
        lead = logins["lead"]
        self.past_meetings(network, text, lead, people)
        self.upcoming(network, text, logins, people)
        self.library(network, logins, pool)

    def create(self, network: Network, by: User, **fields: object) -> Event:
        event = event_actions.create_event(network=network, by=by, **fields)
        created = min(self.now, event.starts_at) - timedelta(days=42)
        Event.objects.filter(pk=event.pk).update(created_at=created, updated_at=created)
        event.refresh_from_db()
        return event

    def past_meetings(
        self, network: Network, text: NetworkEvents, lead: User, people: list[User]
    ) -> None:
        """Four quarterly meetings over the past year, with who came."""
        for quarter in range(4, 0, -1):
            day = at(self.now - timedelta(days=91 * quarter + 14), 13, 30)
            event = self.create(
                network, lead,
                title=f"{text.cop_title}: {season(day)} {day.year} meeting",
                kind=EventKind.COMMUNITY_OF_PRACTICE,
                description=text.cop_description,
                starts_at=day, ends_at=day + timedelta(hours=2, minutes=30),
                place=text.cop_place, online_url="https://example.org/msknet-demo/join",
                capacity=80, visibility=Visibility.MEMBERS,
            )
            chosen = self.rng.sample(people, min(len(people), self.rng.randint(24, 40)))
            asked = day - timedelta(days=30)
            Registration.objects.bulk_create(
                Registration(
                    event=event, user=person, status=RegistrationStatus.REGISTERED,
                    queued_at=asked + timedelta(hours=i * 7),
                    registered_at=asked + timedelta(hours=i * 7),
                    attendance=(Attendance.ATTENDED if self.rng.random() < 0.8
                                else Attendance.DID_NOT_ATTEND),
                    attendance_recorded_at=day + timedelta(days=1),
                    attendance_recorded_by=lead,
                    reminder_sent_at=day - timedelta(hours=20),
                )
                for i, person in enumerate(chosen)
            )
            EventMaterial.objects.bulk_create([
                EventMaterial(event=event, kind=MaterialKind.SLIDES,
                              title=f"Slides: {season(day)} {day.year} meeting",
                              url=f"https://example.org/msknet-demo/{network.slug}/"
                                  f"cop-{day:%Y-%m}-slides",
                              created_by=lead, created_at=day + timedelta(days=2)),
                EventMaterial(event=event, kind=MaterialKind.RECORDING,
                              title=f"Recording: {season(day)} {day.year} meeting",
                              url=f"https://example.org/msknet-demo/{network.slug}/"
                                  f"cop-{day:%Y-%m}-recording",
                              created_by=lead, created_at=day + timedelta(days=2)),
            ])

    def upcoming(
        self, network: Network, text: NetworkEvents, logins: dict[str, User],
        people: list[User],
    ) -> None:
        lead, steering = logins["lead"], logins["steering"]
        next_cop = at(self.now + timedelta(days=26), 13, 30)
        cop = self.create(
            network, lead,
            title=f"{text.cop_title}: {season(next_cop)} {next_cop.year} meeting",
            kind=EventKind.COMMUNITY_OF_PRACTICE, description=text.cop_description,
            starts_at=next_cop, ends_at=next_cop + timedelta(hours=2, minutes=30),
            place=text.cop_place, online_url="https://example.org/msknet-demo/join",
            capacity=80, visibility=Visibility.MEMBERS,
        )
        webinar_day = at(self.now + timedelta(days=10), 12, 30)
        webinar = self.create(
            network, steering, title=text.webinar[0], kind=EventKind.WEBINAR,
            description=text.webinar[1], starts_at=webinar_day,
            ends_at=webinar_day + timedelta(hours=1),
            online_url="https://example.org/msknet-demo/webinar",
            visibility=Visibility.PUBLIC,
        )
        full_day = at(self.now + timedelta(days=41), 9, 30)
        full = self.create(
            network, lead, title=text.full_event[0], kind=EventKind.REGIONAL,
            description=text.full_event[2], place=text.full_event[1],
            starts_at=full_day, ends_at=full_day + timedelta(hours=4),
            capacity=12, visibility=Visibility.PUBLIC,
        )
        sample = self.rng.sample(people, min(len(people), 40))
        for person in [logins["member"], logins["lived"], *sample[:16]]:
            event_actions.register(event=cop, by=person)
        for person in [logins["lived"], *sample[16:26]]:
            event_actions.register(event=webinar, by=person)
        # Twelve places and fifteen people: the demo member is second in the queue.
        for person in [*sample[26:38], sample[38], logins["member"], sample[39]]:
            event_actions.register(event=full, by=person)

    def library(
        self, network: Network, logins: dict[str, User], pool: list[Membership]
    ) -> None:
        topics = {t.slug: t for t in network.topics.all()}
        authors = [logins["lead"], logins["steering"], logins["member"],
                   *[m.user for m in pool if m.sector != Sector.LIVED_EXPERIENCE][:5]]
        for i, text in enumerate(RESOURCES):
            by = authors[i % len(authors)]
            resource = resource_actions.add_resource(
                network=network, by=by, title=text.title, summary=text.summary,
                kind=text.kind, url=text.url, publisher=text.publisher,
                published_on=text.published_on,
                visibility=Visibility.PUBLIC if text.public else Visibility.MEMBERS,
                topics=[topics[slug] for slug in text.topics if slug in topics],
                audiences=text.audiences,
            )
            added = self.now - timedelta(days=400 - i * 11)
            type(resource).objects.filter(pk=resource.pk).update(
                created_at=added, updated_at=added
            )


def load_demo_community(now: datetime | None = None) -> None:
    """Events and resources for the demo networks (inside the demo transaction)."""
    CommunityDemo(now=now or timezone.now()).load()
