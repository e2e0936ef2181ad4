"""A member joins the waiting list for a full event; the person holding the
only place cancels it through the site; the member is promoted, sees their
place and downloads the calendar invite. Every page visited passes axe."""

import icalendar
from django.core import mail
from playwright.sync_api import expect

from msknet.members.models import Role
from tests.factories.community import EventFactory, in_days
from tests.factories.memberships import MembershipFactory
from tests.factories.networks import london_network
from tests.factories.users import PASSWORD
from tests.functional.conftest import complete_two_factor


def sign_in(page, user, accessible, *, first=False):
    # The live server's first request imports and builds the whole site, which
    # on a busy machine can take longer than the usual ten seconds.
    page.goto("/account/sign-in/", timeout=120_000 if first else None)
    accessible(page)
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    complete_two_factor(page, user)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()


def test_waiting_list_member_is_promoted_and_downloads_the_invite(page, accessible, follow_nav):
    network = london_network()
    event = EventFactory(
        network=network, title="Spinal pathway workshop", capacity=1,
        starts_at=in_days(21), place="St Aldric's education centre",
        online_url="https://meet.example.org/spinal-workshop",
    )
    holder = MembershipFactory(network=network, role=Role.MEMBER,
                               user__full_name="Priya Shah").user
    member = MembershipFactory(network=network, role=Role.MEMBER,
                               user__full_name="Tom Reilly").user
    MembershipFactory(network=network, role=Role.LEAD)

    # Priya takes the only place.
    sign_in(page, holder, accessible, first=True)
    page.goto(f"/n/{network.slug}/events/{event.pk}/")
    page.get_by_role("button", name="Register").click()
    expect(page.locator("#registration")).to_contain_text("You are registered.")
    sign_out(page)

    # Tom finds the event from the events page and joins the waiting list.
    sign_in(page, member, accessible)
    page.goto(f"/n/{network.slug}/")
    follow_nav(page, "Events")
    expect(page.get_by_role("heading", name="Events", exact=True)).to_be_visible()
    accessible(page)
    page.get_by_role("link", name="Spinal pathway workshop").click()
    expect(page.locator("#registration")).to_contain_text("This event is full")
    accessible(page)
    page.get_by_role("button", name="Join the waiting list").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text(
        "on the waiting list at number 1"
    )
    expect(page.locator("#registration")).to_contain_text(
        "You are number 1 on the waiting list."
    )
    expect(page.get_by_role("link", name="Online joining link")).to_have_count(0)
    accessible(page)
    sign_out(page)

    # Priya cancels her place through the site.
    sign_in(page, holder, accessible)
    page.goto(f"/n/{network.slug}/events/{event.pk}/")
    page.get_by_role("link", name="Cancel your place").click()
    accessible(page)
    page.get_by_role("button", name="Cancel my place").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text(
        "You have cancelled your place."
    )
    accessible(page)
    sign_out(page)

    # Tom was emailed and, signed in, sees he has the place.
    promoted = [m for m in mail.outbox if m.to == [member.email]
                and m.subject.startswith("A place came free")]
    assert len(promoted) == 1
    sign_in(page, member, accessible)
    page.goto(f"/n/{network.slug}/events/{event.pk}/")
    expect(page.locator("#registration")).to_contain_text("You are registered.")
    expect(page.get_by_role("link", name="Online joining link")).to_be_visible()
    accessible(page)

    # He adds it to his calendar.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Add to your calendar (.ics)").click()
    download = download_info.value
    assert download.suggested_filename == f"london-event-{event.pk}.ics"
    with open(download.path(), "rb") as invite:
        content = invite.read()
    assert content.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    (entry,) = icalendar.Calendar.from_ical(content).walk("VEVENT")
    assert str(entry["SUMMARY"]) == "Spinal pathway workshop"
    assert entry["DTSTART"].dt == event.starts_at
    assert "Join online: https://meet.example.org/spinal-workshop" in entry["DESCRIPTION"]
