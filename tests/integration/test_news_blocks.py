"""Newsletter blocks: what each pulls in from the platform, and how it reads."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from msknet.communications.blocks import (
    BLOCK_CHOICES,
    BLOCKS,
    render_block,
    render_blocks,
)
from msknet.community.models import Visibility
from msknet.governance import actions as gov_actions
from msknet.governance.models import Decision
from msknet.improvement.models import DataPoint, ProgressChange
from msknet.innovations.models import Stage, StageChange
from tests.factories.community import EventFactory, ResourceFactory
from tests.factories.governance import make_group, make_meeting
from tests.factories.improvement import (
    SHIFT,
    MeasureFactory,
    QIProjectFactory,
    add_points,
)
from tests.factories.innovations import innovation
from tests.factories.insights import indicator_with_values

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
    assert list(BLOCKS) == ["events", "resources", "decisions", "projects",
                            "innovations", "indicators"]
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


# Decisions ---------------------------------------------------------------------


def decision(network, text, recorded_at, *, group_name="Back pain pathway group"):
    from msknet.governance.models import Group

    group = Group.objects.filter(network=network, name=group_name).first()
    meeting = make_meeting(group or make_group(network, name=group_name))
    recorded = gov_actions.record_decision(meeting=meeting, by=None, text=text)
    Decision.objects.filter(pk=recorded.pk).update(created_at=recorded_at)
    return recorded


def test_decisions_block_lists_decisions_recorded_since_the_last_issue(network):
    decision(network, "Before", SINCE - timedelta(days=1))
    first = decision(network, "Adopt the back pain pathway.\nReview in a year.",
                     SINCE + timedelta(days=1))
    decision(network, "After", NOW + timedelta(hours=1))

    found = items("decisions", network)

    assert [d.title for d in found] == ["Adopt the back pain pathway."]
    assert found[0].summary == f"Back pain pathway group, decision {first.reference}"
    assert found[0].url == f"/n/london/decisions/{first.reference}/"


def test_public_decisions_block_is_empty_as_decisions_are_for_members(network):
    decision(network, "Adopt the pathway.", NOW - timedelta(days=1))

    assert items("decisions", network, public_only=True) == []
    assert render_block("decisions", network, since=SINCE, now=NOW,
                        public_only=True, format="html") == ""


# Improvement projects ----------------------------------------------------------


def stage_change(project, at, stage_from, stage_to):
    return ProgressChange.objects.create(project=project, at=at,
                                         stage_from=stage_from, stage_to=stage_to)


def test_projects_block_lists_projects_that_changed_stage(network):
    moved = QIProjectFactory(network=network, title="Moved", stage="testing")
    stage_change(moved, SINCE - timedelta(days=30), "", "scoping")
    stage_change(moved, SINCE + timedelta(days=2), "scoping", "testing")
    still = QIProjectFactory(network=network, title="Still")
    stage_change(still, SINCE - timedelta(days=3), "", "scoping")
    started = QIProjectFactory(network=network, title="Started")
    stage_change(started, NOW - timedelta(days=1), "", "scoping")

    found = items("projects", network)

    assert [(p.title, p.summary) for p in found] == [
        ("Started", "Started: Scoping"),
        ("Moved", "Moved from Scoping to Testing changes"),
    ]
    assert found[1].url == f"/n/london/projects/{moved.pk}/"


def test_projects_block_names_a_signal_in_newly_added_points(network):
    project = QIProjectFactory(network=network, title="Faster physio")
    shifted = MeasureFactory(project=project, name="Seen within 2 weeks")
    points = add_points(shifted, SHIFT)
    # Every point but the latest came before the last issue.
    DataPoint.objects.filter(pk__in=[p.pk for p in points[:-1]]).update(
        created_at=SINCE - timedelta(days=40))
    DataPoint.objects.filter(pk=points[-1].pk).update(
        created_at=NOW - timedelta(days=3))

    found = items("projects", network)

    assert [p.title for p in found] == ["Faster physio"]
    assert found[0].summary == "Stage: Scoping"
    assert found[0].detail == (
        "Seen within 2 weeks shows special cause improvement from January 2025: "
        "a shift: a run of 7 or more above the mean; "
        "a point above the upper process limit")


def test_projects_block_leaves_out_old_signals_and_steady_measures(network):
    old = MeasureFactory(project=QIProjectFactory(network=network, title="Old"))
    DataPoint.objects.filter(pk__in=[p.pk for p in add_points(old, SHIFT)]).update(
        created_at=SINCE - timedelta(days=1))
    steady = MeasureFactory(project=QIProjectFactory(network=network, title="Steady"))
    add_points(steady, SHIFT[:12] * 2)
    DataPoint.objects.filter(measure=steady).update(created_at=NOW - timedelta(days=1))

    assert items("projects", network) == []


def test_public_projects_block_is_empty_as_projects_are_for_members(network):
    project = QIProjectFactory(network=network, stage="testing")
    stage_change(project, NOW - timedelta(days=1), "scoping", "testing")

    assert items("projects", network, public_only=True) == []
    assert len(items("projects", network)) == 1


# Headline indicators -----------------------------------------------------------


def test_indicators_block_gives_the_latest_value_against_england(network):
    indicator_with_values(slug="long-term-msk-problem")

    found = items("indicators", network, public_only=True)

    assert [i.title for i in found] == [
        "Long-term MSK problem: North Central London",
        "Long-term MSK problem: North West London",
    ]
    assert found[0].detail == "Long-term MSK problem: 17.5% (England 17.1%), 2023"
    assert found[0].summary == "Similar to England"
    assert found[1].summary == "Better than England"
    assert found[0].url == (
        "/n/london/insights/long-term-msk-problem/areas/E54000028/trend/")


def test_indicators_block_is_empty_without_headline_indicators(network):
    indicator_with_values(slug="some-other-indicator")

    assert items("indicators", network) == []


# Cost --------------------------------------------------------------------------


def every_kind_of_item(network, count):
    """`count` of each thing every block shows, all in range."""
    for n in range(count):
        event(network, f"Event {n}", NOW + timedelta(days=n + 1))
        resource(network, f"Resource {n}", NOW - timedelta(days=n + 1))
        decision(network, f"Decision {n}", NOW - timedelta(days=n + 1))
        project = QIProjectFactory(network=network, title=f"Project {n}")
        stage_change(project, NOW - timedelta(days=n + 1), "scoping", "testing")
        measure = MeasureFactory(project=project)
        add_points(measure, SHIFT)
        DataPoint.objects.filter(measure=measure).update(
            created_at=NOW - timedelta(days=1))
        recommended = innovation(network, name=f"Innovation {n} of {count}",
                                 stage=Stage.RECOMMENDED)
        StageChange.objects.create(innovation=recommended, stage_from="screening",
                                   stage_to="recommended",
                                   at=NOW - timedelta(days=n + 1))


def queries_for_every_block(network):
    with CaptureQueriesContext(connection) as captured:
        for output in ("text", "html"):
            render_blocks(list(BLOCKS), network, since=SINCE, now=NOW,
                          public_only=False, format=output)
    return len(captured.captured_queries)


@pytest.mark.slow
def test_blocks_cost_the_same_queries_however_much_there_is_to_show(network):
    indicator_with_values(slug="long-term-msk-problem")
    every_kind_of_item(network, 1)
    few = queries_for_every_block(network)

    every_kind_of_item(network, 4)

    assert queries_for_every_block(network) == few
