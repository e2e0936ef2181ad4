"""The innovations API: the catalogue, one innovation, proposing and following."""

import pytest

from msknet.communications.models import Kind as NotificationKind
from msknet.communications.models import Notification
from msknet.innovations.models import AdoptionStatus, Follow, Innovation, Stage
from msknet.members.actions.accounts import create_api_token
from msknet.priorities import strategic_actions
from msknet.priorities.models import Source
from tests.factories.innovations import adoption, innovation, public_proposal, site
from tests.factories.networks import NetworkFactory

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture
def call(client):
    tokens = {}

    def send(method, path, user=None, body=None, **params):
        headers = {}
        if user is not None:
            if user.pk not in tokens:
                tokens[user.pk] = create_api_token(user=user, name="tests")[1]
            headers["Authorization"] = f"Bearer {tokens[user.pk]}"
        address = f"/api/networks/london/innovations{path}"
        if body is not None:
            return getattr(client, method)(address, body, headers=headers,
                                           content_type="application/json")
        return getattr(client, method)(address, params, headers=headers)

    return send


@pytest.fixture
def stages(network, member):
    trust = site(network)
    recommended = innovation(network, name="Recommended pathway",
                             stage=Stage.RECOMMENDED, by=member)
    adoption(recommended, trust, history=[(AdoptionStatus.PILOTING, "2026-02-01")])
    return {
        "recommended": recommended,
        "proposed": innovation(network, name="Proposed app", kind="digital"),
        "pending": public_proposal(network, name="Unreviewed idea"),
    }


BODY = {
    "name": "Knee class", "kind": "self_management",
    "summary": "Group exercise and education for knee pain.",
    "problem": "Few people with knee pain are offered exercise.",
    "who_for": "Adults with knee pain.", "nice_status": "recommended",
}


def names(response):
    return [item["name"] for item in response.json()["items"]]


def test_visitors_get_the_public_catalogue(call, stages):
    response = call("get", "")

    assert response.status_code == 200
    assert names(response) == ["Recommended pathway"]
    item = response.json()["items"][0]
    assert item["sites_in_use"] == 1
    assert item["stage"] == "recommended"


def test_members_get_every_reviewed_innovation(call, member, stages):
    response = call("get", "", member)

    assert names(response) == ["Proposed app", "Recommended pathway"]
    assert response.json()["count"] == 2


def test_members_filter_by_kind_and_stage(call, member, stages):
    assert names(call("get", "", member, kind="digital")) == ["Proposed app"]
    assert names(call("get", "", member, stage="recommended")) == [
        "Recommended pathway"]
    assert names(call("get", "", member, q="app")) == ["Proposed app"]


def test_an_unknown_kind_is_named(call, stages):
    response = call("get", "", kind="telepathy")

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "kind"


def test_filter_by_icb_where_in_use(call, network, stages):
    icb = stages["recommended"].adoptions.get().site.icb
    other = network.icbs.exclude(pk=icb.pk).first()

    assert names(call("get", "", icb=icb.ods_code)) == ["Recommended pathway"]
    assert names(call("get", "", icb=other.ods_code)) == []


def test_one_innovation_the_reader_may_see(call, stages):
    response = call("get", f"/{stages['recommended'].pk}")

    assert response.status_code == 200
    assert response.json()["url"] == stages["recommended"].get_absolute_url()


@pytest.mark.parametrize("which", ["proposed", "pending"])
def test_what_visitors_may_not_see_is_not_found(call, stages, which):
    assert call("get", f"/{stages[which].pk}").status_code == 404


def test_members_may_not_see_unreviewed_proposals(call, member, stages):
    assert call("get", f"/{stages['pending'].pk}", member).status_code == 404


def test_member_proposes_through_the_api(call, network, member, lead,
                                         sent_on_commit):
    served = strategic_actions.add_priority(network=network, by=lead,
                                            source=Source.NATIONAL, title="Self-care")

    with sent_on_commit():
        response = call("post", "", member, {**BODY, "serves": [served.pk]})

    assert response.status_code == 201, response.json()
    made = Innovation.objects.get(name="Knee class")
    assert response.json()["serves"] == [
        {"id": served.pk, "title": "Self-care", "source": "national"}]
    assert made.proposed_by == member
    assert Follow.objects.filter(innovation=made, user=member).exists()
    assert Notification.objects.filter(
        kind=NotificationKind.INNOVATION_PROPOSED, user=lead).exists()


def test_proposal_missing_fields_is_422_naming_them(call, member):
    response = call("post", "", member, {"name": "Only a name"})

    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["errors"]}
    assert {"kind", "summary", "problem", "who_for"} <= fields
    assert not Innovation.objects.exists()


def test_proposal_serving_another_networks_priority_is_422(call, member):
    elsewhere = strategic_actions.add_priority(
        network=NetworkFactory(), by=None, source=Source.NATIONAL, title="Theirs")

    response = call("post", "", member, {**BODY, "serves": [elsewhere.pk]})

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "serves", "message": "Choose only this network's strategic priorities"}]
    assert not Innovation.objects.exists()


def test_proposal_with_a_taken_name_is_422(call, network, member):
    innovation(network, name="Knee class")

    response = call("post", "", member, BODY)

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "name"


def test_follow_and_unfollow(call, steering, stages):
    address = f"/{stages['recommended'].pk}/follow"

    followed = call("post", address, steering)
    assert followed.json() == {"innovation_id": stages["recommended"].pk,
                               "following": True}
    unfollowed = call("delete", address, steering)

    assert unfollowed.json()["following"] is False
    assert not Follow.objects.filter(user=steering).exists()


def test_no_following_an_unreviewed_proposal(call, member, stages):
    response = call("post", f"/{stages['pending'].pk}/follow", member)

    assert response.status_code == 404
    assert not Follow.objects.exists()
