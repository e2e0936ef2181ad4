import pytest

from msknet.community.actions.events import register
from msknet.members.queries_accounts import personal_data
from tests.factories.community import EventFactory, ResourceFactory

pytestmark = pytest.mark.django_db


def test_personal_data_download_includes_registrations_and_resources(network, member):
    event = EventFactory(network=network, title="Spring CoP")
    register(event=event, by=member)
    ResourceFactory(network=network, created_by=member, title="My pathway")

    data = personal_data(member)["events_and_resources"]

    assert [(r["event"], r["status"]) for r in data["event_registrations"]] == [
        ("Spring CoP", "registered")
    ]
    assert [r["title"] for r in data["resources_added"]] == ["My pathway"]
