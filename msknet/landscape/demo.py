"""Synthetic demo services for North East and North Cumbria and London, with
two years of monthly referrals and waits, quarterly workforce, and a
population for every ICB.

Every provider added here is named "... (demo)"; the others are the demo's
own made-up organisations. Addresses, phone numbers (Ofcom's drama ranges),
web and email addresses and every figure are invented. Places and postcode
districts are real so that "near" and the place filters behave as they would;
inward codes are made up.

NENC gets a service at every pathway step in each of its nine places except
one: no pain management programme is recorded in South Tyneside, the gap the
pathway page should show. Its Sunderland community MSK service's waits worsen
over the two years while most improve. A few services in each network were
last confirmed 7 to 14 months ago, so the stale list has work in it. London
gets twelve or thirteen services in each of its five ICBs, whose waits and
self-referral differ from one ICB to the next.

Runs inside the demo loader's transaction; does nothing if the demo networks
already have services. ICB populations are added only where an ICB has none
for the year (never over a real figure).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from django.utils import timezone
from django.utils.text import slugify

from msknet.insights.models import Area, AreaPopulation, AreaType
from msknet.members.models import (
    ICB,
    Membership,
    Network,
    Organisation,
    OrganisationType,
    Profession,
    Role,
    User,
)

from .models import (
    Service,
    ServiceActivity,
    ServiceChange,
    ServiceWorkforce,
    Step,
)
from .models.services import outward_code

SEED = 2026
MONTHS = 24
QUARTERS = 8
POPULATION_SOURCE = "Synthetic demo figure (not an ONS estimate)"

#: Synthetic populations for the demo networks' ICBs, near their real sizes.
POPULATIONS = {
    "QHM": 3_128_400,  # North East and North Cumbria
    "QMJ": 1_652_300,  # North Central London
    "QMF": 2_094_600,  # North East London
    "QRV": 2_118_900,  # North West London
    "QKK": 1_934_200,  # South East London
    "QWE": 1_507_800,  # South West London
}

LEAD = "lead@{slug}.example.nhs.uk"
DEMO_LOGINS = (
    "lead@{slug}.example.nhs.uk",
    "steering@{slug}.example.nhs.uk",
    "member@{slug}.example.nhs.uk",
    "lived.experience@{slug}.example.org",
)


@dataclass(frozen=True)
class Place:
    name: str
    icb: str
    outward: tuple[str, ...]
    towns: tuple[str, ...]
    languages: tuple[str, ...]


@dataclass(frozen=True)
class StepText:
    """What a service at one step is called and offers, and who refers to it."""

    name: str  # "{place}" is filled in
    description: str
    conditions: str
    eligibility: str
    self_referral: bool
    gp_referral: bool
    fcp_referral: bool
    other_referrers: str
    via_ers: bool
    via_email: bool
    via_form: bool
    opening: tuple[str, ...]
    digital: tuple[str, ...]
    # Typical figures: referrals a month, median wait in weeks, p90/median.
    referrals: tuple[float, float] | None
    median: tuple[float, float] | None
    p90_ratio: tuple[float, float]
    # Whole-time equivalents by profession, as a range.
    workforce: tuple[tuple[str, float, float], ...]


WEEKDAYS = "Monday to Friday, 8am to 6pm"
STEPS: dict[str, StepText] = {
    Step.SELF_MANAGEMENT: StepText(
        "{place} joint pain education and exercise classes",
        "Six weekly group sessions of education and graded exercise for people "
        "with joint or back pain, then a community exercise offer.",
        "Knee osteoarthritis; Hip osteoarthritis; Back pain; Chronic widespread pain",
        "Adults living with long-term joint or back pain.",
        True, True, True, "Social prescribers, pharmacists, community groups",
        False, False, True,
        ("Tuesday and Thursday mornings", "Weekday evenings and Saturday mornings",
         "Monday, Wednesday and Friday, 10am to 2pm"),
        ("Online classes and a video library", ("A self-management app with a "
         "weekly phone check-in"), ""),
        None, None, (1.0, 1.0),
        ((Profession.LINK_WORKER, 0.5, 2.0), (Profession.PHYSIOTHERAPIST, 0.2, 1.0)),
    ),
    Step.FCP: StepText(
        "{place} first-contact physiotherapy",
        "Physiotherapists in GP practices see people with a new muscle, joint or "
        "back problem as their first appointment instead of a GP.",
        "Back pain; Neck pain; Shoulder pain; Knee pain; Sprains and strains",
        "Adults registered with a practice in the area.",
        True, False, False, "Practice reception staff (care navigation)",
        False, False, False,
        (WEEKDAYS, "Monday to Friday, 8am to 6.30pm; some Saturday clinics"),
        ("Telephone and video appointments", "Online booking through the practice"),
        (250, 550), (0.8, 2.0), (2.0, 2.8),
        ((Profession.PHYSIOTHERAPIST, 2.0, 5.5),),
    ),
    Step.INTERFACE: StepText(
        "{place} MSK interface and triage service",
        "Advanced practitioners assess and triage referrals between primary and "
        "secondary care, request imaging and list people for surgery where needed.",
        "Back pain; Sciatica; Shoulder conditions; Hip and knee osteoarthritis; "
        "Hand and wrist conditions",
        "Adults referred by their GP or first-contact practitioner.",
        False, True, True, "",
        True, False, False,
        (WEEKDAYS, "Monday to Friday, 8am to 8pm"),
        ("Video triage appointments", "Advice and guidance for referrers on e-RS"),
        (300, 650), (5.0, 9.0), (1.8, 2.4),
        ((Profession.PHYSIOTHERAPIST, 5.0, 12.0), (Profession.PODIATRIST, 0.5, 2.0),
         (Profession.GP, 0.4, 1.2)),
    ),
    Step.COMMUNITY_MSK: StepText(
        "{place} community MSK physiotherapy",
        "Assessment and physiotherapy for muscle, joint and back problems in "
        "community clinics, with classes and a hydrotherapy pool.",
        "Back pain; Neck pain; Shoulder pain; Knee pain; Hip pain; "
        "Rehabilitation after surgery",
        "Adults aged 16 and over registered with a GP in the area.",
        True, True, True, "",
        True, False, True,
        (WEEKDAYS, "Monday to Friday, 8am to 8pm; Saturday mornings",
         "Monday to Friday, 8.30am to 5pm; Tuesday evenings"),
        ("Video and telephone appointments; an exercise app",
         "Online self-referral and video appointments"),
        (700, 1500), (6.0, 11.0), (2.0, 2.6),
        ((Profession.PHYSIOTHERAPIST, 14.0, 34.0), (Profession.PODIATRIST, 1.0, 3.0),
         (Profession.OCCUPATIONAL_THERAPIST, 0.5, 2.0)),
    ),
    Step.PAIN_MANAGEMENT: StepText(
        "{place} pain management programme",
        "A team of pain specialists, psychologists, nurses, physiotherapists and "
        "occupational therapists helping people live well with persistent pain.",
        "Chronic primary pain; Fibromyalgia; Persistent back pain; "
        "Chronic widespread pain",
        "Adults with pain lasting more than three months that affects daily life.",
        False, True, True, "",
        True, True, False,
        ("Monday to Friday, 9am to 5pm", "Monday to Thursday, 9am to 5pm"),
        ("Online pain management programme", "Video group sessions"),
        (70, 150), (11.0, 18.0), (1.6, 2.1),
        ((Profession.PAIN_SPECIALIST, 0.5, 1.5), (Profession.PSYCHOLOGIST, 1.0, 3.0),
         (Profession.NURSE, 1.0, 3.0), (Profession.PHYSIOTHERAPIST, 1.0, 3.0),
         (Profession.OCCUPATIONAL_THERAPIST, 1.0, 2.0)),
    ),
    Step.ORTHOPAEDICS: StepText(
        "{place} orthopaedic service",
        "Hospital orthopaedic outpatients and elective surgery, with joint "
        "school before hip and knee replacement.",
        "Hip osteoarthritis; Knee osteoarthritis; Shoulder conditions; "
        "Foot and ankle conditions; Hand surgery",
        "Adults referred through the MSK interface service or by their GP.",
        False, True, False, "MSK interface service",
        True, False, False,
        ("Monday to Friday, 8am to 6pm", "Monday to Saturday, 8am to 6pm"),
        ("Video follow-up appointments", "Patient-initiated follow-up"),
        (400, 850), (15.0, 24.0), (2.0, 2.6),
        ((Profession.ORTHOPAEDIC_SURGEON, 8.0, 20.0), (Profession.NURSE, 4.0, 10.0),
         (Profession.PHYSIOTHERAPIST, 3.0, 8.0)),
    ),
    Step.RHEUMATOLOGY: StepText(
        "{place} rheumatology service",
        "Hospital rheumatology, with an early inflammatory arthritis clinic and "
        "a nurse advice line.",
        "Rheumatoid arthritis; Axial spondyloarthritis; Psoriatic arthritis; "
        "Lupus; Gout",
        "Adults referred by their GP or the MSK interface service.",
        False, True, False, "MSK interface service",
        True, False, False,
        ("Monday to Friday, 9am to 5pm",),
        ("Nurse advice line and video follow-up", "Patient-initiated follow-up"),
        (180, 420), (8.0, 14.0), (1.8, 2.3),
        ((Profession.RHEUMATOLOGIST, 3.0, 8.0), (Profession.NURSE, 3.0, 7.0)),
    ),
    Step.SPINAL_SURGERY: StepText(
        "{place} spinal pathway clinic",
        "The regional spinal pathway's clinic: assessment by specialist spinal "
        "practitioners, with surgery at the regional spinal centre.",
        "Radicular pain; Sciatica; Spinal stenosis; Back pain with red flags",
        "Adults referred through the MSK interface service.",
        False, True, False, "MSK interface service",
        True, False, False,
        ("Tuesday and Thursday clinics", "Monday to Friday, 9am to 5pm"),
        ("Video follow-up appointments", ""),
        (60, 160), (14.0, 24.0), (1.8, 2.4),
        ((Profession.SPINAL_SPECIALIST, 1.0, 4.0), (Profession.PHYSIOTHERAPIST, 1.0, 3.0)),
    ),
    Step.PAIN_MEDICINE: StepText(
        "{place} pain medicine clinic",
        "Hospital pain medicine: specialist assessment, medicines review and "
        "injections where they are recommended.",
        "Radicular pain; Complex regional pain syndrome; Neuropathic pain",
        "Adults referred by their GP, the interface service or a pain programme.",
        False, True, False, "MSK interface service, pain management programmes",
        True, False, False,
        ("Monday to Friday, 9am to 5pm",),
        ("Video appointments", ""),
        (100, 260), (12.0, 20.0), (1.7, 2.2),
        ((Profession.PAIN_SPECIALIST, 3.0, 7.0), (Profession.NURSE, 2.0, 4.0)),
    ),
    Step.EMPLOYMENT: StepText(
        "{place} work and health support",
        "Advice to stay in or return to work with a muscle, joint or back "
        "problem: talking to employers, adjustments and vocational rehabilitation.",
        "Back pain; Neck pain; Any MSK condition affecting work",
        "Adults in work, off sick, or looking for work.",
        True, True, True, "Employers, Jobcentre Plus work coaches, social prescribers",
        False, True, True,
        ("Monday to Friday, 9am to 5pm", ("Monday to Friday, 9am to 5pm; "
         "Wednesday evenings")),
        ("Telephone and video advice", "Online referral form"),
        (20, 70), (1.5, 4.0), (1.8, 2.5),
        ((Profession.EMPLOYMENT_ADVISOR, 1.0, 4.0),
         (Profession.OCCUPATIONAL_THERAPIST, 0.5, 1.5)),
    ),
}

BUILDINGS = (
    "Riverside Health Centre", "Market Street Health Hub", "Park View Clinic",
    "Station Road Therapy Centre", "Hilltop Community Hospital",
    "Church Lane Medical Centre", "Civic Centre Annexe", "Harbour View Health Centre",
    "Meadow Lane Wellbeing Centre", "Old Mill Outpatients",
)
ACCESSIBILITY = (
    "Step-free access, a hearing loop and accessible toilets; free parking.",
    "Step-free access and a lift; interpreters on request; bus stop outside.",
    "Ground-floor clinic rooms; a hearing loop; interpreters and BSL on request.",
    "Step-free access; blue-badge parking; quiet waiting room on request.",
)

# -- North East and North Cumbria ------------------------------------------

TYNEFORD = "Tyneford Hospitals NHS Foundation Trust"
WEARSIDE = "Wearside and Durham Hospitals NHS Foundation Trust"
TEESMOUTH = "Teesmouth University Hospitals NHS Foundation Trust"
FELLSIDE = "North Cumbria Fellside Hospitals NHS Trust"
COQUET = "Coquet Valley Healthcare NHS Foundation Trust"
NE_MSK = "North East Community MSK Partnership"
PAIN_CIC = "Fellside Pain Management Service CIC"
LIVING_WELL = "Living Well with Pain North East"
FELLS_DALES = "Fells and Dales Arthritis Group"
TYNESIDE_MSK = "Tyneside MSK Community Services (demo)"
WEAR_MSK = "Wear and Durham Community MSK Services (demo)"
TEES_MSK = "Tees Valley MSK Partnership (demo)"
SOUTH_PAIN = "Durham and Tees Pain Management Programme (demo)"
WORK_HEALTH = "North East Work and Health Partnership (demo)"

#: Providers the demo adds, with their type; the rest are the demo's own.
NEW_PROVIDERS = {
    TYNESIDE_MSK: OrganisationType.COMMUNITY_PROVIDER,
    WEAR_MSK: OrganisationType.COMMUNITY_PROVIDER,
    TEES_MSK: OrganisationType.COMMUNITY_PROVIDER,
    SOUTH_PAIN: OrganisationType.COMMUNITY_PROVIDER,
    WORK_HEALTH: OrganisationType.VOLUNTARY,
    "North Central London Community MSK Service (demo)":
        OrganisationType.COMMUNITY_PROVIDER,
    "Wandle Community MSK Service (demo)": OrganisationType.COMMUNITY_PROVIDER,
}

NENC_PLACES = (
    Place("Northumberland", "QHM", ("NE61", "NE63", "NE46", "NE66"),
          ("Morpeth", "Ashington", "Hexham", "Alnwick"), ("Polish",)),
    Place("North Tyneside", "QHM", ("NE29", "NE30", "NE12", "NE28"),
          ("North Shields", "Tynemouth", "Killingworth", "Wallsend"),
          ("Polish", "Bengali")),
    Place("Newcastle", "QHM", ("NE1", "NE4", "NE6", "NE3"),
          ("Newcastle city centre", "Benwell", "Byker", "Gosforth"),
          ("Arabic", "Bengali", "Urdu", "Polish", "Romanian")),
    Place("Gateshead", "QHM", ("NE8", "NE9", "NE10", "NE11"),
          ("Gateshead", "Low Fell", "Felling", "Team Valley"), ("Yiddish", "Polish")),
    Place("South Tyneside", "QHM", ("NE33", "NE34", "NE32", "NE31"),
          ("South Shields", "Jarrow", "Hebburn", "Boldon"), ("Bengali", "Arabic")),
    Place("Sunderland", "QHM", ("SR1", "SR2", "SR4", "SR5"),
          ("Sunderland city centre", "Hendon", "Pennywell", "Southwick"),
          ("Bengali", "Polish", "Arabic")),
    Place("County Durham", "QHM", ("DH1", "DL14", "DH9", "SR8"),
          ("Durham", "Bishop Auckland", "Stanley", "Peterlee"), ("Polish",)),
    Place("Tees Valley", "QHM", ("TS1", "TS18", "DL1", "TS24", "TS10"),
          ("Middlesbrough", "Stockton-on-Tees", "Darlington", "Hartlepool", "Redcar"),
          ("Urdu", "Arabic", "Kurdish", "Polish")),
    Place("North Cumbria", "QHM", ("CA1", "CA2", "CA14", "CA28"),
          ("Carlisle", "Carlisle", "Workington", "Whitehaven"), ("Polish", "Romanian")),
)

_N = {p.name: p for p in NENC_PLACES}
_ACUTE = {"Northumberland": COQUET, "North Tyneside": TYNEFORD, "Newcastle": TYNEFORD,
          "Gateshead": TYNEFORD, "South Tyneside": WEARSIDE, "Sunderland": WEARSIDE,
          "County Durham": WEARSIDE, "Tees Valley": TEESMOUTH,
          "North Cumbria": FELLSIDE}

#: Who runs each step in each NENC place. South Tyneside has no pain
#: management programme recorded: the demo's gap.
NENC_PROVIDERS: dict[str, dict[str, str]] = {
    place: {
        Step.ORTHOPAEDICS: _ACUTE[place],
        Step.RHEUMATOLOGY: _ACUTE[place],
        Step.PAIN_MEDICINE: _ACUTE[place],
        Step.SPINAL_SURGERY: {"County Durham": TEESMOUTH, "Tees Valley": TEESMOUTH,
                              "North Cumbria": FELLSIDE}.get(place, TYNEFORD),
        Step.COMMUNITY_MSK: {
            "Northumberland": COQUET, "North Tyneside": NE_MSK, "Newcastle": TYNEFORD,
            "Gateshead": NE_MSK, "South Tyneside": TYNESIDE_MSK, "Sunderland": WEAR_MSK,
            "County Durham": WEAR_MSK, "Tees Valley": TEES_MSK,
            "North Cumbria": FELLSIDE}[place],
        Step.FCP: {
            "Northumberland": COQUET, "Newcastle": "Tyneford West PCN",
            "Sunderland": WEAR_MSK, "County Durham": "East Durham Coast PCN",
            "Tees Valley": TEES_MSK, "North Cumbria": "Eden and Fells PCN",
        }.get(place, TYNESIDE_MSK),
        Step.INTERFACE: {
            "Northumberland": COQUET, "South Tyneside": WEAR_MSK,
            "Sunderland": WEAR_MSK, "County Durham": WEAR_MSK, "Tees Valley": TEES_MSK,
            "North Cumbria": FELLSIDE,
        }.get(place, NE_MSK),
        **({} if place == "South Tyneside" else {Step.PAIN_MANAGEMENT: {
            "Sunderland": SOUTH_PAIN, "County Durham": SOUTH_PAIN,
            "Tees Valley": SOUTH_PAIN}.get(place, PAIN_CIC)}),
        Step.SELF_MANAGEMENT: FELLS_DALES if place in {
            "Northumberland", "County Durham", "North Cumbria"} else LIVING_WELL,
        Step.EMPLOYMENT: {
            "Newcastle": "Tyneford City Council", "Sunderland": "Wearmouth County Council",
            "Tees Valley": "Teesmouth Borough Council",
            "County Durham": "East Durham Coast PCN",
        }.get(place, WORK_HEALTH),
    }
    for place in _N
}
NENC_GAP = ("South Tyneside", Step.PAIN_MANAGEMENT)

#: (place, step): months since someone last confirmed it.
NENC_STALE = {
    ("Gateshead", Step.PAIN_MANAGEMENT): 8,
    ("Tees Valley", Step.SELF_MANAGEMENT): 11,
    ("North Cumbria", Step.EMPLOYMENT): 13,
    ("Northumberland", Step.RHEUMATOLOGY): 7,
    ("South Tyneside", Step.FCP): 9,
    ("Sunderland", Step.INTERFACE): 12,
}
#: Places whose community MSK service takes no self-referrals.
NENC_NO_SELF_REFERRAL = {"Tees Valley", "North Cumbria"}
#: The one service whose waits grow over the two years (and its vacancies).
NENC_WORSENING = ("Sunderland", Step.COMMUNITY_MSK)

# -- London -------------------------------------------------------------------


@dataclass(frozen=True)
class LondonICB:
    code: str
    places: tuple[Place, ...]
    acute: str
    community: str
    pcn: str
    self_management: tuple[str, str]
    employment: str | None
    spinal: str | None
    wait_factor: float
    self_referral: float  # chance a community, FCP or pain service takes it


def _places(icb: str, *rows: tuple[str, tuple[str, ...], tuple[str, ...]]
            ) -> tuple[Place, ...]:
    return tuple(Place(name, icb, outward, (name,), languages)
                 for name, outward, languages in rows)


LONDON_ICBS = (
    LondonICB(
        "QMJ",
        _places("QMJ",
                ("Camden", ("NW1", "NW5"), ("Bengali", "Somali", "Arabic")),
                ("Islington", ("N1", "N7"), ("Turkish", "Bengali", "Somali")),
                ("Haringey", ("N17", "N15"), ("Turkish", "Polish", "Somali")),
                ("Barnet", ("NW4", "EN5"), ("Farsi", "Romanian", "Hebrew")),
                ("Enfield", ("EN1", "N9"), ("Turkish", "Greek", "Somali"))),
        "Northfield University Hospitals NHS Foundation Trust",
        "North Central London Community MSK Service (demo)", "Northfield East PCN",
        ("Moving Together London", "Back Pain Peer Support London"),
        "London Borough of Northfield",
        "Highgrove Orthopaedic Centre NHS Foundation Trust", 1.0, 0.7,
    ),
    LondonICB(
        "QMF",
        _places("QMF",
                ("Tower Hamlets", ("E1", "E14"), ("Bengali", "Sylheti", "Somali")),
                ("Newham", ("E15", "E13"), ("Gujarati", "Urdu", "Tamil", "Bengali")),
                ("Hackney", ("E8", "E5"), ("Turkish", "Yiddish", "Vietnamese")),
                ("Barking and Dagenham", ("RM8", "IG11"), ("Lithuanian", "Yoruba")),
                ("Waltham Forest", ("E17", "E10"), ("Urdu", "Polish", "Romanian"))),
        "Thameside Hospitals NHS Trust", "Lea Valley Community Health NHS Trust",
        "Lea Marshes PCN", ("Arthritis Friends Thameside", "Moving Together London"),
        "London Borough of Eastbridge", None, 1.25, 0.3,
    ),
    LondonICB(
        "QRV",
        _places("QRV",
                ("Ealing", ("W5", "W13"), ("Punjabi", "Polish", "Somali")),
                ("Brent", ("NW10", "HA9"), ("Gujarati", "Romanian", "Arabic")),
                ("Hillingdon", ("UB8", "UB4"), ("Punjabi", "Tamil")),
                ("Harrow", ("HA1", "HA3"), ("Gujarati", "Tamil", "Romanian")),
                ("Hammersmith and Fulham", ("W12", "W6"), ("Arabic", "Polish", "Somali"))),
        "West Harrowfield Hospitals NHS Trust", "Thames Community Physiotherapy CIC",
        "Harrowfield South PCN", ("Back Pain Peer Support London",
                                  "Moving Together London"),
        None, "West Harrowfield Hospitals NHS Trust", 1.35, 0.5,
    ),
    LondonICB(
        "QKK",
        _places("QKK",
                ("Southwark", ("SE1", "SE15"), ("Yoruba", "Spanish", "Portuguese")),
                ("Lambeth", ("SE11", "SW9"), ("Portuguese", "Spanish", "Somali")),
                ("Lewisham", ("SE13", "SE6"), ("Yoruba", "Tamil", "Vietnamese")),
                ("Greenwich", ("SE10", "SE18"), ("Nepali", "Yoruba", "Punjabi")),
                ("Bromley", ("BR1", "BR6"), ("Polish", "Romanian"))),
        "St Aldric's University Hospital NHS Foundation Trust",
        "Capital MSK Partnership CIC", "Riverside Central PCN",
        ("Moving Together London", "Back Pain Peer Support London"),
        "Capital MSK Partnership CIC",
        "St Aldric's University Hospital NHS Foundation Trust", 0.8, 0.95,
    ),
    LondonICB(
        "QWE",
        _places("QWE",
                ("Croydon", ("CR0", "CR7"), ("Tamil", "Urdu", "Twi")),
                ("Sutton", ("SM1", "SM3"), ("Tamil", "Korean")),
                ("Wandsworth", ("SW18", "SW17"), ("Urdu", "Polish", "Spanish")),
                ("Kingston upon Thames", ("KT1", "KT2"), ("Korean", "Tamil", "Arabic")),
                ("Richmond upon Thames", ("TW9", "TW1"), ("Polish", "Spanish"))),
        "Wandle and Kingsmere Hospitals NHS Trust", "Wandle Community MSK Service (demo)",
        "Wandle Valley PCN", ("Moving Together London", "Back Pain Peer Support London"),
        "London Borough of Kingsmere", None, 0.95, 0.8,
    ),
)

#: (ICB, step): months since someone last confirmed it.
LONDON_STALE = {
    ("QMF", Step.PAIN_MANAGEMENT): 9,
    ("QRV", Step.SELF_MANAGEMENT): 12,
    ("QWE", Step.RHEUMATOLOGY): 8,
}


@dataclass(frozen=True)
class Spec:
    """One service to write."""

    place: Place
    step: str
    provider: str
    self_referral: bool
    stale_months: int = 0
    worsening: bool = False
    wait_factor: float = 1.0


def nenc_specs() -> list[Spec]:
    return [
        Spec(place, step, provider,
             self_referral=_self_referral_nenc(place.name, step),
             stale_months=NENC_STALE.get((place.name, step), 0),
             worsening=(place.name, step) == NENC_WORSENING)
        for place in NENC_PLACES
        for step, provider in sorted(NENC_PROVIDERS[place.name].items(),
                                     key=lambda item: list(Step).index(item[0]))
    ]


def _self_referral_nenc(place: str, step: str) -> bool:
    if step == Step.COMMUNITY_MSK:
        return place not in NENC_NO_SELF_REFERRAL
    if step == Step.PAIN_MANAGEMENT:
        return place == "Newcastle"
    return STEPS[step].self_referral


def london_specs(rng: np.random.Generator) -> list[Spec]:
    specs = []
    for icb in LONDON_ICBS:
        p = icb.places
        rows: list[tuple[Place, str, str]] = [
            (p[0], Step.FCP, icb.pcn),
            (p[1], Step.FCP, icb.community),
            (p[0], Step.COMMUNITY_MSK, icb.community),
            (p[2], Step.COMMUNITY_MSK, icb.community),
            (p[1], Step.INTERFACE, icb.community),
            (p[2], Step.PAIN_MANAGEMENT, icb.community),
            (p[0], Step.ORTHOPAEDICS, icb.acute),
            (p[3], Step.RHEUMATOLOGY, icb.acute),
            (p[3], Step.PAIN_MEDICINE, icb.acute),
            (p[4], Step.SELF_MANAGEMENT, icb.self_management[0]),
            (p[1], Step.SELF_MANAGEMENT, icb.self_management[1]),
        ]
        if icb.spinal:
            rows.append((p[0], Step.SPINAL_SURGERY, icb.spinal))
        if icb.employment:
            rows.append((p[4], Step.EMPLOYMENT, icb.employment))
        for place, step, provider in rows:
            if step in (Step.FCP, Step.COMMUNITY_MSK, Step.PAIN_MANAGEMENT):
                self_referral = bool(rng.random() < icb.self_referral)
            else:
                self_referral = STEPS[step].self_referral
            specs.append(Spec(place, step, provider, self_referral,
                              stale_months=LONDON_STALE.get((icb.code, step), 0)
                              if place is _first_at(rows, step) else 0,
                              wait_factor=icb.wait_factor))
    return specs


def _first_at(rows: list[tuple[Place, str, str]], step: str) -> Place:
    return next(place for place, s, _ in rows if s == step)


# -- writing ------------------------------------------------------------------


def month_starts(today: dt.date, count: int) -> list[dt.date]:
    """The first days of the `count` complete months before `today`'s, oldest first."""
    year, month = today.year, today.month
    starts = []
    for _ in range(count):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        starts.append(dt.date(year, month, 1))
    return starts[::-1]


def month_end(start: dt.date) -> dt.date:
    return start.replace(day=calendar.monthrange(start.year, start.month)[1])


def d1(value: float) -> Decimal:
    return Decimal(f"{value:.1f}")


def d2(value: float) -> Decimal:
    return Decimal(f"{value:.2f}")


#: Referrals dip in August and December; waits grow over winter.
REFERRAL_SEASON = {1: 1.06, 2: 1.02, 3: 1.05, 4: 0.97, 5: 1.0, 6: 1.0, 7: 0.96,
                   8: 0.86, 9: 1.02, 10: 1.05, 11: 1.04, 12: 0.84}
WAIT_SEASON = {1: 1.10, 2: 1.12, 3: 1.08, 4: 1.02, 5: 0.98, 6: 0.95, 7: 0.94,
               8: 0.97, 9: 0.97, 10: 0.98, 11: 1.0, 12: 1.04}


class Loader:
    def __init__(self, networks: dict[str, Network], *, now: dt.datetime) -> None:
        self.networks = networks
        self.now = now
        self.today = timezone.localdate(now)
        self.rng = np.random.default_rng(SEED)
        self.months = month_starts(self.today, MONTHS)
        self.quarters = [m for m in self.months if m.month in (1, 4, 7, 10)][-QUARTERS:]
        self.icbs = {icb.ods_code: icb for icb in ICB.objects.filter(
            ods_code__in=[*POPULATIONS])}
        self.phones = 0

    def load(self) -> None:
        nenc, london = self.networks["nenc"], self.networks["london"]
        providers = self.providers()
        specs = {nenc: nenc_specs(), london: london_specs(self.rng)}
        self.give_new_providers_members(providers)
        owners = self.owners(providers)
        for network, network_specs in specs.items():
            lead = User.objects.get(email=LEAD.format(slug=network.slug))
            self.write(network, network_specs, providers, owners, lead)

    # -- providers and who keeps their services up to date ---------------

    def providers(self) -> dict[str, Organisation]:
        names = {s.provider for s in (*nenc_specs(), *self.all_london_providers())}
        found = {o.name: o for o in Organisation.objects.filter(name__in=names)
                 .exclude(type=OrganisationType.ICB)}
        for name, type_ in NEW_PROVIDERS.items():
            if name not in found:
                icb = self.icbs["QHM"] if name in {
                    TYNESIDE_MSK, WEAR_MSK, TEES_MSK, SOUTH_PAIN, WORK_HEALTH} else (
                    self.icbs["QMJ"] if "North Central" in name else self.icbs["QWE"])
                found[name] = Organisation.objects.create(
                    name=name, type=type_, icb=icb, region=icb.region)
        missing = names - set(found)
        if missing:
            raise LookupError(f"Demo providers not found: {sorted(missing)}")
        return found

    @staticmethod
    def all_london_providers() -> Iterable[Spec]:
        for icb in LONDON_ICBS:
            for name in (icb.acute, icb.community, icb.pcn, *icb.self_management,
                         icb.employment, icb.spinal):
                if name:
                    yield Spec(icb.places[0], Step.FCP, name, False)

    def give_new_providers_members(self, providers: dict[str, Organisation]) -> None:
        """Providers the demo adds get one member each from their network's
        ordinary members (a physiotherapist or pain clinician), so someone can
        keep their services up to date; the work and health partnership is
        left with nobody, as some providers are."""
        wanted = {
            TYNESIDE_MSK: ("nenc", Profession.PHYSIOTHERAPIST),
            WEAR_MSK: ("nenc", Profession.PHYSIOTHERAPIST),
            TEES_MSK: ("nenc", Profession.PHYSIOTHERAPIST),
            SOUTH_PAIN: ("nenc", Profession.PSYCHOLOGIST),
            "North Central London Community MSK Service (demo)":
                ("london", Profession.PHYSIOTHERAPIST),
            "Wandle Community MSK Service (demo)": ("london", Profession.PHYSIOTHERAPIST),
        }
        taken: set[int] = set()
        for name, (slug, profession) in wanted.items():
            organisation = providers[name]
            if Membership.objects.filter(network=self.networks[slug],
                                         organisation=organisation).exists():
                continue
            logins = [p.format(slug=slug) for p in DEMO_LOGINS]
            candidates = (
                Membership.objects.for_network(self.networks[slug]).active()
                .filter(role=Role.MEMBER)
                .exclude(user__email__in=logins).exclude(pk__in=taken)
                .exclude(organisation__type=OrganisationType.ICB)
                .order_by("pk")
            )
            membership = (candidates.filter(profession=profession).first()
                          or candidates.filter(
                              profession=Profession.PHYSIOTHERAPIST).first())
            if membership is None:
                continue
            taken.add(membership.pk)
            Membership.objects.filter(pk=membership.pk).update(
                organisation=organisation, organisation_other="",
                icb=organisation.icb)

    def owners(self, providers: dict[str, Organisation]) -> dict[tuple[int, int], User]:
        """(network id, organisation id): a member from there, the demo
        sign-in first where one works there."""
        owners: dict[tuple[int, int], User] = {}
        memberships = (
            Membership.objects.active()
            .filter(network__in=self.networks.values(),
                    organisation__in=providers.values())
            .select_related("user").order_by("pk")
        )
        logins = {pattern.format(slug=network.slug) for network in self.networks.values()
                  for pattern in DEMO_LOGINS}
        for m in memberships:
            key = (m.network_id, m.organisation_id)
            if key not in owners or m.user.email in logins:
                owners[key] = m.user
        return owners

    # -- services and figures ---------------------------------------------

    def write(self, network: Network, specs: list[Spec],
              providers: dict[str, Organisation],
              owners: dict[tuple[int, int], User], lead: User) -> None:
        services = []
        confirmers = []
        for spec in specs:
            provider = providers[spec.provider]
            confirmer = owners.get((network.pk, provider.pk), lead)
            services.append(self.service(network, spec, provider, confirmer, lead))
            confirmers.append(confirmer)
        Service.objects.bulk_create(services)
        activity: list[ServiceActivity] = []
        workforce: list[ServiceWorkforce] = []
        changes: list[ServiceChange] = []
        for spec, service, confirmer in zip(specs, services, confirmers, strict=True):
            activity += self.activity(spec, service, confirmer)
            workforce += self.workforce(spec, service, confirmer)
            changes += [
                ServiceChange(service=service, at=service.created_at, by=lead,
                              summary="Added to the service directory"),
                ServiceChange(service=service, at=service.updated_at, by=confirmer,
                              summary="Confirmed the details"),
            ]
        ServiceActivity.objects.bulk_create(activity)
        ServiceWorkforce.objects.bulk_create(workforce)
        ServiceChange.objects.bulk_create(changes)

    def service(self, network: Network, spec: Spec, provider: Organisation,
                confirmer: User, lead: User) -> Service:
        text = STEPS[spec.step]
        rng = self.rng
        place = spec.place
        name = text.name.format(place=place.name)
        name = name[0].upper() + name[1:]
        slug = slugify(f"{network.slug} {name}")
        town = place.towns[int(rng.integers(len(place.towns)))]
        outward = place.outward[int(rng.integers(len(place.outward)))]
        postcode = f"{outward} {rng.integers(1, 10)}{self.letters(2)}"
        if spec.stale_months:
            confirmed = self.today - dt.timedelta(
                days=round(spec.stale_months * 30.44) + int(rng.integers(0, 10)))
        else:
            confirmed = self.today - dt.timedelta(days=int(rng.integers(0, 90)))
        confirmed_at = timezone.make_aware(
            dt.datetime.combine(confirmed, dt.time(10, int(rng.integers(0, 60)))))
        created_at = min(confirmed_at, self.now - dt.timedelta(
            days=int(rng.integers(MONTHS * 31, MONTHS * 31 + 400))))
        languages = [str(x) for x in rng.choice(place.languages, size=min(
            len(place.languages), int(rng.integers(1, 4))), replace=False)]
        self.phones += 1
        phone = (f"0191 498 0{self.phones:03d}" if network.slug == "nenc"
                 else f"020 7946 0{self.phones:03d}")
        return Service(
            network=network, name=name, provider=provider,
            icb=self.icbs[place.icb], place=place.name, step=spec.step,
            description=text.description + " (A synthetic demo service.)",
            conditions=text.conditions, eligibility=text.eligibility,
            self_referral=spec.self_referral, gp_referral=text.gp_referral,
            fcp_referral=text.fcp_referral, other_referrers=text.other_referrers,
            via_ers=text.via_ers, via_email=text.via_email,
            via_form=text.via_form or spec.self_referral and spec.step in (
                Step.COMMUNITY_MSK, Step.PAIN_MANAGEMENT),
            referral_contact=(
                f"https://example.org/demo/{slug}/refer" if text.via_form
                else f"{slug[:40]}@example.org" if text.via_email else ""),
            address=f"{self.pick(BUILDINGS)}, {town}",
            postcode=postcode, outward_code=outward_code(postcode),
            opening=self.pick(text.opening),
            accessibility=self.pick(ACCESSIBILITY),
            languages=", ".join(sorted(languages)),
            digital_offer=self.pick(text.digital),
            website=f"https://example.org/demo/{slug}",
            phone=phone,
            last_confirmed_on=confirmed, last_confirmed_by=confirmer,
            created_at=created_at, created_by=lead,
            updated_at=confirmed_at, updated_by=confirmer,
        )

    def letters(self, count: int) -> str:
        # Letters an inward code may use (not C, I, K, M, O or V).
        allowed = "ABDEFGHJLNPQRSTUWXYZ"
        return "".join(allowed[int(i)] for i in self.rng.integers(0, len(allowed), count))

    def pick(self, options: tuple[str, ...]) -> str:
        return options[int(self.rng.integers(len(options)))]

    def recorded(self, day: dt.date) -> dt.datetime:
        """When a figure for a period ending `day` was entered: days after."""
        at = dt.datetime.combine(day + dt.timedelta(days=int(self.rng.integers(3, 15))),
                                 dt.time(11))
        return min(timezone.make_aware(at), self.now)

    def trend(self, spec: Spec) -> float:
        """The change in waits over the two years: most services improve."""
        if spec.worsening:
            return 0.9
        if self.rng.random() < 0.2:
            return float(self.rng.uniform(-0.05, 0.1))
        return float(self.rng.uniform(-0.35, -0.08))

    def activity(self, spec: Spec, service: Service,
                 by: User) -> list[ServiceActivity]:
        text = STEPS[spec.step]
        if text.referrals is None or text.median is None:
            return []
        rng = self.rng
        referrals = float(rng.uniform(*text.referrals))
        median = float(rng.uniform(*text.median)) * spec.wait_factor
        ratio = float(rng.uniform(*text.p90_ratio))
        trend = self.trend(spec)
        growth = float(rng.uniform(-0.02, 0.1))
        rows = []
        # Nobody has entered a stale service's figures since it was confirmed.
        last = (service.last_confirmed_on or self.today) if spec.stale_months else self.today
        for i, start in enumerate(self.months):
            if start > last:
                break
            t = i / (MONTHS - 1)
            wait = (median * (1 + trend * t) * WAIT_SEASON[start.month]
                    * float(rng.lognormal(0, 0.06)))
            wait = max(wait, 0.3)
            p90 = max(wait * ratio * float(rng.lognormal(0, 0.05)), wait + 0.2)
            count = (referrals * (1 + growth * t) * REFERRAL_SEASON[start.month]
                     * float(rng.lognormal(0, 0.07)))
            end = month_end(start)
            rows.append(ServiceActivity(
                service=service, period_start=start, period_end=end,
                referrals_per_month=d1(count), median_wait_weeks=d1(wait),
                p90_wait_weeks=d1(p90), recorded_at=self.recorded(end), recorded_by=by,
            ))
        return rows

    def workforce(self, spec: Spec, service: Service,
                  by: User) -> list[ServiceWorkforce]:
        rng = self.rng
        last = (service.last_confirmed_on or self.today) if spec.stale_months else self.today
        vacancy = float(rng.uniform(0.02, 0.15))
        rising = 0.2 if spec.worsening else float(rng.uniform(-0.06, 0.04))
        establishment = {
            profession: float(rng.uniform(low, high))
            for profession, low, high in STEPS[spec.step].workforce
        }
        rows = []
        quarters = [q for q in self.quarters if q <= last]
        for i, as_of in enumerate(quarters):
            t = i / max(QUARTERS - 1, 1)
            rate = min(max(vacancy + rising * t + float(rng.normal(0, 0.02)), 0.0), 0.45)
            for profession, posts in establishment.items():
                posts = posts * (1 + 0.03 * t)
                vacant = round(posts * rate * 2) / 2  # in half posts
                rows.append(ServiceWorkforce(
                    service=service, as_of=as_of, profession=profession,
                    wte=d2(max(posts - vacant, 0.0)), vacancies_wte=d2(vacant),
                    recorded_at=self.recorded(as_of), recorded_by=by,
                ))
        return rows


def load_demo_populations(*, year: int | None = None, seed: int = SEED) -> int:
    """A synthetic population for every ICB area that has none for `year`
    (last year by default); returns how many were added."""
    year = year or timezone.localdate().year - 1
    rng = np.random.default_rng(seed)
    areas = list(Area.objects.filter(area_type=AreaType.ICB)
                 .select_related("icb").order_by("code"))
    have = set(AreaPopulation.objects.filter(area__in=areas, year=year)
               .values_list("area_id", flat=True))
    added = []
    for area in areas:
        persons = int(round(float(rng.uniform(500_000, 3_000_000)), -2))
        if area.icb_id and area.icb.ods_code in POPULATIONS:
            persons = POPULATIONS[area.icb.ods_code]
        if area.pk not in have:
            added.append(AreaPopulation(area=area, year=year, persons=persons,
                                        source=POPULATION_SOURCE))
    AreaPopulation.objects.bulk_create(added)
    return len(added)


def load_demo_landscape(*, now: dt.datetime | None = None) -> None:
    """Synthetic services, their figures and ICB populations; run inside the
    demo loader's transaction. Adds no services if either demo network
    already has some."""
    now = now or timezone.now()
    load_demo_populations(year=timezone.localdate(now).year - 1)
    networks = {n.slug: n for n in Network.objects.filter(slug__in=["nenc", "london"])}
    if len(networks) < 2 or Service.objects.filter(
            network__in=networks.values()).exists():
        return
    Loader(networks, now=now).load()

