"""A lead invites people from a CSV file, one of them accepts and appears in
the directory, and the lead sees them on the dashboard; axe on every page."""

import re
from pathlib import Path

from django.core import mail
from playwright.sync_api import expect

from msknet.members.models import Invitation, Role
from tests.factories.memberships import MembershipFactory
from tests.factories.networks import london_network
from tests.factories.users import PASSWORD
from tests.functional.conftest import complete_two_factor

BAD_CSV = b"email,name\nasha.patel@example.org,Asha Patel\nbob@,Bob Smith\n"
GOOD_CSV = (
    b"\xef\xbb\xbfemail,name,role\n"
    b"asha.patel@example.org,Asha Patel,member\n"
    b"bob.smith@example.org,Bob Smith,steering\n"
)


def test_lead_invites_from_csv_and_invitee_joins(page, accessible):
    network = london_network()
    lead = MembershipFactory(network=network, role=Role.LEAD).user

    page.goto("/account/sign-in/")
    page.get_by_label("Email address").fill(lead.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    complete_two_factor(page, lead)

    # A file with a bad row is refused whole, the line named.
    page.goto(f"/n/{network.slug}/manage/invitations/")
    accessible(page)
    page.get_by_role("link", name="Invite several people").click()
    accessible(page)
    upload = {"name": "people.csv", "mimeType": "text/csv"}
    page.get_by_label("Or upload a CSV file").set_input_files({**upload,
                                                               "buffer": BAD_CSV})
    page.get_by_role("button", name="Check and send invitations").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Line 3")
    accessible(page)
    assert Invitation.objects.count() == 0 and len(mail.outbox) == 0

    page.get_by_label("Or upload a CSV file").set_input_files({**upload,
                                                               "buffer": GOOD_CSV})
    page.get_by_role("button", name="Check and send invitations").click()
    expect(page.locator("main")).to_contain_text("asha.patel@example.org")
    accessible(page)
    assert Invitation.objects.count() == 2
    page.get_by_role("button", name="Sign out").click()

    # Asha follows her link, creates her account and agrees to be listed.
    email = next(m for m in mail.outbox if m.to == ["asha.patel@example.org"])
    link = re.search(r"https?://\S+(/invitations/\S+/)", email.body).group(1)
    page.goto(link)
    accessible(page)
    page.get_by_label("Create a password").fill("knee-pathway-2026")
    page.get_by_label("Confirm your password").fill("knee-pathway-2026")
    page.get_by_label("Primary care", exact=True).check()
    page.get_by_label("Profession", exact=True).select_option(label="GP")
    page.get_by_label("List me in the network's member directory").check()
    page.get_by_label("Show my email address to other members").check()
    page.get_by_role("button", name="Create account and join").click()
    expect(page.get_by_role("heading", name=network.name)).to_be_visible()
    accessible(page)

    page.goto(f"/n/{network.slug}/directory/")
    page.locator("main").get_by_role("link", name="Asha Patel").click()
    expect(page.locator("main")).to_contain_text("asha.patel@example.org")
    accessible(page)
    page.get_by_role("button", name="Sign out").click()

    # The lead's dashboard counts her, draws its charts and offers the CSV.
    page.goto("/account/sign-in/")
    page.get_by_label("Email address").fill(lead.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    complete_two_factor(page, lead)
    page.goto(f"/n/{network.slug}/dashboard/")
    expect(page.locator("main svg, main canvas").first).to_be_visible()
    accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("CSV")).first.click()
    csv_text = Path(download.value.path()).read_text(encoding="utf-8")
    assert "Primary care,2" in csv_text  # the lead and Asha
