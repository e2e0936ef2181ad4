import datetime as dt
from decimal import Decimal

import pytest

from msknet.core.models import AuditEvent
from msknet.members.models import ICB
from msknet.priorities import actions, queries
from msknet.priorities.models import (
    DEFAULT_CRITERIA,
    Decision,
    PrioritiesEvent,
    RoundStatus,
    TermLengths,
)
from tests.factories.governance import make_group, make_meeting
from tests.factories.memberships import MembershipFactory
from tests.factories.priorities import (
    NominationFactory,
    in_screening,
    round_with_criteria,
    score_all,
    today,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def round(network, lead):
    return round_with_criteria(network, by=lead)


def nomination_fields(**extra):
    return {
        "title": "First-contact physiotherapy",
        "problem": "Long waits", "population": "Adults with back pain",
        "variation": "2 to 20 weeks", "benefit_access": "Quicker",
        "benefit_outcomes": "Less chronic pain", "benefit_experience": "Right person",
        "inequality": "Deprived areas wait longest", "term": "short",
        "resources": "Two practitioners", **extra,
    }


def test_new_round_has_the_default_criteria_each_weighted_one(round):
    criteria = list(round.criteria.all())

    assert [c.name for c in criteria] == [name for name, _ in DEFAULT_CRITERIA]
    assert {c.weight for c in criteria} == {Decimal(1)}
    assert (round.score_min, round.score_max, round.supports_per_member) == (1, 5, 3)


def test_round_status_follows_dates_and_explicit_closing(round, lead):
    assert round.status_on(round.opens_on - dt.timedelta(days=1)) == RoundStatus.UPCOMING
    assert round.status_on(round.closes_on) == RoundStatus.OPEN
    assert round.status_on(round.closes_on + dt.timedelta(days=1)) == (
        RoundStatus.SCREENING)

    actions.close_nominations(round=round, by=lead)
    assert round.status == RoundStatus.SCREENING
    actions.close_screening(round=round, by=lead)
    assert round.status == RoundStatus.FINISHED


def test_default_term_lengths_are_under_one_year_and_over_two(network):
    terms = actions.term_lengths(network)

    assert terms.descriptions == {"short": "under 1 year",
                                  "medium": "1 year to 2 years",
                                  "long": "over 2 years"}


def test_lead_changes_term_lengths(network, lead):
    actions.set_term_lengths(network=network, by=lead, short_under_months=6,
                             long_over_months=36)

    assert TermLengths.objects.get(network=network).describe("short") == (
        "under 6 months")


def test_member_nominates_in_an_open_round_and_it_is_audited(round, member, network):
    icb = network.icbs.first()
    nomination = actions.nominate(round=round, by=member, icbs=[icb],
                                  topic=network.topics.first(), **nomination_fields())

    assert list(nomination.icbs.all()) == [icb]
    event = AuditEvent.objects.get(type=PrioritiesEvent.NOMINATION_CREATED)
    assert event.target_id == str(nomination.pk) and event.by == member


def test_nominating_in_a_closed_round_is_refused(round, member):
    in_screening(round)

    with pytest.raises(actions.Refused, match="not open"):
        actions.nominate(round=round, by=member, **nomination_fields())


def test_nomination_may_name_only_the_networks_icbs(round, member):
    elsewhere = ICB.objects.exclude(networks=round.network).first()

    with pytest.raises(actions.Refused, match="not one of"):
        actions.nominate(round=round, by=member, icbs=[elsewhere],
                         **nomination_fields())


@pytest.mark.slow
def test_nominator_edits_until_the_round_closes(round, member):
    nomination = actions.nominate(round=round, by=member, **nomination_fields())

    actions.update_nomination(nomination=nomination, by=member, title="FCP access")
    assert nomination.title == "FCP access"

    in_screening(round)
    with pytest.raises(actions.Refused, match="closed"):
        actions.update_nomination(nomination=nomination, by=member, title="Later")


@pytest.mark.slow
def test_supports_are_limited_per_member_per_round(round, member):
    round.supports_per_member = 2
    round.save()
    first, second, third = NominationFactory.create_batch(3, round=round)
    actions.support(nomination=first, by=member)
    actions.support(nomination=second, by=member)

    with pytest.raises(actions.Refused, match="used all 2 of your supports"):
        actions.support(nomination=third, by=member)

    actions.withdraw_support(nomination=first, by=member)
    actions.support(nomination=third, by=member)
    assert queries.supported_by(round, member) == {second.pk, third.pk}
    assert AuditEvent.objects.filter(type=PrioritiesEvent.SUPPORT_WITHDRAWN).count() == 1


def test_supporting_ones_own_nomination_is_refused(round, member):
    nomination = NominationFactory(round=round, nominated_by=member)

    with pytest.raises(actions.Refused, match="your own nomination"):
        actions.support(nomination=nomination, by=member)
    assert not nomination.supports.exists()


def test_supporting_twice_is_refused(round, member):
    nomination = NominationFactory(round=round)
    actions.support(nomination=nomination, by=member)

    with pytest.raises(actions.Refused, match="already support"):
        actions.support(nomination=nomination, by=member)


def test_supporting_in_a_closed_round_is_refused(round, member):
    nomination = NominationFactory(round=round)
    in_screening(round)

    with pytest.raises(actions.Refused, match="only while the round is open"):
        actions.support(nomination=nomination, by=member)


def test_scoring_before_nominations_close_is_refused(round, steering):
    nomination = NominationFactory(round=round)

    with pytest.raises(actions.Refused, match="only after the round closes"):
        score_all(nomination, steering, 4)


def test_scores_must_cover_every_criterion_on_the_scale(round, steering):
    nomination = NominationFactory(round=round)
    in_screening(round)
    first = round.criteria.first()

    with pytest.raises(actions.Refused, match="Score every criterion"):
        actions.submit_scores(nomination=nomination, by=steering,
                              scores={first.pk: (3, "")})
    with pytest.raises(actions.Refused, match="from 1 to 5"):
        actions.submit_scores(nomination=nomination, by=steering,
                              scores={c.pk: (6, "") for c in round.criteria.all()})


def test_scoring_again_replaces_the_panellists_scores(round, steering):
    nomination = NominationFactory(round=round)
    in_screening(round)
    score_all(nomination, steering, 2)

    score_all(nomination, steering, 5)

    weighted = queries.panellist_weighted_scores(round)
    assert weighted == {nomination.pk: {steering.pk: 5.0}}


@pytest.mark.slow
def test_results_rank_by_weighted_score_with_spread_and_supports_apart(
        round, steering, lead, member):
    strong, weak = NominationFactory(round=round), NominationFactory(round=round)
    actions.support(nomination=weak, by=member)
    in_screening(round)
    score_all(strong, steering, 5)
    score_all(strong, lead, 3)
    score_all(weak, steering, 2)
    score_all(weak, lead, 2)

    rows = queries.results(round, lead)

    assert [(r.nomination, r.result.rank) for r in rows] == [(strong, 1), (weak, 2)]
    assert (rows[0].result.score, rows[0].result.low, rows[0].result.high,
            rows[0].result.panellists) == (4.0, 3.0, 5.0, 2)
    assert (rows[0].supports, rows[1].supports) == (0, 1)


def test_weights_change_the_weighted_score(round, lead, steering):
    heavy = round.criteria.first()
    actions.update_criterion(criterion=heavy, by=lead, name=heavy.name,
                             weight=Decimal(3))
    nomination = NominationFactory(round=round)
    in_screening(round)
    scores = {c.pk: (5 if c.pk == heavy.pk else 1, "") for c in round.criteria.all()}

    actions.submit_scores(nomination=nomination, by=steering, scores=scores)

    # (3 * 5 + 4 * 1) / 7
    assert queries.panellist_weighted_scores(round)[nomination.pk][steering.pk] == (
        pytest.approx(19 / 7))


def test_criteria_cannot_change_once_scoring_starts(round, lead, steering):
    nomination = NominationFactory(round=round)
    in_screening(round)
    score_all(nomination, steering, 3)
    criterion = round.criteria.first()

    with pytest.raises(actions.Refused, match="Scoring has started"):
        actions.update_criterion(criterion=criterion, by=lead, name="New",
                                 weight=Decimal(2))
    with pytest.raises(actions.Refused, match="Scoring has started"):
        actions.add_criterion(round=round, by=lead, name="Another")
    with pytest.raises(actions.Refused, match="Scoring has started"):
        actions.remove_criterion(criterion=criterion, by=lead)


def test_declining_needs_a_reason(round, lead):
    nomination = NominationFactory(round=round)
    in_screening(round)

    with pytest.raises(actions.Refused, match="reason"):
        actions.record_decision(nomination=nomination, by=lead,
                                decision=Decision.DECLINED)


def test_lead_records_a_decision_with_meeting_and_minute(round, lead):
    nomination = NominationFactory(round=round)
    in_screening(round)

    actions.record_decision(nomination=nomination, by=lead,
                            decision=Decision.SELECTED, meeting_on=today(),
                            minute_reference="SG-2026-03 item 4")

    nomination.refresh_from_db()
    assert nomination.decision == Decision.SELECTED
    assert list(queries.selected_nominations(round.network)) == [nomination]
    assert AuditEvent.objects.filter(type=PrioritiesEvent.DECISION_RECORDED,
                                     by=lead).exists()


def test_decision_links_to_the_meeting_that_made_it(round, lead, client):
    meeting = make_meeting(make_group(round.network, chair=lead, name="Steering group"),
                           title="Steering group, March")
    nomination = NominationFactory(round=round, title="Back pain pathway")
    in_screening(round)

    actions.record_decision(nomination=nomination, by=lead,
                            decision=Decision.SELECTED, meeting=meeting,
                            minute_reference="item 4")

    nomination.refresh_from_db()
    assert nomination.decision_meeting == meeting
    assert nomination.decision_meeting_on == dt.date(2025, 3, 12)  # the meeting's
    client.force_login(lead)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Priorities decided at this meeting" in page
    assert "Back pain pathway</a>: selected (minute item 4)" in page


def test_decision_refuses_another_networks_meeting(round, lead):
    other = MembershipFactory(role="lead").network
    meeting = make_meeting(make_group(other, name="Their steering group"))
    nomination = NominationFactory(round=round)
    in_screening(round)

    with pytest.raises(actions.Refused, match="meeting of this network"):
        actions.record_decision(nomination=nomination, by=lead,
                                decision=Decision.SELECTED, meeting=meeting)


def test_decisions_wait_for_nominations_to_close(round, lead):
    nomination = NominationFactory(round=round)

    with pytest.raises(actions.Refused, match="after the round closes"):
        actions.record_decision(nomination=nomination, by=lead,
                                decision=Decision.SELECTED)


def test_panel_must_be_members_of_the_network(round, lead, outsider):
    with pytest.raises(actions.Refused, match="not a member"):
        actions.set_panel(round=round, by=lead, panellists=[outsider])


@pytest.mark.slow
def test_portfolio_proposes_one_per_term(round, lead, steering):
    short = NominationFactory(round=round, term="short")
    long = NominationFactory(round=round, term="long")
    in_screening(round)
    score_all(short, lead, 4)
    score_all(long, lead, 3)

    view = queries.portfolio(round, lead)

    assert [(term, row.nomination if row else None) for term, row in view.proposed] == [
        ("long", long), ("medium", None), ("short", short)]


@pytest.mark.slow
def test_every_write_records_its_audit_event(network, lead, member, steering):
    round = actions.create_round(network=network, by=lead, title="Audited",
                                 opens_on=today(), closes_on=today())
    actions.update_round(round=round, by=lead, title="Audited round")
    actions.set_term_lengths(network=network, by=lead, short_under_months=12,
                             long_over_months=24)
    actions.set_panel(round=round, by=lead, panellists=[steering])
    actions.add_criterion(round=round, by=lead, name="Extra")
    nomination = actions.nominate(round=round, by=member, **nomination_fields())
    actions.update_nomination(nomination=nomination, by=member, title="Changed")
    actions.add_comment(nomination=nomination, by=member, body="Yes")
    actions.support(nomination=nomination, by=steering)
    actions.withdraw_support(nomination=nomination, by=steering)
    actions.close_nominations(round=round, by=lead)
    score_all(nomination, steering, 4)
    actions.close_screening(round=round, by=lead)
    actions.record_decision(nomination=nomination, by=lead, decision=Decision.SELECTED)

    recorded = set(AuditEvent.objects.filter(network=network).values_list("type",
                                                                           flat=True))
    assert recorded == set(PrioritiesEvent.values)
