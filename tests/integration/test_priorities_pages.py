"""Every priorities page through the test client: each exit path."""

import datetime as dt

import pytest
from django.urls import reverse

from msknet.members.models import Role
from msknet.priorities import actions
from msknet.priorities.models import Decision, Nomination, Round, RoundStatus
from tests.factories.memberships import MembershipFactory
from tests.factories.priorities import (
    NominationFactory,
    in_screening,
    round_with_criteria,
    score_all,
    today,
)
from tests.queries import queries_of

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture
def round(network, lead):
    return round_with_criteria(network, by=lead)


@pytest.fixture
def nomination(round, member):
    return NominationFactory(round=round, nominated_by=member,
                             title="First-contact physiotherapy")


def url(name, round, nomination=None, **extra):
    kwargs = {"network_slug": round.network.slug, "round_id": round.pk, **extra}
    if nomination is not None:
        kwargs["nomination_id"] = nomination.pk
    return reverse(name, kwargs=kwargs)


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


# Each includes the session's two-factor check.
NUM_QUERIES = 7
ROUND_QUERIES = 12

NOMINATION_POST = {
    "title": "Falls prevention", "problem": "Falls", "population": "Over 65s",
    "variation": "Varies", "benefit_access": "A", "benefit_outcomes": "O",
    "benefit_experience": "E", "inequality": "Deprived areas", "term": "long",
    "resources": "Staff", "evidence": "",
}


# Rounds ----------------------------------------------------------------------


def test_round_list_shows_rounds_and_nav_to_members(client, member, round):
    client.force_login(member)

    response = client.get(reverse("priorities", args=["london"]))

    assert round.title in response.text
    assert "Start a round" not in response.text
    assert ("Priorities", reverse("priorities", args=["london"])) in (
        response.context["nav_items"])


def test_lead_starts_a_round_with_default_criteria(client, lead, network):
    client.force_login(lead)
    data = {"title": "Priorities 2027", "opens_on": today().isoformat(),
            "closes_on": (today() + dt.timedelta(days=30)).isoformat(),
            "supports_per_member": 3, "score_min": 1, "score_max": 5,
            "score_min_label": "Not at all", "score_max_label": "Fully"}

    response = client.post(reverse("priorities-round-create", args=["london"]), data)

    created = Round.objects.get(title="Priorities 2027")
    assert response.status_code == 302 and response["Location"] == (
        created.get_absolute_url())
    assert created.criteria.count() == 5


def test_round_form_with_closing_before_opening_shows_the_error(client, lead):
    client.force_login(lead)
    data = {"title": "Backwards", "opens_on": "2026-05-01", "closes_on": "2026-04-01",
            "supports_per_member": 3, "score_min": 1, "score_max": 5,
            "score_min_label": "a", "score_max_label": "b"}

    response = client.post(reverse("priorities-round-create", args=["london"]), data)

    assert response.status_code == 200
    assert "<title>Error:" in response.text
    assert "The closing date must be on or after the opening date" in response.text


def test_scale_cannot_change_once_scoring_starts(client, lead, round, nomination):
    in_screening(round)
    score_all(nomination, lead, 3)
    client.force_login(lead)
    data = {"title": round.title, "opens_on": round.opens_on.isoformat(),
            "closes_on": round.closes_on.isoformat(), "supports_per_member": 3,
            "score_min": 0, "score_max": 10, "score_min_label": "a",
            "score_max_label": "b"}

    response = client.post(url("priorities-round-edit", round), data)

    assert response.status_code == 200
    assert "the scale cannot change" in response.text


def test_lead_changes_the_round(client, lead, round):
    client.force_login(lead)
    data = {"title": "Renamed", "opens_on": round.opens_on.isoformat(),
            "closes_on": round.closes_on.isoformat(), "supports_per_member": 5,
            "score_min": 1, "score_max": 5, "score_min_label": "a",
            "score_max_label": "b"}

    response = client.post(url("priorities-round-edit", round), data)

    round.refresh_from_db()
    assert response.status_code == 302
    assert (round.title, round.supports_per_member) == ("Renamed", 5)


def test_lead_closes_nominations_then_screening(client, lead, round):
    client.force_login(lead)

    client.post(url("priorities-round-close", round))
    round.refresh_from_db()
    assert round.status == RoundStatus.SCREENING

    response = client.post(url("priorities-screening-close", round), follow=True)
    round.refresh_from_db()
    assert round.status == RoundStatus.FINISHED
    assert "Screening is closed" in response.text


def test_closing_a_round_twice_says_why_not(client, lead, round):
    in_screening(round)
    client.force_login(lead)

    response = client.post(url("priorities-round-close", round), follow=True)

    assert "Only an open round can be closed" in response.text


def test_lead_sets_term_lengths(client, lead, network):
    client.force_login(lead)
    terms_url = reverse("priorities-terms", args=["london"])

    bad = client.post(terms_url, {"short_under_months": 24, "long_over_months": 12})
    good = client.post(terms_url, {"short_under_months": 6, "long_over_months": 36})

    assert "Long term must start at or after short term ends" in bad.text
    assert good.status_code == 302
    assert actions.term_lengths(network).describe("long") == "over 3 years"


def test_lead_adds_changes_and_removes_criteria(client, lead, round):
    client.force_login(lead)

    client.post(url("priorities-criteria", round),
                {"name": "Patient voice", "description": "", "weight": "2"})
    added = round.criteria.get(name="Patient voice")
    client.post(url("priorities-criterion-edit", round, criterion_id=added.pk),
                {"name": "Patient voice", "weight": "1.5"})
    added.refresh_from_db()
    assert str(added.weight) == "1.5"

    client.post(url("priorities-criterion-delete", round, criterion_id=added.pk))
    assert not round.criteria.filter(name="Patient voice").exists()


def test_criteria_page_says_they_are_locked_once_scoring_starts(
        client, lead, round, nomination):
    in_screening(round)
    score_all(nomination, lead, 3)
    client.force_login(lead)

    response = client.post(url("priorities-criteria", round),
                           {"name": "Late", "weight": "1"})

    assert "can no longer change" in response.text
    assert not round.criteria.filter(name="Late").exists()


def test_lead_names_a_panel(client, lead, round, member):
    client.force_login(lead)

    response = client.post(url("priorities-panel", round),
                           {"panellists": [member.pk]})

    assert response.status_code == 302
    assert list(round.panel.all()) == [member]


# Nominations -----------------------------------------------------------------


def test_member_nominates_in_an_open_round(client, member, round, network):
    client.force_login(member)
    icb = network.icbs.first()

    response = client.post(url("priorities-nominate", round),
                           {**NOMINATION_POST, "icbs": [icb.pk]})

    nomination = Nomination.objects.get(title="Falls prevention")
    assert response["Location"] == nomination.get_absolute_url()
    assert nomination.nominated_by == member
    assert list(nomination.icbs.all()) == [icb]


def test_nomination_form_lists_errors_in_a_summary(client, member, round):
    client.force_login(member)

    response = client.post(url("priorities-nominate", round), {"title": ""})

    assert "There is a problem" in response.text
    assert 'href="#id_title">Enter a title' in response.text
    assert "Choose short, medium or long term" in response.text


def test_nominating_in_a_closed_round_says_so_and_saves_nothing(
        client, member, round):
    in_screening(round)
    client.force_login(member)

    response = client.post(url("priorities-nominate", round), NOMINATION_POST)

    assert "This round is not open" in response.text
    assert not Nomination.objects.exists()


def test_nominator_edits_their_nomination(client, member, round, nomination):
    client.force_login(member)

    response = client.post(url("priorities-nomination-edit", round, nomination),
                           {**NOMINATION_POST, "title": "Renamed"})

    nomination.refresh_from_db()
    assert response.status_code == 302 and nomination.title == "Renamed"


def test_member_supports_and_withdraws(client, network, round, nomination):
    member = MembershipFactory(network=network, role=Role.MEMBER).user
    client.force_login(member)

    response = client.post(url("priorities-support", round, nomination), follow=True)
    assert "You support" in response.text
    assert nomination.supports.filter(user=member).exists()

    client.post(url("priorities-support-withdraw", round, nomination))
    assert not nomination.supports.exists()


def test_supporting_over_the_limit_shows_a_clear_error(client, member, round):
    round.supports_per_member = 1
    round.save()
    first, second = NominationFactory.create_batch(2, round=round)
    client.force_login(member)
    client.post(url("priorities-support", round, first))

    response = client.post(url("priorities-support", round, second), follow=True)

    assert "You have used all 1 of your supports" in response.text
    assert not second.supports.exists()


def test_support_from_the_round_page_returns_there(client, steering, round,
                                                    nomination):
    client.force_login(steering)

    response = client.post(url("priorities-support", round, nomination),
                           {"next": "round"})

    assert response["Location"] == round.get_absolute_url()


def test_nominator_cannot_support_their_own_nomination(client, member, round,
                                                       nomination):
    client.force_login(member)

    page = client.get(url("priorities-nomination", round, nomination))
    response = client.post(url("priorities-support", round, nomination), follow=True)

    assert "Support this nomination" not in page.text
    assert "This is your nomination" in page.text
    assert "You cannot support your own nomination" in response.text
    assert not nomination.supports.exists()


def test_member_comments(client, member, round, nomination):
    client.force_login(member)

    empty = client.post(url("priorities-comment", round, nomination), {"body": ""})
    response = client.post(url("priorities-comment", round, nomination),
                           {"body": "Strongly support"})

    assert "Enter a comment" in empty.text
    assert response["Location"].endswith("#comments")
    assert nomination.comments.get().body == "Strongly support"


# Screening -------------------------------------------------------------------


def test_score_form_states_the_scale_and_hides_others_scores_until_scored(
        client, steering, lead, round, nomination):
    in_screening(round)
    score_all(nomination, lead, 5, "Clear case from the lead")
    client.force_login(steering)

    before = client.get(url("priorities-nomination", round, nomination))
    form = client.get(url("priorities-score", round, nomination))
    invalid = client.post(url("priorities-score", round, nomination), {})
    data = {f"score_{c.pk}": "2" for c in round.criteria.all()}
    saved = client.post(url("priorities-score", round, nomination), data)
    after = client.get(url("priorities-nomination", round, nomination))

    assert "Clear case from the lead" not in before.text
    assert "once you have scored this nomination" in before.text
    assert "Score from 1 (does not meet the criterion) to 5" in form.text
    assert 'type="radio"' in form.text
    assert "There is a problem" in invalid.text
    assert saved.status_code == 302
    assert "Clear case from the lead" in after.text


def test_scoring_page_before_nominations_close_says_it_is_not_open(
        client, steering, round, nomination):
    client.force_login(steering)

    response = client.post(url("priorities-score", round, nomination),
                           {f"score_{c.pk}": "2" for c in round.criteria.all()})

    assert "Scoring is not open" in response.text
    assert not nomination.scorecards.exists()


def test_screening_list_shows_what_the_panellist_scored(
        client, steering, round, nomination):
    in_screening(round)
    other = NominationFactory(round=round, title="Unscored one")
    score_all(nomination, steering, 3)
    client.force_login(steering)

    response = client.get(url("priorities-screening", round))

    assert response.context["scored"] == {nomination.pk}
    assert other.title in response.text


def test_results_hide_what_the_reader_has_not_scored(
        client, steering, lead, round, nomination):
    in_screening(round)
    score_all(nomination, lead, 4)
    client.force_login(steering)

    response = client.get(url("priorities-results", round))

    assert "1 nomination is not ranked here" in response.text
    assert "4.00" not in response.text


def test_results_rank_with_spread_and_supports_once_screening_closes(
        client, steering, lead, member, round, nomination):
    weaker = NominationFactory(round=round, title="Weaker", term="long")
    actions.support(nomination=weaker, by=member)
    in_screening(round)
    score_all(nomination, steering, 5)
    score_all(nomination, lead, 3)
    score_all(weaker, steering, 2)
    actions.close_screening(round=round, by=lead)
    client.force_login(lead)

    response = client.get(url("priorities-results", round))

    rows = response.context["rows"]
    assert [(r.nomination.title, r.result.rank) for r in rows] == [
        ("First-contact physiotherapy", 1), ("Weaker", 2)]
    assert "3.00 to 5.00" in response.text
    assert rows[1].supports == 1


def test_portfolio_proposes_per_term_and_counts_balance(
        client, lead, round, nomination, network):
    topic = network.topics.first()
    nomination.topic = topic
    nomination.save()
    nomination.icbs.set([network.icbs.first()])
    in_screening(round)
    score_all(nomination, lead, 4)
    client.force_login(lead)

    response = client.get(url("priorities-portfolio", round))

    assert "No scored long-term nomination" in response.text
    assert response.context["portfolio"].topic_counts == [(topic.name, 1)]
    assert response.context["portfolio"].icb_counts == [
        (network.icbs.first().short_name, 1)]


def test_lead_must_give_a_reason_to_decline(client, lead, round, nomination):
    in_screening(round)
    client.force_login(lead)

    response = client.post(url("priorities-decide", round, nomination),
                           {"decision": "declined", "reason": ""})

    assert "Give the reason the nomination is declined" in response.text
    nomination.refresh_from_db()
    assert nomination.decision == ""


def test_lead_selects_a_nomination(client, lead, round, nomination):
    in_screening(round)
    client.force_login(lead)

    response = client.post(url("priorities-decide", round, nomination),
                           {"decision": "selected", "meeting_on": "2026-03-04",
                            "minute_reference": "SG 4.2"})

    nomination.refresh_from_db()
    assert response["Location"] == url("priorities-results", round)
    assert nomination.decision == Decision.SELECTED
    assert nomination.decision_minute_reference == "SG 4.2"


def test_deciding_while_the_round_is_open_is_refused(client, lead, round, nomination):
    client.force_login(lead)

    response = client.post(url("priorities-decide", round, nomination),
                           {"decision": "selected"})

    assert "after the round closes" in response.text


def test_named_panellist_member_scores_but_steering_off_panel_cannot(
        client, member, steering, lead, round, nomination):
    actions.set_panel(round=round, by=lead, panellists=[member])
    in_screening(round)

    client.force_login(steering)
    refused = client.get(url("priorities-score", round, nomination))
    client.force_login(member)
    allowed = client.get(url("priorities-score", round, nomination))

    assert refused.status_code == 403
    assert allowed.status_code == 200


def test_other_networks_round_is_not_found(client, lead, round):
    other = MembershipFactory(role=Role.LEAD)
    client.force_login(other.user)

    response = client.get(reverse("priorities-round", kwargs={
        "network_slug": other.network.slug, "round_id": round.pk}))

    assert response.status_code == 404


@pytest.mark.parametrize("rounds", [2, 6])
def test_round_list_queries_do_not_grow_with_rounds(client, member, network, lead,
                                                     rounds):
    client.force_login(member)
    for n in range(rounds):
        round_with_criteria(network, by=lead, title=f"Round {n}")
    client.get(reverse("priorities", args=["london"]))  # warm the session

    response, queries = queries_of(
        lambda: client.get(reverse("priorities", args=["london"])))

    assert len(queries) == NUM_QUERIES
    assert len(response.context["rounds"]) == rounds


@pytest.mark.parametrize("nominations", [2, 6])
def test_round_page_queries_do_not_grow_with_nominations(client, member, round,
                                                         nominations):
    NominationFactory.create_batch(nominations, round=round)
    client.force_login(member)
    client.get(round.get_absolute_url())  # warm the session

    response, queries = queries_of(lambda: client.get(round.get_absolute_url()))

    assert len(queries) == ROUND_QUERIES
    assert len(response.context["nominations"]) == nominations
