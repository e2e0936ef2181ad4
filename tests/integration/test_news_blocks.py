"""Newsletter blocks: what each pulls in from the platform, and how it reads."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from msknet.communications.blocks import (
    BLOCK_CHOICES,
    BLOCKS,
    render_block,
    render_blocks,
)
from msknet.community.models import Visibility
from tests.factories.community import EventFactory, ResourceFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
#: The moment the newsletter goes out, and when the last one went.
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=LONDON)
SINCE = NOW - timedelta(days=28)
AWKWARD = "O'Brien & Co <Clinic>"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "https://msk.example.nhs.uk"


def items(key, network, *, public_only=False, since=SINCE, now=NOW):
    return BLOCKS[key].items(network, since=since, now=now, public_only=public_only)


def titles(key, network, **kwargs):
    return [item.title for item in items(key, network, **kwargs)]


def text(key, network, **kwargs):
    return render_block(key, network, since=SINCE, now=NOW, format="text",
                        **{"public_only": False, **kwargs})


def html(key, network, **kwargs):
    return render_block(key, network, since=SINCE, now=NOW, format="html",
                        **{"public_only": False, **kwargs})


def links(rendered):
    return re.findall(r'href="([^"]*)"', rendered)


def test_blocks_are_offered_in_their_order():
    assert list(BLOCKS)[:2] == ["events", "resources"]
    assert BLOCK_CHOICES[0] == ("events", "Upcoming events")


# Events ------------------------------------------------------------------------


def event(network, title, starts_at, **kwargs):
    return EventFactory(network=network, title=title, starts_at=starts_at,
                        ends_at=starts_at + timedelta(hours=2), **kwargs)


def test_events_block_lists_the_next_eight_weeks_soonest_first(network):
    event(network, "In six weeks", NOW + timedelta(weeks=6))
    event(network, "Tomorrow", NOW + timedelta(days=1))
    event(network, "In nine weeks", NOW + timedelta(weeks=9))
    event(network, "Last week", NOW - timedelta(weeks=1))

    assert titles("events", network) == ["Tomorrow", "In six weeks"]


def test_events_block_shows_at_most_ten(network):
    for day in range(12):
        event(network, f"Day {day + 1}", NOW + timedelta(days=day + 1))

    assert titles("events", network)[-1] == "Day 10"
    assert len(titles("events", network)) == 10


def test_events_block_leaves_out_other_networks_events(network):
    event(network, "Ours", NOW + timedelta(days=3))
    EventFactory(title="Theirs", starts_at=NOW + timedelta(days=3),
                 ends_at=NOW + timedelta(days=3, hours=1))

    assert titles("events", network) == ["Ours"]


def test_public_events_block_hides_members_only_events(network):
    event(network, "Open webinar", NOW + timedelta(days=3),
          visibility=Visibility.PUBLIC)
    event(network, "Members' meeting", NOW + timedelta(days=4))

    assert titles("events", network, public_only=True) == ["Open webinar"]
    assert titles("events", network) == ["Open webinar", "Members' meeting"]


def test_events_block_says_when_in_london_time_and_where(network):
    # 13:30 in London in summer is 12:30 UTC.
    starts = datetime(2026, 4, 15, 12, 30, tzinfo=ZoneInfo("UTC"))
    found = event(network, "Back pain event", starts, place="Civic Centre, Leeds")

    rendered = text("events", network)

    assert "Wednesday 15 April 2026, 13:30" in rendered
    assert "Community of practice meeting at Civic Centre, Leeds" in rendered
    assert f"https://msk.example.nhs.uk/n/london/events/{found.pk}/" in rendered


def test_events_block_says_online_for_an_online_event(network):
    event(network, "Webinar", NOW + timedelta(days=2), place="",
          online_url="https://teams.example.nhs.uk/1", kind="webinar")

    assert items("events", network)[0].summary == "Webinar, online"


# Resources ---------------------------------------------------------------------


def resource(network, title, created_at, **kwargs):
    return ResourceFactory(network=network, title=title, created_at=created_at,
                           **kwargs)


def test_resources_block_lists_what_was_added_since_the_last_issue(network):
    resource(network, "Before", SINCE - timedelta(days=1))
    resource(network, "Early", SINCE + timedelta(days=1))
    resource(network, "Late", NOW - timedelta(hours=1))
    resource(network, "After", NOW + timedelta(hours=1))

    assert titles("resources", network) == ["Late", "Early"]


def test_public_resources_block_hides_members_only_resources(network):
    resource(network, "For everyone", NOW - timedelta(days=1),
             visibility=Visibility.PUBLIC, publisher="NICE")
    resource(network, "For members", NOW - timedelta(days=2))

    assert titles("resources", network, public_only=True) == ["For everyone"]
    assert items("resources", network, public_only=True)[0].detail == "Guidance, NICE"


# Rendering ---------------------------------------------------------------------


@pytest.fixture
def awkward(network):
    """An event and a resource whose titles hold every character HTML escapes."""
    event(network, AWKWARD, NOW + timedelta(days=2), place="St Mary's & Co")
    resource(network, AWKWARD, NOW - timedelta(days=2), summary='Say "hello" & <b>')


@pytest.mark.parametrize("key", ["events", "resources"])
def test_plain_text_block_reads_as_written(network, awkward, key):
    rendered = text(key, network)

    assert AWKWARD in rendered
    assert not re.search(r"&(#x?[0-9a-f]+|amp|lt|gt|quot);", rendered, re.IGNORECASE)
    assert BLOCKS[key].heading in rendered


@pytest.mark.parametrize("key", ["events", "resources"])
def test_html_block_escapes_titles(network, awkward, key):
    rendered = html(key, network)

    assert "O&#x27;Brien &amp; Co &lt;Clinic&gt;" in rendered
    assert AWKWARD not in rendered
    assert "<h2" in rendered and BLOCKS[key].heading in rendered


@pytest.mark.parametrize("key", ["events", "resources"])
def test_block_links_are_absolute(network, awkward, key):
    found = links(html(key, network))

    assert found and all(
        link.startswith("https://msk.example.nhs.uk/n/london/") for link in found)
    urls = re.findall(r"\S*/n/london/\S*", text(key, network))
    assert urls and all(u.startswith("https://msk.example.nhs.uk/") for u in urls)


def test_html_block_uses_nhs_colours_and_inline_styles_only(network, awkward):
    rendered = html("events", network)

    assert "color: #005eb8" in rendered and "color: #212b32" in rendered
    assert "<style" not in rendered and "class=" not in rendered


def test_empty_block_renders_nothing(network):
    assert text("events", network) == ""
    assert html("resources", network) == ""


def test_render_blocks_joins_chosen_blocks_in_order_and_skips_empty(network, awkward):
    rendered = render_blocks(["resources", "events", "decisions"], network,
                             since=SINCE, now=NOW, public_only=False, format="text")

    assert rendered.index("Coming up") < rendered.index("New in the library")


def test_render_blocks_is_empty_when_every_block_is(network):
    assert render_blocks(["events", "resources"], network, since=SINCE, now=NOW,
                         public_only=False, format="html") == ""
