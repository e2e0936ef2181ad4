"""Ready-made survey templates, and building a survey from one.

Each template is data: sections of questions. Options that depend on the
network (its ICBs) are filled in when the survey is made. Questions marked
with a `breakdown` are the ones results are cross-tabulated by; free-text
questions are the ones leads code into themes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from msknet.landscape.models import Step
from msknet.members.models import Network, Sector

from .models import Audience, Breakdown, Question, QuestionKind, Section, Survey

#: Filled with the network's ICBs' short names, then "Outside …".
NETWORK_ICBS = "<network ICBs>"

AGREEMENT = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree",
             "Strongly agree"]


@dataclass(frozen=True)
class Q:
    """One question of a template; `show_if` names an earlier question's key."""

    key: str
    kind: str
    text: str
    hint: str = ""
    required: bool = True
    options: tuple[str, ...] = ()
    statements: tuple[str, ...] = ()
    scale: tuple[int, int] | None = None
    labels: tuple[str, str] = ("", "")
    breakdown: str = Breakdown.NONE
    show_if: tuple[str, str] | None = None


@dataclass(frozen=True)
class S:
    title: str
    intro: str
    questions: tuple[Q, ...]


@dataclass(frozen=True)
class Template:
    key: str
    name: str
    description: str
    title: str
    welcome: str
    thank_you: str
    sections: tuple[S, ...]
    anonymous: bool = True
    audience: str = Audience.MEMBERS
    for_events: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


_SECTORS = tuple(label for value, label in Sector.choices
                 if value != Sector.LIVED_EXPERIENCE)
_STEPS = tuple(label for _, label in Step.choices) + ("Not on the pathway",)

LANDSCAPE = Template(
    key="landscape",
    name="The MSK landscape: a survey for professionals",
    description="Hear from the people who work across the MSK pathway: where they "
    "work, the challenges and obstacles they meet, their strengths and solutions, "
    "and what they want the network to do.",
    title="Working in MSK across our area",
    welcome="We want to understand MSK care across our area as the people who "
    "provide it see it: what gets in the way, what works well and what the network "
    "should do. It takes about 10 minutes. You can save your answers and come back.",
    thank_you="Thank you. We will share what we heard with the network, and use it "
    "to choose what we work on.",
    sections=(
        S("About you", "So we can see how answers differ across the pathway.", (
            Q("role", QuestionKind.SHORT_TEXT, "What is your role?",
              hint="For example 'First-contact physiotherapist' or 'MSK commissioner'"),
            Q("sector", QuestionKind.SINGLE, "Which sector do you work in?",
              options=_SECTORS, breakdown=Breakdown.SECTOR),
            Q("icb", QuestionKind.SINGLE, "Which ICB area do you mainly work in?",
              options=(NETWORK_ICBS,), breakdown=Breakdown.ICB),
            Q("step", QuestionKind.SINGLE,
              "Where on the MSK pathway is most of your work?",
              options=_STEPS, breakdown=Breakdown.STEP),
        )),
        S("Challenges and obstacles", "", (
            Q("obstacles", QuestionKind.MULTIPLE,
              "Which of these get in the way of good MSK care where you work?",
              hint="Select all that apply",
              options=("Waiting lists", "Staffing and vacancies",
                       "Referral routes that are unclear", "IT and data sharing",
                       "Access to pain and psychology support",
                       "Patients' wider needs: work, housing, money",
                       "Funding and contracts", "Something else")),
            Q("obstacles_other", QuestionKind.SHORT_TEXT, "What else gets in the way?",
              show_if=("obstacles", "Something else")),
            Q("challenges", QuestionKind.LONG_TEXT,
              "What is the biggest challenge you meet in your MSK work?"),
            Q("confidence", QuestionKind.LIKERT,
              "How far do you agree with these statements?",
              statements=("I know which MSK services I can refer to",
                          "Patients can reach the right service first time",
                          "I can get advice from specialist colleagues when I need it"),
              options=tuple(AGREEMENT)),
        )),
        S("Strengths and solutions", "", (
            Q("strengths", QuestionKind.LONG_TEXT,
              "What works well in MSK care where you work?"),
            Q("solutions", QuestionKind.LONG_TEXT,
              "Is there a solution you have found that others could use?",
              required=False),
        )),
        S("The network", "", (
            Q("network_should", QuestionKind.LONG_TEXT,
              "What would you like the network to do?"),
            Q("leadership", QuestionKind.SINGLE,
              "Would you like to develop as a clinical leader in MSK?",
              options=("Yes", "Maybe later", "No")),
        )),
    ),
)

EVENT_FEEDBACK = Template(
    key="event_feedback",
    name="Event feedback",
    description="Sent to an event's attendees after it ends: how useful it was, what "
    "they will do differently, and a reflection they can keep for their CPD.",
    title="Feedback on the event",
    welcome="Thank you for coming. Please tell us what you thought: it takes about "
    "3 minutes and helps us plan the next one.",
    thank_you="Thank you for your feedback.",
    audience=Audience.EVENT_ATTENDEES,
    for_events=True,
    sections=(
        S("Your feedback", "", (
            Q("useful", QuestionKind.RATING, "How useful was the event for your work?",
              scale=(1, 5), labels=("Not useful", "Very useful")),
            Q("sector", QuestionKind.SINGLE, "Which sector do you work in?",
              options=tuple(label for _, label in Sector.choices),
              breakdown=Breakdown.SECTOR),
            Q("best", QuestionKind.LONG_TEXT, "What was most useful?", required=False),
            Q("differently", QuestionKind.LONG_TEXT,
              "What will you do differently after this event?"),
            Q("recommend", QuestionKind.SINGLE,
              "Would you recommend these events to a colleague?",
              options=("Yes", "No", "Not sure")),
        )),
        S("CPD reflection", "Write a short reflection to keep in your CPD record.", (
            Q("cpd_learned", QuestionKind.LONG_TEXT, "What did you learn?",
              required=False),
            Q("cpd_practice", QuestionKind.LONG_TEXT,
              "How will it change your practice?", required=False),
            Q("next_topic", QuestionKind.SHORT_TEXT,
              "What topic should a future event cover?", required=False),
        )),
    ),
)

LIVED_EXPERIENCE = Template(
    key="lived_experience",
    name="Lived experience: your views in plain English",
    description="A short survey in plain English for people living with an MSK "
    "condition, or caring for someone who is, about getting help and what matters.",
    title="Tell us about getting help for your joints, muscles or back",
    welcome="We are a group of health services working to improve care for people "
    "with problems in their joints, muscles or back. We would like to hear from you. "
    "It takes about 5 minutes. You do not have to answer every question. We do not "
    "ask your name.",
    thank_you="Thank you for sharing your experience. It will help us make services "
    "better.",
    audience=Audience.ANYONE_WITH_LINK,
    sections=(
        S("About you", "", (
            Q("who", QuestionKind.SINGLE, "Which of these fits you best?",
              options=("I live with a joint, muscle or back problem",
                       "I care for someone who does", "Both")),
            Q("icb", QuestionKind.SINGLE, "Where do you live?",
              options=(NETWORK_ICBS,), breakdown=Breakdown.ICB, required=False),
            Q("how_long", QuestionKind.SINGLE, "How long have you had this problem?",
              options=("Less than 3 months", "3 to 12 months", "1 to 5 years",
                       "More than 5 years"), required=False),
        )),
        S("Getting help", "", (
            Q("help_from", QuestionKind.MULTIPLE, "Where have you had help?",
              hint="Select all that apply",
              options=("My GP", "A physiotherapist", "A pharmacist",
                       "A hospital clinic", "A pain service", "An app or website",
                       "A community group", "Nowhere yet")),
            Q("easy", QuestionKind.RATING, "How easy was it to get help?",
              scale=(1, 5), labels=("Very hard", "Very easy")),
            Q("hard_part", QuestionKind.LONG_TEXT,
              "What made it hard to get help?", required=False,
              show_if=("help_from", "Nowhere yet")),
            Q("went_well", QuestionKind.LONG_TEXT, "What went well?", required=False),
        )),
        S("What matters to you", "", (
            Q("matters", QuestionKind.LONG_TEXT,
              "What is the one thing that would make the most difference to you?"),
            Q("work", QuestionKind.SINGLE,
              "Has your problem affected your work or daily life?",
              options=("A lot", "A little", "Not at all", "I would rather not say"),
              required=False),
            Q("involve", QuestionKind.SINGLE,
              "Would you like to help us improve services in future?",
              options=("Yes", "No"), required=False),
        )),
    ),
)

TEMPLATES: dict[str, Template] = {t.key: t for t in (LANDSCAPE, EVENT_FEEDBACK,
                                                     LIVED_EXPERIENCE)}


def network_icb_options(network: Network) -> list[str]:
    names = [icb.short_name for icb in network.icbs.order_by("name")]
    return [*names, "Outside these areas"]


@transaction.atomic
def create_from_template(network: Network, key: str, *, by: Any = None,
                         title: str = "", event: Any = None) -> Survey:
    """A new draft survey with the template's sections and questions.

    An event feedback survey is for `event`'s attendees; without an event it
    is for the network's members. Raises KeyError for an unknown template."""
    template = TEMPLATES[key]
    audience = template.audience
    if audience == Audience.EVENT_ATTENDEES and event is None:
        audience = Audience.MEMBERS
    survey = Survey.objects.create(
        network=network,
        title=title or (f"{template.title}: {event.title}" if event is not None
                        else template.title),
        welcome=template.welcome, thank_you=template.thank_you,
        anonymous=template.anonymous, audience=audience,
        event=event if audience == Audience.EVENT_ATTENDEES else None,
        template=template.key, created_by=by, updated_at=timezone.now(),
    )
    made: dict[str, Question] = {}
    for s_position, spec in enumerate(template.sections, start=1):
        section = Section.objects.create(survey=survey, position=s_position,
                                         title=spec.title, intro=spec.intro)
        for q_position, q in enumerate(spec.questions, start=1):
            options: list[str] = []
            for option in q.options:
                options.extend(network_icb_options(network) if option == NETWORK_ICBS
                               else [option])
            made[q.key] = Question.objects.create(
                section=section, position=q_position, kind=q.kind, text=q.text,
                hint=q.hint, required=q.required, options=options,
                statements=list(q.statements),
                scale_min=q.scale[0] if q.scale else None,
                scale_max=q.scale[1] if q.scale else None,
                low_label=q.labels[0], high_label=q.labels[1], breakdown=q.breakdown,
                show_if_question=made[q.show_if[0]] if q.show_if else None,
                show_if_answer=q.show_if[1] if q.show_if else "",
            )
    return survey
