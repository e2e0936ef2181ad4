from datetime import timedelta

import pytest
from django.utils import timezone

from msknet.community.actions import events as actions
from msknet.community.models import Visibility
from msknet.members.actions.accounts import create_api_token
from tests.factories.community import EventFactory, ResourceFactory, in_days
from tests.factories.memberships import MembershipFactory

pytestmark = pytest.mark.django_db


def call(client, method, path, user=None, **params):
    headers = {}
    if user is not None:
        headers["Authorization"] = f"Bearer {create_api_token(user=user, name='t')[1]}"
    send = getattr(client, method)
    return send(f"/api{path}", params or None, headers=headers)


@pytest.fixture
def events(network):
    return {
        "public": EventFactory(network=network, title="Back pain event", capacity=1,
                               visibility=Visibility.PUBLIC),
        "members": EventFactory(network=network, title="Members CoP"),
        "past": EventFactory(network=network, title="Spring CoP",
                             visibility=Visibility.PUBLIC, starts_at=in_days(-60)),
    }


def test_visitors_list_public_upcoming_events(client, events):
    body = call(client, "get", "/networks/london/events").json()

    assert [e["title"] for e in body["items"]] == ["Back pain event"]
    assert body["items"][0]["places_taken"] == 0
    assert body["items"][0]["invite_url"].endswith("/invite.ics")


def test_members_list_past_and_members_only_events(client, member, events):
    upcoming = call(client, "get", "/networks/london/events", member).json()
    past = call(client, "get", "/networks/london/events", member, when="past").json()

    assert {e["title"] for e in upcoming["items"]} == {"Back pain event", "Members CoP"}
    assert [e["title"] for e in past["items"]] == ["Spring CoP"]


def test_event_detail_is_gated_for_members_only_events(client, outsider, member, events):
    path = f"/networks/london/events/{events['members'].pk}"

    assert call(client, "get", path).status_code == 401
    assert call(client, "get", path, outsider).status_code == 403
    assert call(client, "get", path, member).json()["title"] == "Members CoP"


def test_register_then_waiting_list_then_promotion(client, network, member, events):
    other = MembershipFactory(network=network).user
    path = f"/networks/london/events/{events['public'].pk}/registration"

    first = call(client, "post", path, member).json()
    second = call(client, "post", path, other).json()
    cancelled = call(client, "delete", path, member).json()
    mine = call(client, "get", "/me/registrations", other).json()

    assert (first["status"], first["waiting_position"]) == ("registered", None)
    assert (second["status"], second["waiting_position"]) == ("waiting", 1)
    assert cancelled["status"] == "cancelled"
    assert [(r["event"]["title"], r["status"]) for r in mine["items"]] == [
        ("Back pain event", "registered")
    ]


def test_cancel_without_a_place_is_404(client, member, events):
    path = f"/networks/london/events/{events['public'].pk}/registration"

    response = call(client, "delete", path, member)

    assert response.status_code == 404
    assert response.json() == {"detail": "You are not registered for this event"}


def test_register_after_the_start_is_409(client, network, member):
    event = EventFactory(network=network, starts_at=timezone.now() - timedelta(hours=1))

    response = call(client, "post", f"/networks/london/events/{event.pk}/registration",
                    member)

    assert response.status_code == 409
    assert "registration has closed" in response.json()["detail"]


def test_cancel_after_the_start_is_409(client, network, member):
    event = EventFactory(network=network, starts_at=in_days(1))
    actions.register(event=event, by=member)
    event.starts_at = timezone.now() - timedelta(minutes=1)
    event.save()

    response = call(client, "delete", f"/networks/london/events/{event.pk}/registration",
                    member)

    assert response.status_code == 409


def test_resources_list_searches_and_hides_members_only(client, network, member):
    ResourceFactory(network=network, title="Low back pain and sciatica (NG59)",
                    visibility=Visibility.PUBLIC)
    ResourceFactory(network=network, title="Sciatica case study")

    public = call(client, "get", "/networks/london/resources", q="sciatica").json()
    members = call(client, "get", "/networks/london/resources", member,
                  q="sciatica").json()

    assert [r["title"] for r in public["items"]] == ["Low back pain and sciatica (NG59)"]
    assert [r["title"] for r in members["items"]] == [
        "Low back pain and sciatica (NG59)", "Sciatica case study"
    ]
    assert members["items"][0]["link"] == "https://www.nice.org.uk/guidance/ng59"


def test_resources_unknown_topic_is_422(client, network):
    response = call(client, "get", "/networks/london/resources", topic="nope")

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "topic"


def test_resource_detail_is_gated(client, network, outsider, member):
    resource = ResourceFactory(network=network, title="Members' pathway")
    path = f"/networks/london/resources/{resource.pk}"

    assert call(client, "get", path).status_code == 401
    assert call(client, "get", path, outsider).status_code == 403
    assert call(client, "get", path, member).json()["title"] == "Members' pathway"
