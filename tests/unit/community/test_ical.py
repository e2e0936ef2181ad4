from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest

from msknet.community.ical import CalendarEvent, calendar, escape, fold

LONDON = ZoneInfo("Europe/London")
START = datetime(2027, 3, 14, 13, 30, tzinfo=LONDON)  # GMT: 13:30Z
SUMMER = datetime(2027, 7, 1, 9, 0, tzinfo=LONDON)  # BST: 08:00Z


def entry(**overrides):
    values = {
        "uid": "3f1c@msknet.example",
        "starts_at": START,
        "ends_at": START + timedelta(hours=2),
        "summary": "Pain & Spinal Pain community of practice",
        "stamp": datetime(2027, 1, 2, 3, 4, 5, tzinfo=UTC),
    }
    return CalendarEvent(**{**values, **overrides})


def parse(text):
    return icalendar.Calendar.from_ical(text)


def test_calendar_parses_back_with_the_required_properties():
    text = calendar([entry(), entry(uid="second@msknet.example", starts_at=SUMMER,
                                    ends_at=SUMMER + timedelta(hours=1))],
                    prodid="-//msknet//Events//EN", name="NENC events")

    parsed = parse(text)

    assert parsed["VERSION"] == "2.0"
    assert parsed["PRODID"] == "-//msknet//Events//EN"
    events = parsed.walk("VEVENT")
    assert [str(e["UID"]) for e in events] == ["3f1c@msknet.example",
                                                "second@msknet.example"]
    assert events[0]["DTSTART"].dt == datetime(2027, 3, 14, 13, 30, tzinfo=UTC)
    assert events[1]["DTSTART"].dt == datetime(2027, 7, 1, 8, 0, tzinfo=UTC)
    assert all("DTSTAMP" in e and "SUMMARY" in e for e in events)


def test_times_are_written_in_utc_with_z():
    text = calendar([entry(starts_at=SUMMER, ends_at=SUMMER + timedelta(hours=1))],
                    prodid="-//msknet//Events//EN")

    assert "DTSTART:20270701T080000Z\r\n" in text
    assert "DTEND:20270701T090000Z\r\n" in text
    assert "DTSTAMP:20270102T030405Z\r\n" in text


def test_every_line_ends_crlf_and_no_bare_newlines():
    text = calendar([entry(description="Line one\nLine two")], prodid="-//x//y//EN")

    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")


def test_text_is_escaped_and_reads_back_unchanged():
    awkward = 'Back pain; sciatica, and "more"\\ notes\nSecond line'

    text = calendar([entry(summary=awkward, description=awkward, location="Room 1, Level 2")],
                    prodid="-//x//y//EN")

    assert "SUMMARY:Back pain\\; sciatica\\, and \"more\"\\\\ notes\\nSecond line" in text
    event = parse(text).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == awkward
    assert str(event["DESCRIPTION"]) == awkward
    assert str(event["LOCATION"]) == "Room 1, Level 2"


def test_long_lines_fold_at_75_octets_without_splitting_characters():
    description = "Persistent pain – living well " * 20 + "é" * 60

    text = calendar([entry(description=description)], prodid="-//x//y//EN")

    lines = text.split("\r\n")
    assert max(len(line.encode("utf-8")) for line in lines) <= 75
    assert any(line.startswith(" ") for line in lines)
    assert str(parse(text).walk("VEVENT")[0]["DESCRIPTION"]) == description


def test_fold_leaves_short_lines_alone_and_continues_with_a_space():
    assert fold("SUMMARY:short") == "SUMMARY:short"
    folded = fold("X" * 80)
    assert folded == "X" * 75 + "\r\n " + "X" * 5


def test_escape_handles_carriage_returns():
    assert escape("a\r\nb\rc") == "a\\nb\\nc"


def test_naive_times_are_refused():
    with pytest.raises(ValueError, match="no time zone"):
        calendar([entry(starts_at=datetime(2027, 3, 14, 13, 30))], prodid="-//x//y//EN")
