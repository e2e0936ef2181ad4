"""The priorities API: rounds, nominations, supports, scores and decisions."""

import pytest

from msknet.members.actions.accounts import create_api_token
from msknet.priorities import actions
from msknet.priorities.models import Decision, Nomination
from tests.factories.priorities import (
    NominationFactory,
    in_screening,
    round_with_criteria,
    score_all,
)

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture
def call(client):
    tokens = {}

    def send(method, path, user, body=None):
        if user.pk not in tokens:
            tokens[user.pk] = create_api_token(user=user, name="tests")[1]
        headers = {"Authorization": f"Bearer {tokens[user.pk]}"}
        kwargs = {"content_type": "application/json"} if body is not None else {}
        return getattr(client, method)(f"/api/networks/london/priorities{path}",
                                       *([body] if body is not None else []),
                                       headers=headers, **kwargs)

    return send


@pytest.fixture
def round(network, lead):
    return round_with_criteria(network, by=lead)


@pytest.fixture
def nomination(round, member):
    return NominationFactory(round=round, nominated_by=member)


BODY = {
    "title": "Falls prevention", "problem": "Falls", "population": "Over 65s",
    "variation": "Varies", "benefit_access": "A", "benefit_outcomes": "O",
    "benefit_experience": "E", "inequality": "Deprived areas", "term": "long",
    "resources": "Staff", "icbs": ["QKK"], "topic": "spinal-services",
}


def test_members_list_rounds_with_status_and_criteria(call, member, round):
    response = call("get", "/rounds", member)

    [item] = response.json()["items"]
    assert item["status"] == "open"
    assert len(item["criteria"]) == 5 and item["criteria"][0]["weight"] == 1.0


def test_member_nominates_through_the_api(call, member, round):
    response = call("post", f"/rounds/{round.pk}/nominations", member, BODY)

    assert response.status_code == 201
    assert response.json()["icbs"][0]["ods_code"] == "QKK"
    assert response.json()["topic"]["slug"] == "spinal-services"
    assert Nomination.objects.get().nominated_by == member


def test_nominating_for_an_icb_outside_the_network_names_the_field(
        call, member, round):
    response = call("post", f"/rounds/{round.pk}/nominations", member,
                    {**BODY, "icbs": ["QHM"]})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "icbs"


def test_nominating_in_a_closed_round_is_409(call, member, round):
    in_screening(round)

    response = call("post", f"/rounds/{round.pk}/nominations", member, BODY)

    assert response.status_code == 409
    assert "not open" in response.json()["detail"]


def test_support_is_limited_and_withdrawn(call, member, round):
    round.supports_per_member = 1
    round.save()
    nomination, other = NominationFactory(round=round), NominationFactory(round=round)

    first = call("post", f"/nominations/{nomination.pk}/support", member)
    over = call("post", f"/nominations/{other.pk}/support", member)
    withdrawn = call("delete", f"/nominations/{nomination.pk}/support", member)

    assert first.json() == {"nomination_id": nomination.pk, "supported": True,
                            "supports": 1, "supports_left": 0}
    assert over.status_code == 409
    assert "used all 1 of your supports" in over.json()["detail"]
    assert withdrawn.json()["supports_left"] == 1


def test_supporting_ones_own_nomination_is_409(call, member, round, nomination):
    response = call("post", f"/nominations/{nomination.pk}/support", member)

    assert nomination.nominated_by == member
    assert response.status_code == 409
    assert response.json()["detail"] == "You cannot support your own nomination"
    assert not nomination.supports.exists()


def test_scores_stay_hidden_until_the_reader_has_scored(
        call, steering, lead, round, nomination):
    in_screening(round)
    score_all(nomination, lead, 5)
    criteria = list(round.criteria.all())

    hidden = call("get", f"/nominations/{nomination.pk}/scores", steering)
    submitted = call("post", f"/nominations/{nomination.pk}/scores", steering,
                     {"scores": [{"criterion_id": c.pk, "value": 3} for c in criteria]})
    shown = call("get", f"/nominations/{nomination.pk}/scores", steering)

    assert hidden.status_code == 403
    assert submitted.status_code == 200
    assert shown.json()["score"] == 4.0
    assert (shown.json()["low"], shown.json()["high"]) == (3.0, 5.0)
    assert shown.json()["panellists"] == 2


def test_scores_off_the_scale_name_the_field(call, steering, round, nomination):
    in_screening(round)
    criteria = list(round.criteria.all())

    response = call("post", f"/nominations/{nomination.pk}/scores", steering,
                    {"scores": [{"criterion_id": c.pk, "value": 9} for c in criteria]})

    assert response.status_code == 422
    assert response.json()["errors"][0] == {
        "field": "scores.0.value", "message": "Choose a score from 1 to 5"}


def test_only_the_named_panel_scores_through_the_api(
        call, member, steering, lead, round, nomination):
    actions.set_panel(round=round, by=lead, panellists=[member])
    in_screening(round)
    body = {"scores": [{"criterion_id": c.pk, "value": 3}
                       for c in round.criteria.all()]}

    assert call("post", f"/nominations/{nomination.pk}/scores", steering,
                body).status_code == 403
    assert call("post", f"/nominations/{nomination.pk}/scores", member,
                body).status_code == 200


def test_declining_without_a_reason_is_422_and_with_one_is_listed(
        call, lead, member, round, nomination):
    in_screening(round)

    missing = call("post", f"/nominations/{nomination.pk}/decision", lead,
                   {"decision": "declined"})
    recorded = call("post", f"/nominations/{nomination.pk}/decision", lead,
                    {"decision": "declined", "reason": "Funded elsewhere",
                     "meeting_on": "2026-03-04", "minute_reference": "SG 4"})
    listed = call("get", f"/rounds/{round.pk}/decisions", member)

    assert missing.json()["errors"] == [
        {"field": "reason", "message": "Give the reason the nomination is declined"}]
    assert recorded.json()["decision"] == Decision.DECLINED
    assert listed.json()["items"][0]["reason"] == "Funded elsewhere"


def test_steering_cannot_decide(call, steering, round, nomination):
    in_screening(round)

    response = call("post", f"/nominations/{nomination.pk}/decision", steering,
                    {"decision": "selected"})

    assert response.status_code == 403
