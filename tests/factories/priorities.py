import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from msknet.priorities import actions, strategic_actions
from msknet.priorities.models import Nomination, Round, Source, Term

from .networks import NetworkFactory
from .users import UserFactory


def today() -> dt.date:
    return timezone.localdate()


class RoundFactory(DjangoModelFactory):
    """An open round (it opened yesterday, closes in a fortnight)."""

    class Meta:
        model = Round

    network = factory.SubFactory(NetworkFactory)
    title = factory.Sequence(lambda n: f"Round {n}")
    opens_on = factory.LazyFunction(lambda: today() - dt.timedelta(days=1))
    closes_on = factory.LazyFunction(lambda: today() + dt.timedelta(days=14))


class NominationFactory(DjangoModelFactory):
    class Meta:
        model = Nomination

    round = factory.SubFactory(RoundFactory)
    title = factory.Sequence(lambda n: f"Nomination {n}")
    problem = "People wait months for a first physiotherapy appointment."
    population = "Adults with back pain registered with practices in the area."
    variation = "Waits range from 2 to 20 weeks between neighbouring practices."
    benefit_access = "Quicker first contact."
    benefit_outcomes = "Less chronic pain and time off work."
    benefit_experience = "People are seen by the right person first."
    inequality = "Waits are longest in the most deprived practices."
    term = Term.SHORT
    resources = "Two first-contact practitioners for a year."
    nominated_by = factory.SubFactory(UserFactory)


def round_with_criteria(network, *, by=None, **fields) -> Round:
    """An open round made as a lead makes one: with the default criteria."""
    defaults = {"title": "Priorities 2026", "opens_on": today() - dt.timedelta(days=1),
                "closes_on": today() + dt.timedelta(days=14)}
    return actions.create_round(network=network, by=by, **{**defaults, **fields})


def in_screening(round: Round) -> Round:
    """Close the round to nominations, as if its closing date had passed."""
    round.closed_at = timezone.now()
    round.save()
    return round


def score_all(nomination, panellist, value, comment=""):
    """The panellist gives every criterion the same score."""
    scores = {c.pk: (value, comment) for c in nomination.round.criteria.all()}
    return actions.submit_scores(nomination=nomination, by=panellist, scores=scores)


def priorities_objects(network, users) -> dict[str, int]:
    """For the role matrix: an open round with the member's nomination."""
    round = round_with_criteria(network, by=users["lead"], title="Matrix round")
    nomination = NominationFactory(round=round, nominated_by=users["member"],
                                   title="Matrix nomination")
    # A finished round, whose scores everyone who may see scores now sees.
    screened = in_screening(round_with_criteria(
        network, by=users["lead"], title="Matrix screened round"))
    screened.screening_closed_at = screened.closed_at
    screened.save()
    screened_nomination = NominationFactory(
        round=screened, nominated_by=users["member"], title="Matrix screened nomination")
    strategic = strategic_actions.add_priority(
        network=network, by=users["lead"], source=Source.NATIONAL,
        title="Matrix strategic priority")
    return {"priority-round": round.pk, "priority-nomination": nomination.pk,
            "strategic-priority": strategic.pk,
            "priority-criterion": round.criteria.first().pk,
            "priority-screened-nomination": screened_nomination.pk}
