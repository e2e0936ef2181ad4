"""Synthetic people: names, jobs and what they share, from a seeded generator.

Nothing here is real. Names are drawn from fixed lists, email addresses use
the reserved `example.*` domains and phone numbers Ofcom's drama range
(07700 900000 to 900999).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TypeVar

from msknet.members.models import Leadership, OrganisationType, Profession, Sector

FIRST_NAMES = (
    "Aaliyah", "Abdul", "Adaeze", "Adam", "Aisha", "Alan", "Amara", "Amir",
    "Andrew", "Anjali", "Anna", "Ayesha", "Ben", "Bethany", "Bilal", "Callum",
    "Carmen", "Catherine", "Chen", "Chloe", "Chidi", "Claire", "Connor", "Daniel",
    "Deborah", "Deepa", "Dylan", "Eleanor", "Emeka", "Emily", "Fatima", "Fiona",
    "Gareth", "Grace", "Hannah", "Harpreet", "Hassan", "Helen", "Ibrahim", "Imran",
    "Isla", "Jack", "Jade", "James", "Jasmine", "Joanne", "Joseph", "Kate",
    "Kemi", "Kieran", "Kwame", "Laura", "Leah", "Liam", "Lucy", "Mandeep",
    "Marek", "Maria", "Mark", "Maryam", "Michael", "Mohammed", "Nadia", "Naomi",
    "Neil", "Nia", "Oliver", "Olu", "Paul", "Priya", "Rachel", "Rajesh",
    "Rebecca", "Rhys", "Rosa", "Ruth", "Ryan", "Samira", "Sarah", "Sean",
    "Shanice", "Simon", "Siobhan", "Sophie", "Stephen", "Sunita", "Tariq", "Thomas",
    "Tom", "Usha", "Victoria", "Wei", "Yasmin", "Yusuf", "Zainab", "Zofia",
)

SURNAMES = (
    "Adebayo", "Ahmed", "Ali", "Allen", "Anderson", "Armstrong", "Atkinson",
    "Bailey", "Begum", "Bell", "Bennett", "Brown", "Campbell", "Chen", "Clarke",
    "Collins", "Cooper", "Davies", "Dhillon", "Dixon", "Dodds", "Edwards", "Evans",
    "Fletcher", "Forster", "Gill", "Graham", "Green", "Hall", "Harris", "Hetherington",
    "Hughes", "Hussain", "Iqbal", "Jackson", "James", "Johnson", "Jones", "Kaur",
    "Kelly", "Khan", "Kowalski", "Lee", "Lewis", "Martin", "Mensah", "Miah",
    "Milburn", "Mitchell", "Moore", "Murphy", "Nguyen", "Novak", "O'Brien", "Okafor",
    "Okonkwo", "Osei", "Owen", "Patel", "Phillips", "Quinn", "Rahman", "Richardson",
    "Roberts", "Robinson", "Robson", "Rossi", "Scott", "Shah", "Sharma", "Singh",
    "Smith", "Taylor", "Thompson", "Turner", "Walker", "Ward", "Watson", "White",
    "Williams", "Wilson", "Wright", "Yeung", "Young",
)

JOB_TITLES: dict[str, tuple[str, ...]] = {
    Profession.PHYSIOTHERAPIST: (
        "First contact physiotherapist", "Advanced practice physiotherapist",
        "MSK physiotherapy team lead", "Consultant physiotherapist",
        "Clinical specialist physiotherapist (spinal)",
    ),
    Profession.GP: (
        "GP partner", "Salaried GP", "GP with an extended role in MSK",
        "Clinical director",
    ),
    Profession.NURSE: (
        "Practice nurse", "Rheumatology clinical nurse specialist",
        "Pain management nurse specialist", "Community matron",
    ),
    Profession.PHARMACIST: (
        "Clinical pharmacist", "Medicines optimisation pharmacist",
        "Pain and opioid stewardship pharmacist",
    ),
    Profession.PAIN_SPECIALIST: (
        "Consultant in pain medicine", "Specialist pain practitioner",
    ),
    Profession.SPINAL_SPECIALIST: (
        "Consultant spinal surgeon", "Extended scope spinal practitioner",
    ),
    Profession.ORTHOPAEDIC_SURGEON: (
        "Consultant orthopaedic surgeon", "Specialty registrar, trauma and orthopaedics",
    ),
    Profession.RHEUMATOLOGIST: ("Consultant rheumatologist", "Rheumatology registrar"),
    Profession.OCCUPATIONAL_THERAPIST: (
        "Occupational therapist", "Vocational rehabilitation occupational therapist",
    ),
    Profession.PSYCHOLOGIST: (
        "Clinical psychologist, pain service", "Health psychologist",
    ),
    Profession.PODIATRIST: ("MSK podiatrist", "Podiatry team lead"),
    Profession.MANAGER: (
        "MSK service manager", "Senior commissioning manager, planned care",
        "Programme manager", "Head of planned care transformation",
        "Operational lead, MSK",
    ),
    Profession.ANALYST: (
        "Public health analyst", "Senior business intelligence analyst",
        "Population health analyst",
    ),
    Profession.RESEARCHER: (
        "Senior lecturer in physiotherapy", "Research fellow",
        "Professor of musculoskeletal health", "Programme lead, MSK",
    ),
    Profession.LINK_WORKER: (
        "Social prescribing link worker", "Health and wellbeing coach",
        "Care coordinator",
    ),
    Profession.EMPLOYMENT_ADVISOR: (
        "Employment advisor", "Work and health coach", "Occupational health advisor",
    ),
    Profession.NOT_APPLICABLE: ("",),
    Profession.OTHER: (
        "Exercise instructor", "Patient and public involvement lead",
        "Communications officer", "Education lead", "Charity services manager",
    ),
}


@dataclass(frozen=True)
class SectorProfile:
    """Who works in a sector: how common they are, professions, employers."""

    weight: int
    professions: tuple[str, ...]
    organisation_types: tuple[str, ...]
    nhs_email: bool


SECTORS: dict[str, SectorProfile] = {
    Sector.LIVED_EXPERIENCE: SectorProfile(8, (Profession.NOT_APPLICABLE,), (), False),
    Sector.PRIMARY_CARE: SectorProfile(
        20,
        (Profession.GP, Profession.PHYSIOTHERAPIST, Profession.PHYSIOTHERAPIST,
         Profession.PHARMACIST, Profession.NURSE),
        (OrganisationType.GP_PRACTICE, OrganisationType.PCN),
        True,
    ),
    Sector.COMMUNITY: SectorProfile(
        16,
        (Profession.PHYSIOTHERAPIST, Profession.PHYSIOTHERAPIST,
         Profession.OCCUPATIONAL_THERAPIST, Profession.PODIATRIST,
         Profession.PSYCHOLOGIST, Profession.NURSE),
        (OrganisationType.COMMUNITY_PROVIDER, OrganisationType.NHS_TRUST),
        True,
    ),
    Sector.SECONDARY_CARE: SectorProfile(
        16,
        (Profession.ORTHOPAEDIC_SURGEON, Profession.RHEUMATOLOGIST,
         Profession.SPINAL_SPECIALIST, Profession.PAIN_SPECIALIST,
         Profession.PHYSIOTHERAPIST, Profession.NURSE, Profession.PSYCHOLOGIST),
        (OrganisationType.NHS_TRUST,),
        True,
    ),
    Sector.COMMISSIONER: SectorProfile(
        8, (Profession.MANAGER, Profession.MANAGER, Profession.ANALYST),
        (OrganisationType.ICB,), True,
    ),
    Sector.LOCAL_AUTHORITY: SectorProfile(
        6, (Profession.ANALYST, Profession.MANAGER),
        (OrganisationType.LOCAL_AUTHORITY,), False,
    ),
    Sector.EMPLOYMENT: SectorProfile(
        3, (Profession.EMPLOYMENT_ADVISOR,),
        (OrganisationType.EMPLOYER, OrganisationType.VOLUNTARY), False,
    ),
    Sector.SOCIAL_PRESCRIBING: SectorProfile(
        5, (Profession.LINK_WORKER,),
        (OrganisationType.PCN, OrganisationType.VOLUNTARY), True,
    ),
    Sector.WORKFORCE: SectorProfile(
        4, (Profession.MANAGER, Profession.PHYSIOTHERAPIST, Profession.OTHER),
        (OrganisationType.NHS_TRUST, OrganisationType.ICB,
         OrganisationType.UNIVERSITY), True,
    ),
    Sector.ACADEMIC: SectorProfile(
        7, (Profession.RESEARCHER, Profession.RESEARCHER, Profession.ANALYST,
            Profession.PHYSIOTHERAPIST),
        (OrganisationType.UNIVERSITY, OrganisationType.HEALTH_INNOVATION_NETWORK),
        False,
    ),
    Sector.VOLUNTARY: SectorProfile(
        5, (Profession.OTHER, Profession.MANAGER, Profession.LINK_WORKER),
        (OrganisationType.VOLUNTARY,), False,
    ),
    Sector.OTHER: SectorProfile(2, (Profession.OTHER,), (), False),
}

T = TypeVar("T")

OTHER_ORGANISATIONS = (
    "Independent physiotherapy practice",
    "Leisure centre trust",
    "Self-employed",
    "Community sports club",
    "Private orthopaedic clinic",
)


def sector_mix(count: int, rng: random.Random) -> list[str]:
    """`count` sectors in proportion to their weights, every sector at least once
    when count allows, shuffled."""
    total = sum(profile.weight for profile in SECTORS.values())
    sectors: list[str] = []
    for sector, profile in SECTORS.items():
        sectors += [sector] * max(1, round(count * profile.weight / total))
    rng.shuffle(sectors)
    # Trim or top up to exactly `count`, keeping the rare sectors.
    while len(sectors) > count:
        sectors.remove(max(SECTORS, key=lambda s: sectors.count(s)))
    while len(sectors) < count:
        sectors.append(rng.choice(list(SECTORS)))
    return sectors


@dataclass
class Person:
    full_name: str
    email: str
    phone: str
    job_title: str
    sector: str
    profession: str
    leadership: str
    directory_listed: bool
    share_email: bool
    share_phone: bool
    share_organisation: bool
    share_profession: bool
    share_icb: bool
    share_interests: bool


@dataclass
class PeopleGenerator:
    """Makes unique synthetic people; the same seed makes the same people."""

    seed: int = 2026
    rng: random.Random = field(init=False)
    used_emails: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)  # noqa: S311 - made-up people, not secrets

    def name(self) -> tuple[str, str]:
        return self.rng.choice(FIRST_NAMES), self.rng.choice(SURNAMES)

    def email(self, first: str, last: str, *, nhs: bool) -> str:
        domain = "example.nhs.uk" if nhs else "example.org"
        local = f"{first}.{last}".lower().replace("'", "")
        email = f"{local}@{domain}"
        number = 1
        while email in self.used_emails:
            number += 1
            email = f"{local}{number}@{domain}"
        self.used_emails.add(email)
        return email

    def person(self, sector: str) -> Person:
        rng = self.rng
        profile = SECTORS[sector]
        first, last = self.name()
        profession = rng.choice(profile.professions)
        lived = sector == Sector.LIVED_EXPERIENCE
        listed = rng.random() < (0.45 if lived else 0.85)
        share_email = listed and rng.random() < (0.1 if lived else 0.45)
        share_phone = listed and not lived and rng.random() < 0.12
        leadership = rng.choices(
            [Leadership.LEADS, Leadership.WANTS_TO_LEAD, Leadership.NOT_NOW],
            weights=[2, 3, 5] if not lived else [1, 2, 7],
        )[0]
        return Person(
            full_name=f"{first} {last}",
            email=self.email(first, last, nhs=profile.nhs_email),
            phone=f"07700 900{rng.randrange(1000):03d}" if share_phone else "",
            job_title=rng.choice(JOB_TITLES[profession]),
            sector=sector,
            profession=profession,
            leadership=leadership,
            directory_listed=listed,
            share_email=share_email,
            share_phone=share_phone,
            share_organisation=not lived,
            share_profession=not lived,
            share_icb=not lived or rng.random() < 0.3,
            share_interests=not lived or rng.random() < 0.6,
        )

    def joined_at(self, *, now: datetime, age_days: int) -> datetime:
        """A join date since the network started, more of them recent: networks
        grow as word spreads."""
        days_ago = age_days * self.rng.random() ** 1.6
        return now - timedelta(days=days_ago, seconds=self.rng.randrange(86400))

    def pick(self, items: Sequence[T], low: int, high: int) -> list[T]:
        """Between `low` and `high` different items."""
        return self.rng.sample(list(items), k=min(len(items), self.rng.randint(low, high)))
