"""Demo nomination rounds: what the networks nominated, scored and chose.

London has a finished round (eight nominations, scored by five of its
steering group, with supports, comments and decisions: one long, one medium
and one short-term project selected) and an open round with two
nominations; North East and North Cumbria has a smaller finished round.
Everything is made through the actions, as people would make it, then moved
back in time. Every nomination is invented.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from msknet.core.dates import working_day_on_or_before
from msknet.members.models import Network, Role, User

from . import actions, queries
from .models import Decision, Nomination, Round

SEED = 2026


@dataclass(frozen=True)
class DemoNomination:
    title: str
    term: str
    topic: str  # slug
    icbs: tuple[str, ...]  # ODS codes
    quality: float  # the panel's typical score, 1 to 5
    decision: str
    reason: str
    problem: str
    population: str
    variation: str
    access: str
    outcomes: str
    experience: str
    inequality: str
    resources: str
    evidence: str


def N(*args: object) -> DemoNomination:  # reads as a table
    return DemoNomination(*args)  # type: ignore[arg-type]


LONDON_FINISHED = [
    N("First-contact physiotherapy access in the most deprived practices", "short",
      "primary-community-msk", ("QMF", "QKK"), 4.5, Decision.SELECTED, "",
      "Practices in the most deprived areas are the least likely to offer a "
      "first-contact physiotherapist, so people there wait for a GP appointment "
      "before anyone assesses their back, neck or joint pain.",
      "Adults registered with the 20% most deprived practices in East and South "
      "East London, around 380,000 people.",
      "FCP sessions per 10,000 patients range fivefold between PCNs.",
      "Same-week assessment by an FCP instead of a GP wait.",
      "Earlier advice and exercise; fewer people moving on to persistent pain.",
      "People are seen first by the right professional.",
      "Closes the gap in FCP provision between the most and least deprived "
      "quintiles.",
      "Six PCNs, recruitment support, a part-time analyst for six months.",
      "National FCP evaluation (2019-2021); local pilots in two PCNs."),
    N("Opioid tapering in chronic non-cancer pain", "medium",
      "persistent-pain-opioids", ("QMJ", "QRV", "QWE"), 4.3, Decision.SELECTED, "",
      "Long-term high-dose opioid prescribing for chronic pain carries harm with "
      "little benefit; few practices review it systematically.",
      "Adults on 120 mg oral morphine equivalent a day or more for over 3 months.",
      "High-dose prescribing per 1,000 patients varies threefold between "
      "sub-ICB locations.",
      "Structured medication reviews with pharmacists in every PCN.",
      "Fewer falls, overdoses and dependence; better function.",
      "Shared plans people agree to, with psychological support.",
      "Opioid prescribing is highest in the most deprived neighbourhoods.",
      "Clinical pharmacist time, pain psychology sessions, prescribing data.",
      "Opioids Aware; NICE NG193; the network's prescribing dashboard."),
    N("Adoption of the National Back Pain Pathway across London", "long",
      "spinal-services", ("QRV", "QMJ", "QMF", "QKK", "QWE"), 4.4,
      Decision.SELECTED, "",
      "Back pain care differs by borough: who is imaged, who is referred to "
      "spinal surgery and who gets a combined physical and psychological "
      "programme.",
      "Adults with low back pain with or without radicular pain; about 1 in 10 "
      "adults each year.",
      "Spinal MRI and referral rates differ more than twofold between ICBs.",
      "One pathway with clear triage at every front door.",
      "Fewer unnecessary scans and operations; more people back to work.",
      "Consistent advice wherever people live.",
      "Combined programmes are hardest to reach for non-English speakers.",
      "Pathway leads in each ICB, training, shared data over three years.",
      "National Back Pain and Radicular Pain Pathway; GIRFT spinal report."),
    N("Falls and fracture prevention: fracture liaison in every ICB", "long",
      "falls-fracture-prevention", ("QKK", "QWE"), 3.9, Decision.DEFERRED,
      "Deferred until the national fracture liaison audit reports next spring; "
      "to return in the next round with local figures.",
      "Two ICBs have no fracture liaison service, so fragility fractures go "
      "unassessed for osteoporosis.",
      "Adults over 50 after a fragility fracture.",
      "Secondary fracture prevention assessments range from 10% to 80%.",
      "Every fragility fracture assessed within 12 weeks.",
      "Fewer hip fractures in the following years.",
      "People are offered treatment without chasing it.",
      "Older people in care homes are assessed least often.",
      "Nurse specialists, DXA capacity and commissioning support.",
      "Royal Osteoporosis Society standards; FLS-DB audit."),
    N("Group exercise for knee and hip osteoarthritis in community venues",
      "short", "long-term-conditions", ("QMJ", "QMF"), 3.7, Decision.DEFERRED,
      "Worth doing: deferred until the first-contact work frees up physiotherapy "
      "capacity.",
      "Few people with knee or hip osteoarthritis are offered education and "
      "exercise before a surgical referral.",
      "Adults with knee or hip osteoarthritis, about 1 in 5 adults over 45.",
      "Referral to group programmes varies from none to most practices in a "
      "borough.",
      "Classes in leisure centres and community halls.",
      "Less pain, better function, fewer joint replacements.",
      "Peer support; classes near home.",
      "Uptake is lowest in Black and Asian communities.",
      "Physiotherapists to run classes, venues, an evaluation.",
      "NICE NG226 recommends exercise and education first."),
    N("Shared decision making before hip and knee replacement referral", "medium",
      "long-term-conditions", ("QRV",), 3.2, Decision.DECLINED,
      "Declined: overlaps with the elective recovery programme's work on "
      "referral optimisation; the network will share its materials instead.",
      "People are referred for joint replacement without discussing the "
      "options, and some decline surgery at the hospital.",
      "Adults considering hip or knee replacement.",
      "Conversion of referrals to surgery ranges from 40% to 75%.",
      "Fewer wasted outpatient appointments.",
      "Operations for the people who want and benefit from them.",
      "Decisions people feel part of.",
      "Shared decision tools are rarely translated.",
      "Decision aids, training for FCPs and GPs.",
      "NICE NG197 shared decision making."),
    N("Vocational rehabilitation in community MSK services", "medium",
      "primary-community-msk", ("QMF",), 2.9, Decision.DECLINED,
      "Declined: better led by the ICS work and health programme, which has "
      "agreed to take it on; the network will link the two.",
      "Community MSK services rarely ask about work, and people fall out of "
      "work with treatable conditions.",
      "Working-age adults referred to community MSK services.",
      "Fit note use and return-to-work advice vary between services.",
      "Work asked about at every first appointment.",
      "More people staying in or returning to work.",
      "Advice that fits people's jobs.",
      "Insecure and manual workers lose most from MSK conditions.",
      "Employment advisors, training, links with Jobcentres.",
      "Work and health programme evaluations."),
    N("Interpreters booked by default in MSK clinics", "short",
      "inequalities-coproduction", ("QKK", "QMF"), 3.5, Decision.DEFERRED,
      "Deferred: the ICBs' interpreting contracts are being re-let this year; "
      "to return once the new contracts are in place.",
      "People who need an interpreter often arrive to find none booked, and "
      "their appointment is wasted or rushed.",
      "People with limited English using MSK services.",
      "Interpreter booking rates vary from 20% to 90% of those who need one.",
      "Appointments that go ahead.",
      "Treatment plans people understand and follow.",
      "Being listened to in one's own language.",
      "Directly reduces unequal access for non-English speakers.",
      "Administrative changes, interpreter budget.",
      "Healthwatch reports on interpreting in London."),
]

LONDON_OPEN = [
    N("Hypermobility awareness in primary care", "short", "primary-community-msk",
      ("QMJ",), 0, "", "",
      "Hypermobility spectrum disorders are often missed, and people go years "
      "without advice that helps.",
      "Children and adults with joint hypermobility and pain.",
      "Recognition varies widely between practices.",
      "Earlier recognition and advice.",
      "Fewer injuries and less persistent pain.",
      "Being believed.",
      "Women and girls wait longest for recognition.",
      "Training for primary care teams.",
      "Hypermobility Syndromes Association resources."),
    N("Pain management programmes in community languages", "medium",
      "inequalities-coproduction", ("QKK", "QWE"), 0, "", "",
      "Pain management programmes run in English only, so many people who "
      "would benefit never join one.",
      "Adults with persistent pain who prefer a language other than English.",
      "Programme uptake by ethnicity varies tenfold.",
      "Programmes people can join.",
      "Better coping and function.",
      "Care that respects people's language and culture.",
      "Directly tackles unequal access to pain programmes.",
      "Bilingual facilitators, co-production with community groups.",
      "Local pilot with a Bengali-speaking group."),
]

NENC_FINISHED = [
    N("Opioid deprescribing clinics in primary care", "short",
      "persistent-pain-opioids", ("QHM",), 4.4, Decision.SELECTED, "",
      "High-dose opioid prescribing in the North East is among the highest in "
      "England.",
      "Adults on long-term opioids for persistent non-cancer pain.",
      "Prescribing varies threefold between PCNs.",
      "A clinic in each PCN.", "Fewer opioid harms.",
      "Support to taper safely.",
      "Prescribing is highest in coastal and ex-industrial communities.",
      "Pharmacist sessions, a GP champion per PCN.", "Opioids Aware."),
    N("Validating the pain management programme waiting list", "medium",
      "persistent-pain-opioids", ("QHM",), 4.0, Decision.SELECTED, "",
      "People wait over a year for a pain management programme, and many no "
      "longer need or want it.",
      "Adults waiting for a pain management programme.",
      "Waits range from 3 to 14 months between providers.",
      "Shorter waits for those who still need the programme.",
      "Support while waiting.", "Contact while waiting.",
      "People with most deprivation wait longest.",
      "Administrative and clinical time.", "Waiting well initiatives."),
    N("Spinal pain pathway for people in work", "long", "work-and-health",
      ("QHM",), 3.8, Decision.SELECTED, "",
      "People with back pain fall out of work while waiting for assessment.",
      "Working-age adults with spinal pain.",
      "Fit note duration for back pain varies between practices.",
      "Rapid access to work-focused assessment.", "More people staying in work.",
      "Advice that fits people's jobs.",
      "Manual workers are most affected.", "Employment advisors, FCP time.",
      "National Back Pain Pathway."),
    N("Social prescribing for persistent pain", "short", "long-term-conditions",
      ("QHM",), 3.1, Decision.DECLINED,
      "Declined: already funded by the ICB's personalised care programme.",
      "Few people with persistent pain are offered social prescribing.",
      "Adults with persistent pain.", "Referral rates vary widely.",
      "Access to community support.", "Better wellbeing.",
      "Support beyond medicines.", "Isolation is highest in deprived areas.",
      "Link worker time.", "Personalised care evidence."),
]

COMMENTS = [
    "We see this every week in our clinic: strongly support.",
    "Could this start in one ICB and spread once we have results?",
    ("As someone who waited months for help, this would have made a real "
     "difference."),
    "Worth linking with the ICB's data team for a baseline.",
    "Make sure people with lived experience help design it.",
]


def _today() -> dt.date:
    return timezone.localdate()


def _people(network: Network) -> tuple[User, list[User], list[User]]:
    """The lead, the panel (the demo steering login first) and members."""
    memberships = network.memberships.active().select_related("user").order_by(
        "joined_at", "pk")
    lead = User.objects.get(email=f"lead@{network.slug}.example.nhs.uk")
    steering = [m.user for m in memberships if m.role in (Role.STEERING, Role.LEAD)
                and m.user != lead]
    steering.sort(key=lambda u: (not u.email.startswith("steering@"), u.pk))
    members = [m.user for m in memberships if m.role == Role.MEMBER]
    return lead, steering, members


def _nominate(round: Round, spec: DemoNomination, by: User) -> Nomination:
    network = round.network
    return actions.nominate(
        round=round, by=by,
        icbs=list(network.icbs.filter(ods_code__in=spec.icbs)),
        topic=network.topics.filter(slug=spec.topic).first(),
        title=spec.title, term=spec.term, problem=spec.problem,
        population=spec.population, variation=spec.variation,
        benefit_access=spec.access, benefit_outcomes=spec.outcomes,
        benefit_experience=spec.experience, inequality=spec.inequality,
        resources=spec.resources, evidence=spec.evidence,
    )


def _engage(rng: random.Random, nomination: Nomination, members: list[User],
            supporters: int) -> None:
    others = [m for m in members if m.pk != nomination.nominated_by_id]
    for user in rng.sample(others, supporters):
        used = len(queries.supported_by(nomination.round, user))
        if used < nomination.round.supports_per_member:
            actions.support(nomination=nomination, by=user)
    for body in rng.sample(COMMENTS, rng.randint(1, 2)):
        actions.add_comment(nomination=nomination, by=rng.choice(members), body=body)


def finished_round(network: Network, *, title: str, specs: list[DemoNomination],
                   panel_size: int, months_ago: int, minute: str,
                   rng: random.Random) -> Round:
    lead, steering, members = _people(network)
    today = _today()
    round = actions.create_round(
        network=network, by=lead, title=title, opens_on=today,
        closes_on=today + dt.timedelta(days=1),
        description="Nominate the long, medium and short-term improvement projects "
        "the network should take on next.",
    )
    nominations = []
    for spec in specs:
        nomination = _nominate(round, spec, rng.choice(members))
        _engage(rng, nomination, members, rng.randint(3, 12))
        nominations.append((nomination, spec))
    actions.close_nominations(round=round, by=lead)
    panel = [*steering[: panel_size - 1], lead]
    for nomination, spec in nominations:
        for panellist in panel:
            scores = {
                c.pk: (max(1, min(5, round_half(spec.quality + rng.gauss(0, 0.6)))),
                       rng.choice(["", "", "Clear case.", "Depends on funding.",
                                   "Strong on inequalities."]))
                for c in round.criteria.all()
            }
            actions.submit_scores(nomination=nomination, by=panellist, scores=scores)
    actions.close_screening(round=round, by=lead)
    meeting = working_day_on_or_before(today - dt.timedelta(days=30 * months_ago - 40))
    for nomination, spec in nominations:
        actions.record_decision(
            nomination=nomination, by=lead, decision=spec.decision,
            reason=spec.reason, meeting_on=meeting, minute_reference=minute,
        )
    _move_back(round, days=30 * months_ago)
    return round


def round_half(value: float) -> int:
    return int(value + 0.5)


def _move_back(round: Round, *, days: int) -> None:
    """Shift a round made today back in time, as if run `days` ago."""
    shift = dt.timedelta(days=days)
    now = timezone.now()
    Round.objects.filter(pk=round.pk).update(
        opens_on=round.opens_on - shift, closes_on=round.opens_on - shift
        + dt.timedelta(days=28), closed_at=None, closed_by=None,
        screening_closed_at=now - shift + dt.timedelta(days=45),
        created_at=now - shift)
    round.nominations.update(created_at=now - shift + dt.timedelta(days=7),
                             decided_at=now - shift + dt.timedelta(days=60))


def open_round(network: Network, *, title: str, specs: list[DemoNomination],
               rng: random.Random) -> Round:
    lead, _, members = _people(network)
    today = _today()
    round = actions.create_round(
        network=network, by=lead, title=title,
        opens_on=today - dt.timedelta(days=10), closes_on=today + dt.timedelta(days=20),
        description="Tell us what the network should work on in 2026/27.",
    )
    for spec in specs:
        nomination = _nominate(round, spec, rng.choice(members))
        _engage(rng, nomination, members, rng.randint(2, 5))
    return round


def load_demo_priorities() -> None:
    """The demo's rounds; run inside the demo loader's transaction."""
    rng = random.Random(SEED)  # noqa: S311 (synthetic data, not secrets)
    london = Network.objects.get(slug="london")
    nenc = Network.objects.get(slug="nenc")
    finished_round(london, title="London MSK priorities 2025/26", specs=LONDON_FINISHED,
                   panel_size=5, months_ago=8, minute="SG-2025-04 item 5", rng=rng)
    open_round(london, title="London MSK priorities 2026/27", specs=LONDON_OPEN,
               rng=rng)
    finished_round(nenc, title="NENC pain priorities 2025/26", specs=NENC_FINISHED,
                   panel_size=3, months_ago=6, minute="Steering 2025-06, minute 7",
                   rng=rng)


def selected_nominations(network: Network | None = None) -> QuerySet[Nomination]:
    """The nominations leads selected (the improvement projects to start)."""
    return queries.selected_nominations(network)

