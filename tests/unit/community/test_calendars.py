from datetime import UTC

import icalendar
import pytest
from django.test import override_settings

from msknet.community.calendars import feed, invite
from msknet.community.models import Visibility
from tests.factories.community import EventFactory

pytestmark = pytest.mark.django_db


@override_settings(SITE_URL="https://msk.example.nhs.uk")
def test_invite_carries_the_event_and_its_page(network):
    event = EventFactory(network=network, title="Back pain event", place="Civic Centre",
                         online_url="https://meet.example.org/back-pain")

    parsed = icalendar.Calendar.from_ical(invite(event, with_online_link=False))

    (entry,) = parsed.walk("VEVENT")
    assert str(entry["UID"]) == f"{event.uid}@msk.example.nhs.uk"
    assert str(entry["SUMMARY"]) == "Back pain event"
    assert str(entry["LOCATION"]) == "Civic Centre"
    assert entry["DTSTART"].dt == event.starts_at.astimezone(UTC)
    assert entry["URL"] == f"https://msk.example.nhs.uk/n/london/events/{event.pk}/"
    assert "meet.example.org" not in entry["DESCRIPTION"]


def test_invite_for_registrants_includes_the_joining_link(network):
    event = EventFactory(network=network, place="", online_url="https://meet.example.org/x")

    entry = icalendar.Calendar.from_ical(invite(event, with_online_link=True)).walk(
        "VEVENT")[0]

    assert "Join online: https://meet.example.org/x" in entry["DESCRIPTION"]
    assert str(entry["LOCATION"]) == "https://meet.example.org/x"


def test_feed_holds_each_event_given(network):
    events = [EventFactory(network=network, visibility=Visibility.PUBLIC) for _ in range(3)]

    parsed = icalendar.Calendar.from_ical(feed(network, events))

    assert [str(e["SUMMARY"]) for e in parsed.walk("VEVENT")] == [e.title for e in events]
    assert str(parsed["X-WR-CALNAME"]) == "London MSK events"
