"""Synthetic demo innovations for North East and North Cumbria, and a few for London.

Every name, figure and link is invented ("Demo: ..." names, evidence on
example.org). NENC gets about fifteen innovations of every kind spread over
the pipeline, one proposal from the public form awaiting review, a finished
screening (the default criteria, a named panel of three who have scored each
screened innovation, decisions against steering group meetings), two years of
adoption history across its sites with two stopped adoptions, and the
regional spinal pathway spread to one trust as a QI project with monthly
data. London gets three innovations serving its projects' priorities, one
recommended and in use at two sites, one of them through its first-contact
physiotherapy project.

History is written directly, backdated, as the test factories write it; the
one recent move (a proposal going into screening) goes through
`move_to_stage`, so its followers are told the way the site tells them. Runs
inside the demo loader's transaction, after strategic priorities, improvement
projects and governance, and before the demo's notifications are settled.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from msknet.governance.models import GroupKind, Meeting
from msknet.improvement import actions as improvement
from msknet.improvement.demo import months_back, shift
from msknet.improvement.models import DataPoint, ProgressChange, QIProject
from msknet.members.models import (
    ICB,
    Membership,
    Network,
    Organisation,
    Role,
    Topic,
    User,
)
from msknet.priorities.models import StrategicPriority

from .actions import stages
from .models import (
    DEFAULT_CRITERIA,
    PATH,
    Adoption,
    AdoptionChange,
    AdoptionStatus,
    AssuranceStatus,
    Criterion,
    EvidenceLink,
    EvidenceStrength,
    EvidenceType,
    Follow,
    Innovation,
    InnovationMeasure,
    Kind,
    Marking,
    NiceStatus,
    Score,
    Scorecard,
    ScreeningPanel,
    Stage,
    StageChange,
)

SEED = 2026
MONTH = 30.44  # days

LEAD = "lead@{slug}.example.nhs.uk"
STEERING = "steering@{slug}.example.nhs.uk"
MEMBER = "member@{slug}.example.nhs.uk"
LIVED = "lived.experience@{slug}.example.org"

#: What a site's contact notes at each step of its adoption.
NOTES = {
    AdoptionStatus.AWARE: "Heard about it through the network.",
    AdoptionStatus.EXPLORING: "Looking at the case for it with the service's team.",
    AdoptionStatus.PILOTING: "Trying it in one team first.",
    AdoptionStatus.ADOPTED: "Now part of the service for everyone it suits.",
    AdoptionStatus.SUSTAINED: "Funded recurrently and written into the service "
    "specification.",
}

#: A panellist's comment on a criterion, by how well it scored: (5-4, 3, 2-1).
COMMENTS = {
    "Strength of evidence": (
        "Trials and a NICE recommendation behind it.",
        "Promising evaluations, but from settings unlike ours.",
        "Little beyond the supplier's own case studies.",
    ),
    "Fit with the network's priorities": (
        "Squarely serves our regional priorities.",
        "Serves one priority at the edges.",
        "Hard to see which of our priorities it serves.",
    ),
    "Expected benefit for access, outcomes and experience": (
        "Should shorten waits and people say they like it.",
        "Some benefit, mostly to experience.",
        "Unclear what people would gain.",
    ),
    "Effect on inequalities": (
        "Reaches people our services usually miss.",
        "Neutral on inequalities as far as we can tell.",
        "Could widen gaps for people without digital access.",
    ),
    "Affordability": (
        "Cost-neutral within a year on the figures given.",
        "Affordable if pilot funding is found.",
        "Costs more than any site budget could carry.",
    ),
    "Ease of adoption": (
        "Sites could start with the staff they have.",
        "Needs training time and some new kit.",
        "Needs new posts and a new IT system.",
    ),
}


@dataclass(frozen=True)
class Site:
    """A site's adoption: it heard `started` months ago and reached `status`
    (or stopped, for `stopped`) `last` months ago, in even steps between."""

    name: str
    status: str
    started: int
    last: int = 1
    stopped: str = ""
    contact: str = ""  # a demo sign-in, by its email's pattern; else someone there


@dataclass(frozen=True)
class Spec:
    name: str
    kind: str
    summary: str
    problem: str
    who_for: str
    description: str
    stage: str
    proposed: int  # months ago
    serves: tuple[str, ...] = ()
    proposer: str = ""  # a demo sign-in's email pattern; else a member
    meeting: int | None = None  # which past steering meeting decided, oldest 0
    reason: str = ""
    quality: float = 3.5  # how well the panel scores it, on 1 to 5
    evidence: tuple[tuple[str, str, int], ...] = ()  # title, type, year
    sites: tuple[Site, ...] = ()
    fields: dict[str, Any] = field(default_factory=dict)


SPINAL_MEASURE = "Share of back pain referrals on the spinal pathway"
SPREAD_SITE = "Teesmouth University Hospitals NHS Foundation Trust"

NENC_INNOVATIONS = (
    Spec("Demo: Regional spinal pathway", Kind.PATHWAY,
         "One pathway for back pain across the region, from first contact to "
         "spinal surgery, so people see the right service first time.",
         "People with back pain are referred differently in each trust, wait in "
         "the wrong queue and are imaged when it will not change their care.",
         "Adults with low back pain, with or without leg pain, referred from "
         "primary care or first-contact physiotherapy.",
         "Stratified triage at first contact, one referral form, and clear "
         "criteria for imaging and surgical opinion, the same in every trust.",
         Stage.RECOMMENDED, 23, ("Adopt the spinal pain pathway across the region",),
         proposer=LEAD, meeting=0, quality=4.4,
         evidence=(("Demo: Evaluation of a regional spinal pathway", "evaluation",
                    2024),
                   ("Demo: Stratified care for back pain, systematic review",
                    "systematic_review", 2022)),
         sites=(Site("Tyneford Hospitals NHS Foundation Trust", "sustained", 23, 3,
                     contact=LEAD),
                Site("Wearside and Durham Hospitals NHS Foundation Trust", "adopted",
                     18, 4),
                Site("North Cumbria Fellside Hospitals NHS Trust", "piloting", 10, 2),
                Site("Coquet Valley Healthcare NHS Foundation Trust", "exploring", 6,
                     2),
                Site("North East Community MSK Partnership", "adopted", 20, 7)),
         fields={"evidence_strength": EvidenceStrength.MODERATE,
                 "nice_status": NiceStatus.RECOMMENDED, "nice_reference": "NG59",
                 "owner": "Demo: the network's spinal pathway group",
                 "cost": "No new cost: the same clinicians, triaging differently.",
                 "resources_needed": "A half-day of training for triage staff and "
                 "a change to the referral form."}),
    Spec("Demo: MoveWell self-management app", Kind.DIGITAL,
         "An app with exercise plans, pain education and progress tracking for "
         "people waiting for or finishing MSK physiotherapy.",
         "People wait weeks for physiotherapy with no advice, and stop exercising "
         "once discharged.",
         "Adults with back, neck, knee or hip pain who have a smartphone.",
         "Physiotherapists prescribe a plan in the app; people follow videos and "
         "log pain and activity, which the physiotherapist sees.",
         Stage.RECOMMENDED, 20, (("Support people with MSK conditions to manage "
                                 "their own health"),),
         proposer=MEMBER, meeting=1, quality=3.9,
         evidence=(("Demo: MoveWell randomised trial in primary care", "trial", 2023),
                   ("Demo: NICE early value assessment of digital MSK apps", "nice",
                    2024)),
         sites=(Site("East Durham Coast PCN", "adopted", 14, 2, contact=MEMBER),
                Site("Tyneford West PCN", "piloting", 8, 1, contact=STEERING),
                Site("Eden and Fells PCN", "piloting", 15, 5,
                     stopped="Low uptake: the app did not support patients without "
                     "smartphones"),
                Site("Quayside Medical Practice", "exploring", 4, 1)),
         fields={"evidence_strength": EvidenceStrength.MODERATE,
                 "nice_status": NiceStatus.EVIDENCE_SUMMARY,
                 "nice_reference": "Demo EVA",
                 "dtac_status": AssuranceStatus.MET,
                 "dcb0129_status": AssuranceStatus.MET,
                 "dcb0160_status": AssuranceStatus.IN_PROGRESS,
                 "marking": Marking.UKCA,
                 "owner": "Demo: MoveWell Digital Ltd (a fictional supplier)",
                 "cost": "A licence per PCN a year; free to patients."}),
    Spec("Demo: First-contact physiotherapy in general practice", Kind.WORKFORCE,
         "Physiotherapists in GP practices see people with MSK problems first, "
         "without a GP appointment.",
         "A third of GP appointments in some practices are for MSK problems a "
         "physiotherapist could manage.",
         "Adults with a new MSK problem contacting their practice.",
         "Reception books people with joint, back or muscle pain straight in "
         "with a first-contact physiotherapist.",
         Stage.RECOMMENDED, 22, (("Support people with MSK conditions to manage "
                                 "their own health"),),
         proposer=STEERING, meeting=0, quality=4.2,
         evidence=(("Demo: National evaluation of first-contact physiotherapy",
                    "evaluation", 2021),),
         sites=(Site("Tyneford West PCN", "sustained", 22, 2, contact=STEERING),
                Site("East Durham Coast PCN", "adopted", 16, 3),
                Site("Eden and Fells PCN", "piloting", 7, 1)),
         fields={"evidence_strength": EvidenceStrength.MODERATE}),
    Spec("Demo: Living Well with Pain group programme", Kind.SELF_MANAGEMENT,
         "An eight-week group programme, run by a physiotherapist and a "
         "psychologist, for people living with persistent pain.",
         "People with persistent pain are offered medicines and scans but little "
         "help to live well with pain.",
         "Adults with pain lasting more than three months.",
         "Weekly two-hour sessions on pacing, movement, sleep, mood and goals, in "
         "community venues.",
         Stage.RECOMMENDED, 19, (("Support people with MSK conditions to manage "
                                 "their own health"),),
         proposer=LIVED, meeting=1, quality=4.0,
         evidence=(("Demo: Pain management programmes, systematic review",
                    "systematic_review", 2020),),
         sites=(Site("Fellside Pain Management Service CIC", "sustained", 21, 6),
                Site("Wearside and Durham Hospitals NHS Foundation Trust",
                     "piloting", 9, 2)),
         fields={"evidence_strength": EvidenceStrength.STRONG,
                 "nice_status": NiceStatus.RECOMMENDED, "nice_reference": "NG193"}),
    Spec("Demo: Opioid tapering clinic", Kind.PATHWAY,
         "Pharmacist-led clinics that help people on high-dose opioids for "
         "persistent pain to reduce them safely.",
         "High-dose opioid prescribing in the region is among the highest in "
         "England, with harm and little benefit.",
         "Adults prescribed 120 mg oral morphine equivalent a day or more for "
         "persistent non-cancer pain.",
         "A search finds people on high doses; a PCN pharmacist agrees a slow "
         "taper with each, with psychology and link worker support.",
         Stage.RECOMMENDED, 21, ("Reduce harm from opioid prescribing",
                                 ("Halve long-term opioid prescribing for persistent "
                                 "pain")),
         proposer=STEERING, meeting=0, quality=4.3,
         evidence=(("Demo: Opioid tapering clinics, a before-and-after study",
                    "study", 2023),),
         sites=(Site("Tyneford West PCN", "adopted", 20, 6, contact=STEERING),
                Site("East Durham Coast PCN", "adopted", 15, 3),
                Site("Fellview Surgery", "piloting", 5, 1),
                Site("Pit Lane Health Centre", "exploring", 3, 1)),
         fields={"evidence_strength": EvidenceStrength.MODERATE,
                 "nice_status": NiceStatus.RECOMMENDED, "nice_reference": "NG193"}),
    Spec("Demo: Group exercise for knee and hip pain (ESCAPE-pain style)",
         Kind.SELF_MANAGEMENT,
         "A six-week class mixing exercise and advice for people with knee or hip "
         "osteoarthritis, run in leisure centres.",
         "People with joint pain are told to exercise but not shown how.",
         "Adults with chronic knee or hip pain.",
         "Twelve sessions, twice a week, each with education and a circuit of "
         "exercises, led by a physiotherapist or trained instructor.",
         Stage.RECOMMENDED, 24, (("Support people with MSK conditions to manage "
                                 "their own health"),),
         proposer=LEAD, meeting=0, quality=4.5,
         evidence=(("Demo: Group rehabilitation for knee pain, randomised trial",
                    "trial", 2019),
                   ("Demo: NICE guideline on osteoarthritis", "nice", 2022)),
         sites=(Site("Tyneford City Council", "sustained", 24, 5),
                Site("Wearmouth County Council", "piloting", 20, 9,
                     stopped="Funding for the pilot ended and the service was not "
                     "recommissioned"),
                Site("Teesmouth Borough Council", "adopted", 12, 2),
                Site("North East Community MSK Partnership", "adopted", 17, 6)),
         fields={"evidence_strength": EvidenceStrength.STRONG,
                 "nice_status": NiceStatus.RECOMMENDED, "nice_reference": "NG226"}),
    Spec("Demo: Physiotherapy self-referral", Kind.PATHWAY,
         "People refer themselves to MSK physiotherapy online or by phone, "
         "without seeing their GP first.",
         "GP appointments are used as a gateway to physiotherapy, adding weeks "
         "to the wait.",
         "Adults registered with a practice in the area.",
         "An online form and a phone line, triaged by a physiotherapist within "
         "two working days.",
         Stage.RECOMMENDED, 18, (("Support people with MSK conditions to manage "
                                 "their own health"),),
         proposer=MEMBER, meeting=2, quality=3.8,
         evidence=(("Demo: Self-referral to physiotherapy, service evaluation",
                    "evaluation", 2022),),
         sites=(Site("Coquet Valley Healthcare NHS Foundation Trust", "adopted", 16,
                     4),
                Site("North Cumbria Fellside Hospitals NHS Trust", "exploring", 5,
                     1)),
         fields={"evidence_strength": EvidenceStrength.EMERGING}),
    Spec("Demo: Advanced-practice physiotherapists in orthopaedic triage",
         Kind.WORKFORCE,
         "Advanced-practice physiotherapists triage orthopaedic referrals, so "
         "surgeons see the people who need surgery.",
         "Half of people seen in orthopaedic clinics do not need a surgeon.",
         "Adults referred to orthopaedics with joint or spinal problems.",
         "Band 8a physiotherapists with injection and requesting rights run the "
         "interface clinic, with a surgeon to consult.",
         Stage.RECOMMENDED, 17, (("Adopt the spinal pain pathway across the "
                                 "region"),),
         proposer=LEAD, meeting=2, quality=4.1,
         evidence=((("Demo: Interface clinics and conversion to surgery, a cohort "
                    "study"), "study", 2021),),
         sites=(Site("Teesmouth University Hospitals NHS Foundation Trust",
                     "adopted", 16, 5),
                Site("Wearside and Durham Hospitals NHS Foundation Trust",
                     "exploring", 4, 1)),
         fields={"evidence_strength": EvidenceStrength.MODERATE}),
    Spec("Demo: Social prescribing for chronic pain", Kind.SELF_MANAGEMENT,
         "Link workers connect people living with pain to activity, peer support "
         "and help with money, work and housing.",
         "What keeps people in pain is often loneliness, inactivity and money "
         "worries no medicine treats.",
         "Adults with persistent pain, especially those on long-term opioids.",
         "A referral from any clinician; up to six link worker sessions and a warm "
         "handover to community groups.",
         Stage.RECOMMENDED, 14, (("Support people with MSK conditions to manage "
                                 "their own health"),
                                 ("Halve long-term opioid prescribing for persistent "
                                 "pain")),
         proposer=MEMBER, meeting=3, quality=3.9,
         evidence=((("Demo: Social prescribing for persistent pain, mixed-methods "
                    "evaluation"), "evaluation", 2023),),
         sites=(Site("East Durham Coast PCN", "adopted", 13, 2, contact=MEMBER),
                Site("Teesmouth Borough Council", "piloting", 6, 1)),
         fields={"evidence_strength": EvidenceStrength.EMERGING}),
    Spec("Demo: Topical NSAIDs first for knee osteoarthritis", Kind.MEDICINE_DEVICE,
         "Offer a topical anti-inflammatory gel before any oral painkiller for "
         "knee osteoarthritis.",
         "Oral NSAIDs and opioids are started for knee pain where a gel would do, "
         "with more side effects.",
         "Adults with knee osteoarthritis starting pain relief.",
         "A prescribing prompt and a patient leaflet in every practice, with "
         "community pharmacy advice.",
         Stage.SCREENING, 8, ("Reduce harm from opioid prescribing",),
         proposer=STEERING, quality=3.6,
         evidence=((("Demo: NICE guideline on osteoarthritis, pharmacological "
                    "management"), "nice", 2022),),
         fields={"evidence_strength": EvidenceStrength.STRONG,
                 "nice_status": NiceStatus.RECOMMENDED, "nice_reference": "NG226",
                 "marking": Marking.NOT_APPLICABLE}),
    Spec("Demo: MSK triage advice line", Kind.PATHWAY,
         "A phone line staffed by physiotherapists for GPs and practice teams to "
         "ask where a person with an MSK problem should go.",
         "Referrals go to the wrong service and bounce back, adding weeks.",
         "GPs, practice nurses and first-contact practitioners.",
         "Weekday advice from a senior physiotherapist, with a call-back within "
         "an hour.",
         Stage.SCREENING, 3, ("Adopt the spinal pain pathway across the region",),
         quality=3.4,
         fields={"evidence_strength": EvidenceStrength.NOT_YET}),
    Spec("Demo: Work and health vocational rehabilitation", Kind.WORKFORCE,
         "Occupational therapists in MSK services help people stay in or return "
         "to work.",
         "People with MSK conditions fall out of work while they wait for care.",
         "Working-age adults off work, or struggling at work, with an MSK "
         "condition.",
         "Early contact, a work assessment, liaison with the employer and a "
         "phased return plan.",
         Stage.PROPOSED, 2, (), proposer=MEMBER,
         fields={"evidence_strength": EvidenceStrength.EMERGING}),
    Spec("Demo: Shared decision-making aids for knee and hip replacement",
         Kind.DIGITAL,
         "Online decision aids that help people weigh up joint replacement with "
         "their clinician.",
         "People go ahead with surgery without understanding the alternatives or "
         "what recovery involves.",
         "Adults considering a knee or hip replacement.",
         "A link sent before the clinic appointment; the person's choices are "
         "summarised for the consultation.",
         Stage.PROPOSED, 1, (), proposer=LIVED,
         fields={"evidence_strength": EvidenceStrength.MODERATE,
                 "dtac_status": AssuranceStatus.UNKNOWN,
                 "dcb0129_status": AssuranceStatus.UNKNOWN}),
    Spec("Demo: Community hydrotherapy", Kind.SELF_MANAGEMENT,
         "Warm-water exercise sessions in community pools for people with "
         "arthritis and persistent pain.",
         "Hospital hydrotherapy pools have closed and people travel far for a "
         "few sessions.",
         "Adults with arthritis or persistent pain who struggle to exercise on "
         "land.",
         "Physiotherapist-led sessions in leisure centre pools, then "
         "self-directed sessions.",
         Stage.ON_HOLD, 16, (("Support people with MSK conditions to manage their "
                             "own health"),),
         meeting=1, quality=3.0,
         reason="On hold until the leisure trust's pool refurbishment is finished "
         "and the ICB decides on pilot funding.",
         fields={"evidence_strength": EvidenceStrength.EMERGING}),
    Spec("Demo: Bone health fracture liaison service", Kind.PATHWAY,
         "A fracture liaison service that finds people over 50 with a fragility "
         "fracture and starts bone protection.",
         "Second fractures follow first ones that nobody recognised as fragility "
         "fractures.",
         "Adults over 50 with a fragility fracture.",
         "A nurse-led service case-finding from A&E, wards and radiology.",
         Stage.NOT_TAKEN_FORWARD, 15, (), meeting=2,
         reason="Every trust in the region already has a fracture liaison "
         "service; the falls and fracture subgroup will support them instead.",
         fields={"evidence_strength": EvidenceStrength.STRONG}),
)

#: The recent move, through move_to_stage: it went into screening this week.
RECENT = "Demo: MSK triage advice line"

PUBLIC_PROPOSAL = {
    "name": "Demo: Chair-based exercise videos for care homes",
    "kind": Kind.SELF_MANAGEMENT,
    "summary": "Short chair-based exercise videos care home staff can play "
    "each day.",
    "problem": "Care home residents sit for most of the day and lose strength.",
    "who_for": "Older people living in care homes.",
    "proposer_name": "Demo visitor (synthetic)",
    "proposer_email": "visitor@example.org",
    "proposer_organisation": "A fictional care home group",
}

LONDON_INNOVATIONS = (
    Spec("Demo: First-contact physiotherapy with same-day triage", Kind.WORKFORCE,
         "First-contact physiotherapists in PCNs, with a same-day triage list so "
         "people in the most deprived practices are seen quickly.",
         "People in the most deprived practices wait longest for an MSK "
         "assessment.",
         "Adults contacting their practice with a new MSK problem.",
         "Reception puts MSK requests on a same-day list that first-contact "
         "physiotherapists work through.",
         Stage.RECOMMENDED, 14, ("Faster access to first-contact MSK care",
                                 ("Narrow the gap in MSK care for deprived "
                                 "neighbourhoods")),
         proposer=MEMBER, meeting=2,
         evidence=((("Demo: Same-day triage for first-contact physiotherapy, an "
                    "evaluation"), "evaluation", 2025),),
         sites=(Site("Riverside Central PCN", "adopted", 13, 3, contact=MEMBER),
                Site("Lea Marshes PCN", "piloting", 5, 1)),
         fields={"evidence_strength": EvidenceStrength.EMERGING}),
    Spec("Demo: Stratified care for back pain (STarT Back style)", Kind.PATHWAY,
         "Score every person with back pain at first contact and match the care "
         "to their risk of a poor outcome.",
         "Everyone with back pain gets the same care, whatever their risk.",
         "Adults with low back pain seen in primary or community care.",
         "A short questionnaire at first contact sorts people into three groups, "
         "each with its own pathway.",
         Stage.SCREENING, 4, ("Every ICB uses one back pain pathway",
                              ("Join up MSK pathways between primary, community "
                              "and hospital care")),
         proposer=STEERING,
         evidence=(("Demo: Stratified care for back pain, randomised trial",
                    "trial", 2011),),
         fields={"evidence_strength": EvidenceStrength.STRONG}),
    Spec("Demo: Virtual fracture liaison clinic", Kind.PATHWAY,
         "A virtual clinic reviews fragility fractures from A&E within two weeks "
         "and starts bone protection.",
         "Two ICBs have no fracture liaison service.",
         "Adults over 50 with a fragility fracture.",
         "A nurse and a consultant review notes and scans weekly and write to the "
         "GP and the person.",
         Stage.PROPOSED, 2, ("Prevent falls and fragility fractures",),
         proposer=LEAD, fields={"evidence_strength": EvidenceStrength.MODERATE}),
)

#: London's first-contact physiotherapy innovation runs at this site as its
#: existing QI project.
LONDON_PROJECT = ("Riverside Central PCN",
                  "First-contact physiotherapy access in the most deprived practices")


class Loader:
    def __init__(self, network: Network, *, now: dt.datetime,
                 rng: random.Random) -> None:
        self.network = network
        self.now = now
        self.today = timezone.localdate(now)
        self.rng = rng
        slug = network.slug
        self.logins = {
            pattern: User.objects.get(email=pattern.format(slug=slug))
            for pattern in (LEAD, STEERING, MEMBER, LIVED)
        }
        self.lead = self.logins[LEAD]
        memberships = list(
            Membership.objects.for_network(network).active()
            .select_related("user").order_by("pk"))
        self.by_organisation: dict[int, list[User]] = {}
        for m in memberships:
            if m.organisation_id:
                self.by_organisation.setdefault(m.organisation_id, []).append(m.user)
        logins = {u.pk for u in self.logins.values()}
        self.members = [m.user for m in memberships if m.role == Role.MEMBER
                        and m.user_id not in logins]
        self.meetings = list(
            Meeting.objects.filter(group__network=network,
                                   group__kind=GroupKind.STEERING,
                                   starts_at__lt=now).order_by("starts_at"))
        self.priorities = {p.title: p for p in
                           StrategicPriority.objects.for_network(network)}
        self.sites = {o.name: o for o in Organisation.objects.filter(
            name__in={s.name for spec in (*NENC_INNOVATIONS, *LONDON_INNOVATIONS)
                      for s in spec.sites} | {SPREAD_SITE})}

    # -- time ----------------------------------------------------------------

    def months_ago(self, months: float) -> dt.datetime:
        return self.now - timedelta(days=round(months * MONTH))

    def user(self, pattern: str) -> User:
        return self.logins[pattern] if pattern else self.rng.choice(self.members)

    # -- innovations ------------------------------------------------------------

    def load(self, specs: tuple[Spec, ...]) -> dict[str, Innovation]:
        return {spec.name: self.innovation(spec) for spec in specs}

    def innovation(self, spec: Spec) -> Innovation:
        proposer = self.user(spec.proposer)
        proposed_at = self.months_ago(spec.proposed) + timedelta(
            days=self.rng.randrange(0, 10))
        recent = spec.name == RECENT
        stage = Stage.PROPOSED if recent else spec.stage
        innovation = Innovation.objects.create(
            network=self.network, name=spec.name, kind=spec.kind,
            summary=spec.summary, problem=spec.problem, who_for=spec.who_for,
            description=spec.description,
            evidence_summary=f"{spec.evidence[0][0]} and related work; every link "
            "is a made-up example." if spec.evidence else "",
            contacts="Demo contact: the network's innovation lead "
            f"(innovations@{self.network.slug}.example.nhs.uk)",
            stage=stage, stage_reason=spec.reason, proposed_by=proposer,
            created_at=proposed_at, created_by=proposer, updated_by=proposer,
            **spec.fields,
        )
        innovation.serves.set([self.priorities[title] for title in spec.serves])
        StageChange.objects.create(innovation=innovation, stage_from="",
                                   stage_to=Stage.PROPOSED, at=proposed_at,
                                   by=proposer)
        follows = {proposer}
        self.triage(innovation, spec, proposed_at)
        for title, type_, year in spec.evidence:
            EvidenceLink.objects.create(
                innovation=innovation, title=title, type=EvidenceType(type_),
                url=f"https://example.org/demo/{self.network.slug}/"
                f"{innovation.pk}/{type_}-{year}",
                published_on=dt.date(year, 1 + self.rng.randrange(12), 1),
                added_at=proposed_at, added_by=proposer)
        for site in spec.sites:
            follows.add(self.adoption(innovation, site))
        if spec.stage == Stage.RECOMMENDED:
            follows.add(self.lead)
        if recent:  # people who will hear of the move
            follows |= {self.logins[MEMBER], self.logins[LIVED]}
        Follow.objects.bulk_create(
            Follow(innovation=innovation, user=user, created_at=proposed_at)
            for user in follows)
        if recent:
            change = stages.move_to_stage(innovation=innovation, by=self.lead,
                                          stage=Stage.SCREENING)
            # The demo loader drops work deferred to commit (so nobody is
            # emailed): tell the followers now, as the commit would.
            stages._tell_followers(innovation.pk, change.pk)
        return innovation

    def triage(self, innovation: Innovation, spec: Spec,
               proposed_at: dt.datetime) -> None:
        """The backdated moves after proposal, to where the innovation is now."""
        if spec.stage == Stage.PROPOSED or spec.name == RECENT:
            return
        meeting = self.meetings[spec.meeting] if spec.meeting is not None else None
        decided_at = meeting.starts_at + timedelta(hours=3) if meeting else None
        if spec.stage == Stage.NOT_TAKEN_FORWARD:  # straight from proposal
            StageChange.objects.create(
                innovation=innovation, stage_from=Stage.PROPOSED,
                stage_to=spec.stage, reason=spec.reason, meeting=meeting,
                at=decided_at, by=self.lead)
        else:
            screened_at = (decided_at - timedelta(days=42) if decided_at
                           else proposed_at + timedelta(days=21))
            screened_at = max(screened_at, proposed_at + timedelta(days=7))
            StageChange.objects.create(
                innovation=innovation, stage_from=Stage.PROPOSED,
                stage_to=Stage.SCREENING, at=screened_at, by=self.lead)
            self.scores(innovation, spec, screened_at, decided_at or self.now)
            if decided_at:
                StageChange.objects.create(
                    innovation=innovation, stage_from=Stage.SCREENING,
                    stage_to=spec.stage, reason=spec.reason, meeting=meeting,
                    at=decided_at, by=self.lead)
        if decided_at:
            Innovation.objects.filter(pk=innovation.pk).update(
                decided_at=decided_at, decided_by=self.lead, decision_meeting=meeting)

    def scores(self, innovation: Innovation, spec: Spec, opened: dt.datetime,
               closed: dt.datetime) -> None:
        """Each panellist's scorecard, between screening opening and closing."""
        panel = getattr(self, "panel", [])
        if not panel:
            return
        criteria = self.criteria
        span = max((closed - opened).days - 2, 1)
        scores = []
        for panellist, leaning in zip(panel, (0.0, 0.3, -0.3), strict=False):
            at = opened + timedelta(days=self.rng.randrange(1, span))
            card = Scorecard.objects.create(innovation=innovation, panellist=panellist,
                                            created_at=at)
            for criterion in criteria:
                value = round(spec.quality + leaning + self.rng.gauss(0, 0.8))
                value = min(5, max(1, value))
                high, middle, low = COMMENTS[criterion.name]
                comment = high if value >= 4 else middle if value == 3 else low
                scores.append(Score(scorecard=card, criterion=criterion, value=value,
                                    comment=comment))
        Score.objects.bulk_create(scores)

    def adoption(self, innovation: Innovation, spec: Site) -> User:
        """The site's history, in even steps; its contact, who follows it."""
        site = self.sites[spec.name]
        people = self.by_organisation.get(site.pk) or self.members
        contact = (self.logins[spec.contact] if spec.contact
                   else self.rng.choice(people))
        reached = PATH[1:PATH.index(AdoptionStatus(spec.status)) + 1]
        steps = [*reached, AdoptionStatus.STOPPED] if spec.stopped else reached
        gap = (spec.started - spec.last) / max(len(steps) - 1, 1)
        history = []
        for n, status in enumerate(steps):
            on = self.months_ago(spec.started - n * gap).date()
            on = min(on + timedelta(days=self.rng.randrange(0, 9)),
                     self.today - timedelta(days=1))
            history.append((status, on))
        status, on = history[-1]
        adoption = Adoption.objects.create(
            innovation=innovation, site=site, status=status, status_on=on,
            created_by=contact, created_at=self.months_ago(spec.started))
        adoption.contacts.set([contact])
        previous = ""
        changes = []
        for status, on in history:
            stopped = status == AdoptionStatus.STOPPED
            changes.append(AdoptionChange(
                adoption=adoption, status_from=previous, status_to=status, on=on,
                note="" if stopped else NOTES[status],
                reason=spec.stopped if stopped else "", by=contact,
                at=timezone.make_aware(dt.datetime.combine(on, dt.time(11)))))
            previous = status
        AdoptionChange.objects.bulk_create(changes)
        return contact

    # -- screening ---------------------------------------------------------------

    def screening(self, panel: list[User]) -> None:
        """The default criteria and a named panel of three."""
        screening, _ = ScreeningPanel.objects.get_or_create(network=self.network)
        screening.panel.set(panel)
        self.panel = panel
        self.criteria = [
            Criterion.objects.get_or_create(
                network=self.network, name=name,
                defaults={"description": description, "position": position})[0]
            for position, (name, description) in enumerate(DEFAULT_CRITERIA)
        ]

    def public_proposal(self) -> Innovation:
        return Innovation.objects.create(
            network=self.network, via_public_form=True, stage=Stage.PROPOSED,
            created_at=self.now - timedelta(days=4), **PUBLIC_PROPOSAL)

    # -- spread ------------------------------------------------------------------

    def spread_project(self, spinal: Innovation) -> QIProject:
        """The spinal pathway spread to one trust as a QI project: two years of
        monthly data on its measure, shifting after the pathway went live."""
        site = self.sites[SPREAD_SITE]
        contact = self.rng.choice(self.by_organisation.get(site.pk) or self.members)
        InnovationMeasure.objects.create(
            innovation=spinal, kind="process", name=SPINAL_MEASURE,
            definition="Back pain referrals from primary care triaged onto the "
            "spinal pathway, as a percentage of all back pain referrals that month.",
            unit="%", improvement="increase")
        project = improvement.start_project(
            network=self.network, by=self.lead,
            title=f"Spinal pathway spread to {site.name}",
            aim="By next spring, 70% of back pain referrals at the trust go on the "
            "regional spinal pathway.",
            problem="Back pain referrals at the trust go to orthopaedics, pain and "
            "physiotherapy queues by habit, not need.",
            sponsor=self.logins[STEERING],
            icbs=ICB.objects.filter(ods_code="QHM"),
            topic=Topic.objects.filter(network=self.network,
                                       slug="spinal-services").first(),
            term="medium", team=[contact],
            serves=[self.priorities["Adopt the spinal pain pathway across the "
                                    "region"]])
        measure = improvement.add_measure(
            project=project, by=self.lead, kind="process", name=SPINAL_MEASURE,
            definition="Back pain referrals triaged onto the spinal pathway, as a "
            "percentage of all back pain referrals that month.", unit="%",
            improvement="increase", target=70, owner=contact)
        months = months_back(24, self.today)
        live = 12
        level = shift(34, 62, live, 3.0)
        DataPoint.objects.bulk_create(
            DataPoint(measure=measure, period=period, created_by=contact,
                      value=round(level(i, len(months), self.rng), 1),
                      annotation="Spinal pathway went live" if i == live else "")
            for i, period in enumerate(months))
        started = self.months_ago(15)
        for month, stage, score, note in ((11, "testing", "2.0", ("Pathway live in "
                                           "the spinal clinic")),
                                          (14, "implementing", "3.0",
                                           "Pathway live across the trust")):
            change = improvement.update_progress(project=project, by=self.lead,
                                                 stage=stage, score=Decimal(score),
                                                 note=note)
            if change is not None:
                ProgressChange.objects.filter(pk=change.pk).update(
                    at=self.months_ago(24 - month))
        QIProject.objects.filter(pk=project.pk).update(created_at=started)
        ProgressChange.objects.filter(project=project, stage_from="").update(
            at=started)
        gap = [16, 14, 12, 6]
        adoption = Adoption.objects.create(
            innovation=spinal, site=site, status=AdoptionStatus.ADOPTED,
            status_on=self.months_ago(gap[-1]).date(), created_by=contact,
            created_at=self.months_ago(gap[0]), project=project)
        adoption.contacts.set([contact])
        previous = ""
        for status, months_ago in zip(PATH[1:5], gap, strict=True):
            on = self.months_ago(months_ago).date()
            AdoptionChange.objects.create(
                adoption=adoption, status_from=previous, status_to=status, on=on,
                note=NOTES[status], by=contact,
                at=timezone.make_aware(dt.datetime.combine(on, dt.time(11))))
            previous = status
        Follow.objects.get_or_create(innovation=spinal, user=contact)
        return project


def load_demo_innovations(*, now: dt.datetime | None = None) -> None:
    """The demo's innovations; run inside the demo loader's transaction, once.

    Does nothing if either demo network already has innovations.
    """
    now = now or timezone.now()
    networks = {n.slug: n for n in Network.objects.filter(slug__in=["nenc", "london"])}
    if len(networks) < 2 or Innovation.objects.filter(
            network__in=networks.values()).exists():
        return
    rng = random.Random(SEED)  # noqa: S311 - synthetic data, not secrets
    nenc = Loader(networks["nenc"], now=now, rng=rng)
    nenc.screening([nenc.logins[STEERING], nenc.logins[MEMBER], nenc.logins[LIVED]])
    made = nenc.load(NENC_INNOVATIONS)
    nenc.public_proposal()
    nenc.spread_project(made["Demo: Regional spinal pathway"])

    london = Loader(networks["london"], now=now, rng=rng)
    made = london.load(LONDON_INNOVATIONS)
    site_name, project_title = LONDON_PROJECT
    Adoption.objects.filter(
        innovation=made["Demo: First-contact physiotherapy with same-day triage"],
        site__name=site_name,
    ).update(project=QIProject.objects.filter(
        network=networks["london"], title=project_title).first())
