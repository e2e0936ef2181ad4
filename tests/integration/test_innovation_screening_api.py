"""The innovation screening API: the ranking, scores and the decision."""

from decimal import Decimal

import pytest

from msknet.communications.models import Kind as NotificationKind
from msknet.communications.models import Notification
from msknet.innovations.actions import screening as actions
from msknet.innovations.models import (
    Criterion,
    Follow,
    Innovation,
    Scorecard,
    Stage,
    StageChange,
)
from msknet.members.actions.accounts import create_api_token
from msknet.members.models import Role
from tests.factories.governance import make_group, make_meeting
from tests.factories.innovations import innovation as make_innovation
from tests.factories.memberships import MembershipFactory
from tests.factories.networks import NetworkFactory

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture
def call(client):
    tokens = {}

    def send(method, path, user, body=None):
        if user.pk not in tokens:
            tokens[user.pk] = create_api_token(user=user, name="tests")[1]
        headers = {"Authorization": f"Bearer {tokens[user.pk]}"}
        kwargs = {"content_type": "application/json"} if body is not None else {}
        return getattr(client, method)(f"/api/networks/london/innovations{path}",
                                       *([body] if body is not None else []),
                                       headers=headers, **kwargs)

    return send


@pytest.fixture
def criteria(network):
    evidence = Criterion.objects.create(network=network, name="Evidence", position=0)
    benefit = Criterion.objects.create(network=network, name="Benefit", position=1,
                                       weight=Decimal(3))
    actions.set_up(network=network)
    return evidence, benefit


@pytest.fixture
def other_steering(network):
    return MembershipFactory(network=network, role=Role.STEERING).user


@pytest.fixture
def screened(network, member):
    return make_innovation(network, name="Virtual fracture clinic",
                           stage=Stage.SCREENING, by=member)


def body(criteria, *values, comment=""):
    return {"scores": [{"criterion_id": c.pk, "value": v, "comment": comment}
                       for c, v in zip(criteria, values, strict=True)]}


def test_each_panellist_reads_the_others_scores_only_after_scoring(
        call, steering, other_steering, criteria, screened):
    path = f"/{screened.pk}/scores"

    before = call("get", path, steering)
    sent = call("put", path, steering, body(criteria, 5, 1, comment="Two trials"))
    theirs_before = call("get", path, other_steering)
    ranked_before = call("get", "/screening", other_steering)
    call("put", path, other_steering, body(criteria, 1, 5))
    theirs_after = call("get", path, other_steering)

    assert before.status_code == 403
    assert sent.status_code == 200 and sent.json()["panellists"] == 1
    assert sent.json()["scorecards"][0]["scores"][0]["comment"] == "Two trials"
    assert theirs_before.status_code == 403
    [row] = ranked_before.json()["items"]
    assert row == {"innovation_id": screened.pk, "name": screened.name, "rank": None,
                   "score": None, "low": None, "high": None, "sd": None,
                   "panellists": None, "scored": 1, "scored_by_you": False,
                   "visible": False}
    data = theirs_after.json()
    # (5 + 3 * 1) / 4 = 2 and (1 + 3 * 5) / 4 = 4: mean 3, SD sqrt(2).
    assert (data["score"], data["low"], data["high"], data["panellists"]) == (
        3.0, 2.0, 4.0, 2)
    assert round(data["sd"], 4) == 1.4142


def test_ranking_puts_what_the_reader_may_not_see_after_the_ranked(
        call, steering, other_steering, criteria, network, member):
    x = make_innovation(network, name="X clinic", stage=Stage.SCREENING, by=member)
    y = make_innovation(network, name="Y app", stage=Stage.SCREENING, by=member)
    z = make_innovation(network, name="A service", stage=Stage.SCREENING, by=member)
    for innovation, mine, theirs in ((x, (5, 1), (1, 5)), (y, (4, 4), (3, 3))):
        call("put", f"/{innovation.pk}/scores", steering, body(criteria, *mine))
        call("put", f"/{innovation.pk}/scores", other_steering, body(criteria, *theirs))
    call("put", f"/{z.pk}/scores", other_steering, body(criteria, 5, 5))

    response = call("get", "/screening", steering)

    rows = [(r["name"], r["rank"], r["score"], r["low"], r["high"])
            for r in response.json()["items"]]
    assert rows == [("Y app", 1, 3.5, 3.0, 4.0), ("X clinic", 2, 3.0, 2.0, 4.0),
                    ("A service", None, None, None, None)]
    assert response.json()["count"] == 3


def test_a_plain_member_may_not_read_the_ranking(call, member, criteria):
    assert call("get", "/screening", member).status_code == 403


def test_scores_off_the_scale_or_missing_are_refused_naming_the_criterion(
        call, steering, criteria, screened):
    evidence, benefit = criteria

    off = call("put", f"/{screened.pk}/scores", steering,
               {"scores": [{"criterion_id": evidence.pk, "value": 9},
                           {"criterion_id": benefit.pk, "value": 3}]})
    missing = call("put", f"/{screened.pk}/scores", steering,
                   {"scores": [{"criterion_id": evidence.pk, "value": 3}]})

    assert off.status_code == 422
    assert off.json()["errors"] == [
        {"field": "scores.0.value", "message": "Evidence: choose a score from 1 to 5"}]
    assert missing.status_code == 422
    assert missing.json()["errors"] == [
        {"field": "scores", "message": "Score every criterion: no score for 'Benefit'"}]
    assert not Scorecard.objects.exists()


def test_sending_scores_again_replaces_ones_own(call, steering, criteria, screened):
    call("put", f"/{screened.pk}/scores", steering, body(criteria, 1, 1))

    response = call("put", f"/{screened.pk}/scores", steering, body(criteria, 5, 5))

    assert response.json()["score"] == 5.0
    assert Scorecard.objects.get().scores.count() == 2


def test_decision_not_taken_forward_needs_a_reason(call, lead, screened):
    response = call("post", f"/{screened.pk}/decision", lead,
                    {"stage": "not_taken_forward", "reason": ""})

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "reason", "message": "Say why it is not taken forward"}]
    assert Innovation.objects.get(pk=screened.pk).stage == Stage.SCREENING


def test_decision_at_another_networks_meeting_is_refused(call, lead, screened):
    theirs = make_meeting(make_group(NetworkFactory(slug="elsewhere")))

    response = call("post", f"/{screened.pk}/decision", lead,
                    {"stage": "recommended", "meeting_id": theirs.pk})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "meeting_id"
    assert not StageChange.objects.exists()


def test_decision_moves_it_and_tells_followers(
        call, lead, member, network, screened, sent_on_commit):
    meeting = make_meeting(make_group(network))
    follower = MembershipFactory(network=network, role=Role.MEMBER).user
    Follow.objects.create(innovation=screened, user=follower)

    with sent_on_commit():
        response = call("post", f"/{screened.pk}/decision", lead,
                        {"stage": "recommended", "meeting_id": meeting.pk,
                         "reason": "Strong evidence, affordable"})

    assert response.status_code == 200
    assert response.json()["stage"] == "recommended"
    assert response.json()["meeting_id"] == meeting.pk
    told = Notification.objects.filter(kind=NotificationKind.INNOVATION_STAGE)
    assert sorted(n.user_id for n in told) == sorted([member.pk, follower.pk])
    again = call("post", f"/{screened.pk}/decision", lead, {"stage": "on_hold"})
    assert again.status_code == 409


def test_decided_scores_are_open_to_steering_who_did_not_score(
        call, steering, other_steering, lead, criteria, screened):
    call("put", f"/{screened.pk}/scores", steering, body(criteria, 4, 4))
    call("post", f"/{screened.pk}/decision", lead, {"stage": "on_hold"})

    response = call("get", f"/{screened.pk}/scores", other_steering)

    assert response.status_code == 200 and response.json()["stage"] == "on_hold"
    assert response.json()["panellists"] == 1
