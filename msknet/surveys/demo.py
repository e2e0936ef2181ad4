"""Synthetic demo surveys, their responses and coded themes.

North East and North Cumbria: the landscape survey for professionals, run for
six weeks and closed a fortnight ago, with about 150 anonymous responses
across sectors, places and pathway steps, its free text coded into themes by
the network lead; feedback on its most recent pain event, sent to the
attendees; and the lived-experience survey, open now, which the demo member
with lived experience has half-answered ("save and return"). London:
feedback on its most recent community of practice meeting and its
lived-experience survey, open now to anyone with the link.

Every answer is invented: free text is put together from pools of phrases
with variation and names no person or organisation. Anonymous responses
carry no respondent; accounts that answered get a `Participation` that names
no response, as the site's own answering does. Responses, answers and codings
are written in bulk. Runs inside the demo loader's transaction, after the
community demo's events and registrations.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from django.db.models import Q
from django.utils import timezone

from msknet.community.models import Attendance, Event, Registration
from msknet.landscape.models import Step
from msknet.members.models import Membership, Network, Sector, User

from .catalogue import AGREEMENT, TEMPLATES, create_from_template
from .models import (
    Answer,
    Audience,
    Coding,
    Draft,
    Participation,
    Question,
    Response,
    Survey,
    SurveyStatus,
    Theme,
)

SEED = 2026

LEAD = "lead@{slug}.example.nhs.uk"
STEERING = "steering@{slug}.example.nhs.uk"
MEMBER = "member@{slug}.example.nhs.uk"
LIVED = "lived.experience@{slug}.example.org"

#: How many landscape responses came from each sector (the question's labels):
#: most from the three big sectors, and a few sectors under the breakdown
#: minimum so the cross-tabs show suppression.
LANDSCAPE_SECTORS: dict[str, int] = {
    Sector.PRIMARY_CARE.label: 41,
    Sector.COMMUNITY.label: 37,
    Sector.SECONDARY_CARE.label: 30,
    Sector.COMMISSIONER.label: 9,
    Sector.SOCIAL_PRESCRIBING.label: 8,
    Sector.LOCAL_AUTHORITY.label: 6,
    Sector.VOLUNTARY.label: 6,
    Sector.WORKFORCE.label: 4,
    Sector.ACADEMIC.label: 4,
    Sector.EMPLOYMENT.label: 3,
    Sector.OTHER.label: 2,
}
#: Of the landscape responses, how many came from signed-in members (the
#: rest came through the link, shared beyond the membership).
LANDSCAPE_MEMBERS_ANSWERED = 90
#: Share of free-text answers the lead has coded into themes.
CODED_SHARE = 0.86
LONDON_FEEDBACK = 20
LONDON_LIVED = 30
NENC_LIVED = 14
#: Fewer attendees than this and the feedback is topped up with responses
#: from people who came on the online link (no account, so no Participation).
MIN_FEEDBACK = 12

ROLES: dict[str, tuple[str, ...]] = {
    Sector.PRIMARY_CARE.label: (
        "First-contact physiotherapist", "GP partner", "Salaried GP",
        "Practice pharmacist", "Advanced practice physiotherapist",
        "Practice nurse"),
    Sector.COMMUNITY.label: (
        "Community MSK physiotherapist", "Clinical lead, community MSK",
        "Pain management nurse specialist", "Clinical psychologist, pain service",
        "Occupational therapist", "MSK triage physiotherapist"),
    Sector.SECONDARY_CARE.label: (
        "Consultant orthopaedic surgeon", "Consultant rheumatologist",
        "Spinal extended scope practitioner", "Pain medicine consultant",
        "Rheumatology nurse specialist", "Orthopaedic registrar"),
    Sector.COMMISSIONER.label: ("MSK commissioning manager",
                                "Planned care programme lead", "Operational manager"),
    Sector.SOCIAL_PRESCRIBING.label: ("Social prescribing link worker",
                                      "Health and wellbeing coach"),
    Sector.LOCAL_AUTHORITY.label: ("Public health registrar", "Physical activity lead",
                                   "Public health practitioner"),
    Sector.VOLUNTARY.label: ("Charity services manager", "Peer support coordinator"),
    Sector.WORKFORCE.label: ("Training programme lead", "Workforce development manager"),
    Sector.ACADEMIC.label: ("Research physiotherapist", "Senior lecturer in physiotherapy"),
    Sector.EMPLOYMENT.label: ("Employment advisor", "Vocational rehabilitation advisor"),
    Sector.OTHER.label: ("Podiatrist", "Sports therapist"),
}

_NOT_ON = "Not on the pathway"
STEPS: dict[str, tuple[str, ...]] = {
    Sector.PRIMARY_CARE.label: (Step.FCP.label, Step.FCP.label, Step.FCP.label,
                                Step.SELF_MANAGEMENT.label, Step.INTERFACE.label),
    Sector.COMMUNITY.label: (Step.COMMUNITY_MSK.label, Step.COMMUNITY_MSK.label,
                             Step.PAIN_MANAGEMENT.label, Step.INTERFACE.label),
    Sector.SECONDARY_CARE.label: (Step.ORTHOPAEDICS.label, Step.ORTHOPAEDICS.label,
                                  Step.RHEUMATOLOGY.label,
                                  Step.SPINAL_SURGERY.label, Step.PAIN_MEDICINE.label),
    Sector.COMMISSIONER.label: (_NOT_ON, Step.INTERFACE.label),
    Sector.SOCIAL_PRESCRIBING.label: (Step.EMPLOYMENT.label, Step.SELF_MANAGEMENT.label),
    Sector.LOCAL_AUTHORITY.label: (Step.SELF_MANAGEMENT.label, _NOT_ON),
    Sector.VOLUNTARY.label: (Step.SELF_MANAGEMENT.label,),
    Sector.WORKFORCE.label: (_NOT_ON,),
    Sector.ACADEMIC.label: (_NOT_ON, Step.COMMUNITY_MSK.label),
    Sector.EMPLOYMENT.label: (Step.EMPLOYMENT.label,),
    Sector.OTHER.label: (Step.SELF_MANAGEMENT.label, Step.COMMUNITY_MSK.label),
}

#: Each obstacle's chance of being ticked, then the sectors that tick it more.
OBSTACLES: dict[str, tuple[float, tuple[str, ...]]] = {
    "Waiting lists": (0.55, (Sector.PRIMARY_CARE.label, Sector.COMMUNITY.label,
                             Sector.SECONDARY_CARE.label)),
    "Staffing and vacancies": (0.45, (Sector.COMMUNITY.label,
                                      Sector.SECONDARY_CARE.label,
                                      Sector.WORKFORCE.label)),
    "Referral routes that are unclear": (0.35, (Sector.PRIMARY_CARE.label,
                                                Sector.SOCIAL_PRESCRIBING.label,
                                                Sector.VOLUNTARY.label)),
    "IT and data sharing": (0.30, (Sector.COMMUNITY.label, Sector.COMMISSIONER.label)),
    "Access to pain and psychology support": (0.35, (Sector.COMMUNITY.label,
                                                     Sector.PRIMARY_CARE.label)),
    "Patients' wider needs: work, housing, money": (
        0.30, (Sector.SOCIAL_PRESCRIBING.label, Sector.LOCAL_AUTHORITY.label,
               Sector.EMPLOYMENT.label, Sector.VOLUNTARY.label)),
    "Funding and contracts": (0.25, (Sector.COMMISSIONER.label, Sector.VOLUNTARY.label)),
    "Something else": (0.06, ()),
}
OTHER_OBSTACLES = (
    "Rural travel distances for patients", "Room space for clinics",
    "Interpreters at short notice", "Parking and public transport to clinics",
    "Different forms for every service",
)

#: Mean agreement (1 to 5) with each Likert statement, by sector; unlisted
#: sectors use the last row.
LIKERT_MEANS: dict[str, tuple[float, float, float]] = {
    Sector.PRIMARY_CARE.label: (3.0, 2.2, 2.6),
    Sector.COMMUNITY.label: (3.9, 2.7, 3.4),
    Sector.SECONDARY_CARE.label: (3.3, 2.1, 4.1),
    Sector.COMMISSIONER.label: (3.9, 2.9, 3.1),
    "": (2.5, 2.4, 2.4),
}

NENC_PLACES = ("Durham", "Northumberland", "North Cumbria", "Teesside", "Sunderland",
               "Gateshead", "North Tyneside", "South Tyneside", "Darlington")
LONDON_PLACES = ("north-west London", "north-central London", "north-east London",
                 "south-east London", "south-west London")


@dataclass(frozen=True)
class Pool:
    """Free-text answers to one question: sentences by theme, put together."""

    themes: dict[str, tuple[str, ...]]
    openers: tuple[str, ...] = ("", "", "", "")
    second: float = 0.35  # chance of a second theme in one answer
    weights: dict[str, dict[str, float]] = field(default_factory=dict)  # sector → theme


CHALLENGES = Pool(
    themes={
        "Waiting times": (
            ("Waits for community physiotherapy are around {weeks} weeks, so people "
            "get worse while they wait."),
            "People wait {weeks} weeks for a first appointment and many give up.",
            "The wait for a pain clinic is longer than a year in {place}.",
            "Long waits for imaging hold up decisions about what to do next.",
            ("By the time people reach us after {weeks} weeks their pain has become "
            "harder to shift."),
        ),
        "Workforce and vacancies": (
            "We have had two band 7 posts vacant for most of the year.",
            "We cannot recruit experienced MSK physiotherapists in {place}.",
            "Staff are leaving for better-paid roles and we keep training new starters.",
            "There is nobody to cover sickness, so clinics are cancelled.",
            "Too few first-contact practitioners for the number of practices we cover.",
        ),
        "Unclear referral routes": (
            "It is hard to know which service takes which referral.",
            "Referral criteria change and nobody tells primary care.",
            "Patients bounce between services because the routes are not clear.",
            "Every place in the region has a different pathway for the same problem.",
            "Referrals get rejected for missing information we did not know was needed.",
        ),
        "IT and data sharing": (
            "We cannot see each other's records, so people repeat their story.",
            "Our systems do not talk to the hospital's, so letters arrive weeks late.",
            "Getting data about our own waits takes months.",
            "Referrals still go by email attachment and get lost.",
        ),
        "Psychological support": (
            "There is almost no psychological support for people with persistent pain.",
            "People with pain and low mood fall between MSK and mental health services.",
            "We need psychology in the team but cannot get it funded.",
            "Talking therapies will not take people whose main problem is pain.",
        ),
        "Wider determinants": (
            "Many of our patients are worried about losing their job.",
            "Money and housing worries come up in most appointments.",
            "People cannot afford the bus to get to a class in {place}.",
            "Loneliness makes pain much harder to manage, and we have little to offer.",
            "Deprivation in {place} means people present later and with more problems.",
        ),
    },
    openers=("", "", "", "Honestly, ", "For our team, ", "Mainly that "),
    weights={
        Sector.PRIMARY_CARE.label: {"Waiting times": 3, "Unclear referral routes": 3},
        Sector.COMMUNITY.label: {"Workforce and vacancies": 3, "Waiting times": 2,
                                 "Psychological support": 2},
        Sector.SECONDARY_CARE.label: {"Waiting times": 3, "Workforce and vacancies": 2},
        Sector.COMMISSIONER.label: {"IT and data sharing": 3},
        Sector.SOCIAL_PRESCRIBING.label: {"Wider determinants": 4},
        Sector.LOCAL_AUTHORITY.label: {"Wider determinants": 4},
        Sector.VOLUNTARY.label: {"Wider determinants": 3, "Psychological support": 2},
        Sector.EMPLOYMENT.label: {"Wider determinants": 5},
    },
)

STRENGTHS = Pool(
    themes={
        "Team working": (
            "The team is close and everyone helps each other out.",
            "We have a good relationship with the consultants and can pick up the phone.",
            "Our multidisciplinary meeting means hard cases get a plan quickly.",
            "Physios, nurses and GPs in our practices work as one team.",
        ),
        "Self-referral": (
            "Self-referral to physiotherapy means people get seen sooner.",
            "People can book themselves onto our classes without a referral.",
            "Self-referral has taken pressure off GP appointments.",
        ),
        "Pain education": (
            "Our pain education sessions help people understand their pain.",
            "The pain management programme has excellent feedback.",
            "We explain pain in a way people understand, and it changes how they cope.",
        ),
        "First-contact practitioners": (
            "First-contact physiotherapists in practices see people on the day.",
            "Having an FCP in the practice means fewer onward referrals.",
            "Our FCPs give quick, confident advice and people like it.",
        ),
        "Community exercise": (
            "Community exercise classes in {place} keep people active after discharge.",
            "The joint school and walking groups are really popular.",
            "Leisure centre classes give people somewhere to go after physio.",
        ),
        "Shared decision making": (
            "We take time to talk through options so people choose what suits them.",
            "Decision aids help people decide whether surgery is right for them.",
        ),
    },
    openers=("", "", "", "I think ", "Definitely "),
    weights={
        Sector.PRIMARY_CARE.label: {"First-contact practitioners": 4},
        Sector.COMMUNITY.label: {"Self-referral": 3, "Pain education": 2},
        Sector.SECONDARY_CARE.label: {"Team working": 3, "Shared decision making": 3},
        Sector.LOCAL_AUTHORITY.label: {"Community exercise": 4},
        Sector.VOLUNTARY.label: {"Community exercise": 3},
        Sector.SOCIAL_PRESCRIBING.label: {"Community exercise": 3},
    },
)

SOLUTIONS = Pool(
    themes={
        "Group clinics": (
            ("Group clinics for knee pain let us see more people and they support "
            "each other."),
            "We run group education for new back pain referrals while they wait.",
        ),
        "Advice and guidance": (
            "Advice and guidance from the consultants saves many referrals.",
            "A weekly phone slot with a specialist for questions from primary care.",
        ),
        "Shared triage": (
            "One triage point for all MSK referrals in {place} has cut bounced referrals.",
            "Triage by an experienced physio before anything goes to the hospital.",
        ),
        "Digital self-management": (
            "An exercise app for people on the waiting list keeps them moving.",
            "Video exercise plans sent by text message after the first appointment.",
        ),
        "Social prescribing links": (
            ("Booking a link worker appointment from the MSK clinic for money and work "
            "worries."),
            "A named social prescriber for the pain service.",
        ),
        "Waiting well": (
            "Checking in with people on the waiting list every couple of months.",
            "Sending information on what helps while people wait.",
        ),
    },
    openers=("", "", "We started ", "Try "),
    second=0.15,
)

NETWORK_SHOULD = Pool(
    themes={
        "Share good practice": (
            "Share what works across the region so we do not all start from scratch.",
            "Run show-and-tell sessions for teams to learn from each other.",
            "Publish short case studies of improvements that worked.",
        ),
        "Map services": (
            "Keep an up-to-date map of services and who they accept.",
            "Tell us which service covers which place and what their waits are.",
        ),
        "Training and education": (
            "Offer training on persistent pain for primary care.",
            "Support development for new FCPs and leadership training.",
            "Arrange shadowing between primary and secondary care.",
        ),
        "Speak up for funding": (
            "Make the case to commissioners for psychology in pain services.",
            "Push for recurrent funding for the projects that work.",
        ),
        "Join up pathways": (
            "Agree one pathway for back pain across the region.",
            "Bring the services together to agree referral criteria.",
            "Link MSK with mental health and employment support.",
        ),
        "Involve lived experience": (
            "Involve people with lived experience in every project.",
            "Ask patients what matters to them before redesigning anything.",
        ),
    },
    openers=("", "", "", "Please ", "I would like it to "),
    weights={
        Sector.COMMISSIONER.label: {"Map services": 3, "Join up pathways": 2},
        Sector.PRIMARY_CARE.label: {"Training and education": 2, "Map services": 2},
        Sector.VOLUNTARY.label: {"Involve lived experience": 4},
    },
)

FEEDBACK_DIFFERENTLY = Pool(
    themes={
        "Use the pathway": (
            "Follow the back pain pathway steps for everyone with new back pain.",
            "Use the spinal triage checklist with my patients.",
            "Check the pathway before I refer to the spinal team.",
        ),
        "Talk about pain differently": (
            "Spend more time explaining pain at the first appointment.",
            "Use the pain education phrases from the session.",
            "Ask about mood and sleep as well as the pain itself.",
        ),
        "Refer earlier for support": (
            "Refer earlier to the pain management programme.",
            "Offer a social prescribing referral when work is at risk.",
        ),
        "Share with the team": (
            "Share the slides at our next team meeting.",
            "Tell my practice about the new first-contact offer.",
        ),
    },
    openers=("", "", "I will ", "Going to "),
    second=0.2,
)
FEEDBACK_BEST = (
    "Hearing from people who use the services.", "The case discussions in small groups.",
    "Meeting colleagues from other places.", "The update on the national pathway.",
    "Practical tips I can use on Monday.", "The guest speaker on persistent pain.",
    "Time to talk to the specialist team.",
)
FEEDBACK_LEARNED = (
    "How the national pathway fits together, from first contact to surgery.",
    "Ways to talk about pain that reduce fear.",
    "Which services accept self-referrals in our area.",
    "The evidence behind exercise for persistent pain.",
)
FEEDBACK_PRACTICE = (
    "I will use shared decision making more with people thinking about surgery.",
    "I will ask about work at every first appointment.",
    "I will use the triage checklist and record red flags clearly.",
)
NEXT_TOPICS = (
    "Persistent pain in young people", "Opioid tapering", "Work and health",
    "Fibromyalgia", "Osteoporosis and fracture prevention", "Hip and knee pain",
    "Health inequalities in MSK", "Digital self-management tools",
)

LIVED_MATTERS = Pool(
    themes={
        "Shorter waits": (
            "Not having to wait months to see someone.",
            "Getting seen quickly when it flares up.",
            "A quicker appointment when things get worse.",
        ),
        "Being believed": (
            "Being believed when I say how much it hurts.",
            "Someone who listens and does not rush me.",
            "Being taken seriously the first time.",
        ),
        "Help to stay in work": (
            "Help to keep my job while I get better.",
            "Advice for my employer about what I can do.",
        ),
        "Clear information": (
            "Clear information about what is wrong and what helps.",
            "Knowing who to contact if it gets worse.",
        ),
        "Seeing the same person": (
            "Seeing the same person each time so I do not have to explain again.",
            "One person who knows my story.",
        ),
    },
    second=0.25,
)
LIVED_HARD = (
    "I did not know where to go.", "I could not get a GP appointment.",
    "I thought nothing could be done.", "I was worried about taking time off work.",
)
LIVED_WELL = (
    "The physio gave me exercises that helped.", "The pharmacist was very kind.",
    "The class at the leisure centre was friendly.", "My GP listened to me.",
    "The website had useful information about back pain.",
)


class SurveysDemo:
    def __init__(self, *, now: datetime) -> None:
        self.now = now
        self.rng = np.random.default_rng(SEED)
        self.responses: list[Response] = []
        self.answers: list[Answer] = []
        # (answer, theme names, coded at, coded by), settled after the answers.
        self.codings: list[tuple[Answer, list[str], datetime, User]] = []
        self.themes: dict[tuple[int, str], Theme] = {}

    # -- the load ----------------------------------------------------------

    def load(self) -> None:
        networks = {n.slug: n for n in Network.objects.filter(slug__in=("nenc", "london"))}
        if not networks or Survey.objects.filter(network__in=networks.values()).exists():
            return  # no demo networks, or already loaded
        if nenc := networks.get("nenc"):
            self.nenc(nenc)
        if london := networks.get("london"):
            self.london(london)
        self.settle()

    def nenc(self, network: Network) -> None:
        lead = self.login(LEAD, network)
        self.landscape(network, lead)
        event = self.past_event(network, ("back pain", "pain"))
        if event is not None:
            self.event_feedback(network, lead, event, places=NENC_PLACES)
        lived = self.lived_experience(network, lead, NENC_LIVED, places=NENC_PLACES)
        self.half_answered(lived, self.login(LIVED, network))

    def london(self, network: Network) -> None:
        lead = self.login(LEAD, network)
        event = self.past_event(network, ("community of practice",))
        if event is not None:
            self.event_feedback(network, lead, event, places=LONDON_PLACES,
                                limit=LONDON_FEEDBACK)
        self.lived_experience(network, lead, LONDON_LIVED, places=LONDON_PLACES,
                              answered_by=self.login(LIVED, network))

    @staticmethod
    def login(pattern: str, network: Network) -> User | None:
        return User.objects.filter(email=pattern.format(slug=network.slug)).first()

    def past_event(self, network: Network, words: Sequence[str]) -> Event | None:
        """The most recent past event whose title has the first of `words` found."""
        past = Event.objects.filter(network=network, ends_at__lt=self.now)
        for word in words:
            event = past.filter(title__icontains=word).order_by("-starts_at").first()
            if event is not None:
                return event
        return None

    # -- making surveys ------------------------------------------------------

    def make(self, network: Network, key: str, *, by: User | None, status: str,
             opens_at: datetime, closes_at: datetime | None, event: Event | None = None,
             **fields: Any) -> tuple[Survey, dict[str, Question]]:
        survey = create_from_template(network, key, by=by, event=event)
        created = opens_at - timedelta(days=6)
        Survey.objects.filter(pk=survey.pk).update(
            status=status, opens_at=opens_at, closes_at=closes_at,
            created_at=created, updated_at=opens_at, **fields)
        survey.refresh_from_db()
        return survey, self.keyed(survey)

    @staticmethod
    def keyed(survey: Survey) -> dict[str, Question]:
        """The survey's questions by their template keys (made in template order)."""
        specs = [q for s in TEMPLATES[survey.template].sections for q in s.questions]
        made = Question.objects.filter(section__survey=survey).order_by(
            "section__position", "position")
        return {spec.key: q for spec, q in zip(specs, made, strict=True)}

    def respond(self, survey: Survey, day: dt.date,
                values: dict[Question, Any]) -> list[Answer]:
        """A response (anonymous, so no respondent) and its answers, to write later."""
        response = Response(id=uuid.UUID(bytes=self.rng.bytes(16), version=4),
                            survey=survey, respondent=None, submitted_on=day)
        self.responses.append(response)
        made = [Answer(response=response, question=q, value=v)
                for q, v in values.items() if v not in (None, "", [])]
        self.answers.extend(made)
        return made

    def code(self, answer: Answer, themes: list[str], *, by: User | None,
             after: datetime) -> None:
        """Code the answer into its themes, as the lead would (most, not all)."""
        if by is not None and self.rng.random() < CODED_SHARE:
            at = after + timedelta(days=float(self.rng.uniform(0.5, 10)))
            self.codings.append((answer, themes, min(at, self.now), by))

    def add_themes(self, question: Question, pool: Pool, by: User | None) -> None:
        Theme.objects.bulk_create(
            Theme(question=question, name=name, created_by=by) for name in pool.themes)
        self.themes.update({(question.pk, t.name): t for t in question.themes.all()})

    def participated(self, survey: Survey, users: Sequence[User]) -> None:
        Participation.objects.bulk_create(
            Participation(survey=survey, user=user, responses=1) for user in users)

    def settle(self) -> None:
        Response.objects.bulk_create(self.responses, batch_size=500)
        Answer.objects.bulk_create(self.answers, batch_size=500)
        Coding.objects.bulk_create(
            (Coding(answer=answer, theme=self.themes[(answer.question_id, name)],
                    coded_by=by, coded_at=at)
             for answer, names, at, by in self.codings for name in names),
            batch_size=500)

    # -- picking -------------------------------------------------------------

    def pick(self, items: Sequence[Any], weights: Sequence[float] | None = None) -> Any:
        p = None
        if weights is not None:
            total = float(sum(weights))
            p = [w / total for w in weights]
        return items[int(self.rng.choice(len(items), p=p))]

    def days(self, start: datetime, end: datetime, count: int,
             bumps: Sequence[float] = ()) -> list[dt.date]:
        """`count` days between start and end: most soon after it opens, and
        more after each reminder (as fractions of the way through)."""
        span = max((end - start).total_seconds() / 86400 - 0.01, 0.5)
        out = []
        for _ in range(count):
            anchor = self.pick([0.0, *bumps])
            offset = anchor * span + self.rng.exponential(span / 6)
            while offset >= span:  # late stragglers land anywhere, not on the last day
                offset = self.rng.uniform(0, span)
            out.append(timezone.localtime(start + timedelta(days=float(offset))).date())
        return sorted(out)

    def text(self, pool: Pool, sector: str = "", place: str = "") -> tuple[str, list[str]]:
        """A free-text answer from the pool, and the themes it speaks to."""
        names = list(pool.themes)
        boost = pool.weights.get(sector, {})
        weights = [boost.get(n, 1.0) for n in names]
        themes = [self.pick(names, weights)]
        if self.rng.random() < pool.second:
            rest = [n for n in names if n != themes[0]]
            themes.append(self.pick(rest))
        sentences = []
        for theme in themes:
            sentence = self.pick(pool.themes[theme]).format(
                weeks=int(self.rng.integers(12, 40)), place=place or "our area")
            sentences.append(sentence)
        opener = self.pick(pool.openers)
        if opener:
            first = sentences[0]
            sentences[0] = opener + first[0].lower() + first[1:]
        return " ".join(sentences), themes

    def likert(self, mean: float) -> str:
        score = int(np.clip(round(self.rng.normal(mean, 0.9)), 1, 5))
        return AGREEMENT[score - 1]

    # -- NENC's landscape survey ----------------------------------------------

    def landscape(self, network: Network, lead: User | None) -> None:
        opens = self.now - timedelta(days=60)
        closes = self.now - timedelta(days=14)
        # Shared beyond the membership (to professionals across the region),
        # so anyone with the link; members who answered signed in.
        survey, q = self.make(network, "landscape", by=lead, status=SurveyStatus.CLOSED,
                              opens_at=opens, closes_at=closes,
                              audience=Audience.ANYONE_WITH_LINK, results_shared=True)
        for key, pool in (("challenges", CHALLENGES), ("strengths", STRENGTHS),
                          ("solutions", SOLUTIONS), ("network_should", NETWORK_SHOULD)):
            self.add_themes(q[key], pool, lead)
        sectors = [s for s, n in LANDSCAPE_SECTORS.items() for _ in range(n)]
        self.rng.shuffle(sectors)
        icbs = q["icb"].options
        days = self.days(opens, closes, len(sectors), bumps=(0.45,))
        for sector, day in zip(sectors, days, strict=True):
            place = self.pick(NENC_PLACES)
            ticked = [o for o, (p, more) in OBSTACLES.items()
                      if self.rng.random() < (p + 0.25 if sector in more else p)]
            means = LIKERT_MEANS.get(sector, LIKERT_MEANS[""])
            statements = q["confidence"].statements
            values: dict[Question, Any] = {
                q["role"]: self.pick(ROLES[sector]),
                q["sector"]: sector,
                q["icb"]: icbs[0] if self.rng.random() < 0.95 else icbs[-1],
                q["step"]: self.pick(STEPS[sector]),
                q["obstacles"]: ticked or ["Waiting lists"],
                q["obstacles_other"]: (self.pick(OTHER_OBSTACLES)
                                       if "Something else" in ticked else None),
                q["confidence"]: {s: self.likert(m)
                                  for s, m in zip(statements, means, strict=True)},
                q["leadership"]: self.pick(("Yes", "Maybe later", "No"), (35, 40, 25)),
            }
            themed: dict[Question, list[str]] = {}
            for key, pool, answered in (("challenges", CHALLENGES, 1.0),
                                        ("strengths", STRENGTHS, 1.0),
                                        ("solutions", SOLUTIONS, 0.7),
                                        ("network_should", NETWORK_SHOULD, 1.0)):
                if self.rng.random() < answered:
                    values[q[key]], themed[q[key]] = self.text(pool, sector, place)
            for answer in self.respond(survey, day, values):
                if answer.question in themed:
                    self.code(answer, themed[answer.question], by=lead, after=closes)
        members = list(
            Membership.objects.filter(network=network, user__is_active=True)
            .exclude(sector=Sector.LIVED_EXPERIENCE)
            .exclude(user__email__in=[LEAD.format(slug=network.slug),
                                      MEMBER.format(slug=network.slug)])
            .select_related("user").order_by("pk"))
        chosen = self.rng.permutation(len(members))[:LANDSCAPE_MEMBERS_ANSWERED]
        self.participated(survey, [members[int(i)].user for i in chosen])

    # -- event feedback ----------------------------------------------------------

    def event_feedback(self, network: Network, lead: User | None, event: Event, *,
                       places: Sequence[str], limit: int | None = None) -> None:
        sent = event.ends_at + timedelta(hours=20)
        survey, q = self.make(network, "event_feedback", by=lead, event=event,
                              status=SurveyStatus.OPEN, opens_at=event.ends_at,
                              closes_at=None, sent_to_attendees_at=sent)
        self.add_themes(q["differently"], FEEDBACK_DIFFERENTLY, lead)
        came = list(
            Registration.objects.filter(event=event).filter(
                Q(attendance=Attendance.ATTENDED) | Q(attendance=Attendance.NOT_RECORDED))
            .select_related("user").order_by("pk"))
        sectors = dict(Membership.objects.filter(
            network=network, user__in=[r.user for r in came]).values_list("user", "sector"))
        answered = [r.user for r in came if self.rng.random() < 0.8]
        if limit is not None:
            answered = answered[:limit]
        # People on the online link have no registration: they make up the numbers.
        extra = max(limit or MIN_FEEDBACK, MIN_FEEDBACK) - len(answered)
        labels = dict(Sector.choices)
        respondents: list[str] = [labels.get(sectors.get(u.pk, ""), Sector.OTHER.label)
                                  for u in answered]
        respondents += [self.pick([Sector.PRIMARY_CARE.label, Sector.COMMUNITY.label,
                                   Sector.SECONDARY_CARE.label]) for _ in range(extra)]
        days = self.days(sent, min(sent + timedelta(days=21), self.now),
                         len(respondents), bumps=(0.5,))
        for sector, day in zip(respondents, days, strict=True):
            values: dict[Question, Any] = {
                q["useful"]: self.pick((1, 2, 3, 4, 5), (1, 2, 8, 38, 51)),
                q["sector"]: sector,
                q["best"]: self.pick(FEEDBACK_BEST) if self.rng.random() < 0.75 else None,
                q["recommend"]: self.pick(("Yes", "Not sure", "No"), (85, 12, 3)),
                q["cpd_learned"]: (self.pick(FEEDBACK_LEARNED)
                                   if self.rng.random() < 0.5 else None),
                q["cpd_practice"]: (self.pick(FEEDBACK_PRACTICE)
                                    if self.rng.random() < 0.45 else None),
                q["next_topic"]: (self.pick(NEXT_TOPICS)
                                  if self.rng.random() < 0.4 else None),
            }
            values[q["differently"]], themes = self.text(
                FEEDBACK_DIFFERENTLY, sector, self.pick(places))
            for answer in self.respond(survey, day, values):
                if answer.question == q["differently"]:
                    self.code(answer, themes, by=lead, after=sent + timedelta(days=21))
        self.participated(survey, answered)

    # -- lived experience -----------------------------------------------------------

    def lived_experience(self, network: Network, lead: User | None, count: int, *,
                         places: Sequence[str],
                         answered_by: User | None = None) -> Survey:
        opens = self.now - timedelta(days=21)
        survey, q = self.make(network, "lived_experience", by=lead,
                              status=SurveyStatus.OPEN, opens_at=opens,
                              closes_at=self.now + timedelta(days=24))
        self.add_themes(q["matters"], LIVED_MATTERS, lead)
        icbs = q["icb"].options
        for day in self.days(opens, self.now, count, bumps=(0.6,)):
            helped = [o for o, p in zip(q["help_from"].options,
                                        (0.7, 0.5, 0.25, 0.3, 0.15, 0.25, 0.1, 0.0),
                                        strict=True) if self.rng.random() < p]
            if not helped:
                helped = ["Nowhere yet"]
            values: dict[Question, Any] = {
                q["who"]: self.pick(q["who"].options, (75, 10, 15)),
                q["icb"]: self.pick(icbs) if self.rng.random() < 0.85 else None,
                q["how_long"]: self.pick(q["how_long"].options, (10, 20, 40, 30)),
                q["help_from"]: helped,
                q["easy"]: self.pick((1, 2, 3, 4, 5), (20, 30, 25, 17, 8)),
                q["hard_part"]: (self.pick(LIVED_HARD) if "Nowhere yet" in helped
                                 else None),
                q["went_well"]: self.pick(LIVED_WELL) if self.rng.random() < 0.6 else None,
                q["work"]: self.pick(q["work"].options, (40, 40, 12, 8)),
                q["involve"]: self.pick(("Yes", "No"), (35, 65)),
            }
            values[q["matters"]], themes = self.text(LIVED_MATTERS)
            for answer in self.respond(survey, day, values):
                if answer.question == q["matters"]:
                    self.code(answer, themes, by=lead, after=self.now - timedelta(days=8))
        if answered_by is not None:
            self.participated(survey, [answered_by])
        return survey

    def half_answered(self, survey: Survey, user: User | None) -> None:
        """The first section answered and the second begun: to come back to."""
        if user is None:
            return
        q = self.keyed(survey)
        Draft.objects.create(
            survey=survey, user=user, section_position=2,
            updated_at=self.now - timedelta(days=2, hours=3),
            answers={
                str(q["who"].pk): q["who"].options[0],
                str(q["icb"].pk): q["icb"].options[0],
                str(q["how_long"].pk): "1 to 5 years",
                str(q["help_from"].pk): ["My GP", "A physiotherapist"],
            },
        )


def load_demo_surveys(now: datetime | None = None) -> None:
    """Surveys with responses and coded themes for the demo networks (inside
    the demo transaction, after events); does nothing if they are there."""
    SurveysDemo(now=now or timezone.now()).load()
