"""The MSK landscape in a browser: a visitor finds a self-referral
physiotherapy service near an outward postcode; a member from the provider
records its latest waits and the ICB's pathway page shows them. A lead sees a
stale service on the stale list and asks its owner to confirm it in one click;
the owner confirms from the emailed link without signing in. A lead's
malformed CSV is refused with every row and field named and nothing written,
then a good one is imported. axe on every page visited."""

import datetime as dt
import re

from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from msknet.landscape.models import Service, Step
from msknet.members.models import Role
from tests.factories.landscape import activity, provider, service
from tests.factories.memberships import MembershipFactory
from tests.factories.networks import london_network
from tests.factories.users import PASSWORD
from tests.functional.conftest import complete_two_factor

PHYSIO = "Riverside self-referral physiotherapy"


def sign_in(page, user):
    page.goto("/account/sign-in/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    complete_two_factor(page, user)


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()


def month_start(day, back=0):
    """The first day of the month `back` months before `day`'s."""
    first = day.replace(day=1)
    for _ in range(back):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return first


def test_visitor_finds_a_service_and_its_provider_updates_the_waits(
        page, accessible, follow_nav):
    network = london_network()
    today = timezone.localdate()
    icb = network.icbs.order_by("ods_code").first()
    trust = provider(network, name="Riverside MSK NHS Trust (synthetic)", icb=icb)
    other = provider(network, name="Northside Community Health (synthetic)", icb=icb)
    physio = service(network, name=PHYSIO, provider_org=trust, postcode="SE1 7EH",
                     conditions="Back pain; Neck pain; Shoulder pain")
    activity(physio, month=month_start(today, back=2), referrals=150, median=9, p90=18)
    # Also a physiotherapy service elsewhere in the SE area, one in SE1 that
    # takes GP referrals only, and one in another postcode area.
    service(network, name="Southbank community physiotherapy", provider_org=other,
            postcode="SE5 9RS")
    service(network, name="Riverside GP-referral physiotherapy", provider_org=trust,
            postcode="SE1 9RT", self_referral=False)
    service(network, name="Northside self-referral physiotherapy", provider_org=other,
            postcode="N1 9GU")
    member = MembershipFactory(network=network, role=Role.MEMBER, organisation=trust,
                               user__full_name="Priya Provider").user

    # The live server's first page loads templates and code.
    page.goto(f"/n/{network.slug}/", timeout=120_000)

    # 1. A visitor searches the directory near SE1 for self-referral physio.
    follow_nav(page, "Services")
    expect(page.locator("h1")).to_have_text("MSK services")
    main = page.locator("main")
    accessible(page)
    page.get_by_label("Search (optional)", exact=True).fill("physiotherapy")
    page.get_by_label("Near a postcode").fill("SE1")
    page.get_by_label("Accepts self-referral").check()
    page.get_by_role("button", name="Search").click()
    expect(main.locator("h2").filter(has_text="near")).to_have_text(
        "2 services near SE1")
    expect(main.locator("h3")).to_have_text(
        ["In SE1", "Elsewhere in the SE postcode area"])
    expect(main.locator(".nhsuk-card__heading")).to_have_text(
        [PHYSIO, "Southbank community physiotherapy"])
    expect(main).not_to_contain_text("GP-referral")
    expect(main).not_to_contain_text("Northside self-referral")
    accessible(page)

    # A half-postcode that is not one is named at the field.
    page.get_by_label("Near a postcode").fill("S!")
    page.get_by_role("button", name="Search").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "Enter a postcode or the first half of one")
    expect(page.locator("#id_near-error")).to_contain_text(
        "Enter a postcode or the first half of one")
    accessible(page)
    page.get_by_label("Near a postcode").fill("SE1 7EH")
    page.get_by_role("button", name="Search").click()
    main.get_by_role("link", name=PHYSIO).click()
    expect(page.locator("h1")).to_have_text(PHYSIO)
    expect(main).to_contain_text("Riverside MSK NHS Trust (synthetic)")
    expect(main).to_contain_text("9.0 weeks")
    expect(page.get_by_role("link", name="Record waits")).to_have_count(0)
    accessible(page)
    service_url = page.url

    # 2. A member from the provider records last month's waits.
    sign_in(page, member)
    page.goto(service_url)
    page.get_by_role("link", name="Record waits").click()
    expect(page.locator("h1")).to_have_text("Record waits and referrals")
    accessible(page)
    last_month = month_start(today, back=1)
    # Last month is chosen for them; a 90th percentile below the median is
    # refused, the field named, nothing saved.
    page.get_by_label("Referrals a month").fill("140")
    page.get_by_label("Median wait (weeks)").fill("5")
    page.get_by_label("90th-percentile wait (weeks)").fill("3")
    page.get_by_role("button", name="Record the figures").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("link")).to_have_count(1)
    expect(page.locator(".nhsuk-form-group--error")).to_contain_text(
        "90th-percentile wait")
    accessible(page)
    assert physio.activity.count() == 1
    page.get_by_label("90th-percentile wait (weeks)").fill("12")
    page.get_by_role("button", name="Record the figures").click()
    expect(page.locator("h1")).to_have_text(PHYSIO)
    expect(main).to_contain_text(f"Recorded the waits for {last_month:%B %Y}")
    expect(main).to_contain_text("5.0 weeks")
    expect(main).to_contain_text("Priya Provider")
    accessible(page)
    sign_out(page)

    # 3. The ICB's pathway page, open to anyone, shows the new waits.
    page.goto(f"/n/{network.slug}/")
    follow_nav(page, "Services")
    page.get_by_role("link", name="The MSK pathway in each ICB").click()
    expect(page.locator("h1")).to_have_text("MSK services and pathways")
    accessible(page)
    page.get_by_role("link", name=f"{icb.short_name} pathway").click()
    expect(page.locator("h1")).to_have_text("The MSK pathway")
    expect(page.locator(".nhsuk-caption-l")).to_contain_text(icb.ods_code)
    step = page.locator(".landscape-pathway > li").filter(
        has=page.locator("h2", has_text=Step.COMMUNITY_MSK.label))
    entry = step.locator("li").filter(has=page.get_by_role("link", name=PHYSIO))
    expect(entry).to_contain_text(f"5.0 weeks ({last_month:%B %Y})")
    expect(entry).to_contain_text("90% seen within 12.0 weeks")
    accessible(page)

    # ... and so does the variation across the network's ICBs, at that step.
    page.get_by_role("link", name="Compare waits and workforce across").click()
    expect(page.locator("h1")).to_have_text("Variation across the network's ICBs")
    page.get_by_label("Pathway step").select_option(label=Step.COMMUNITY_MSK.label)
    page.get_by_role("button", name="Show").click()
    expect(page.locator(".nhsuk-caption-l")).to_have_text(
        f"London MSK: {Step.COMMUNITY_MSK.label}")
    row = main.locator("tbody tr").filter(
        has=page.get_by_role("link", name=icb.short_name, exact=True))
    expect(row).to_contain_text(f"5.0 weeks (1 service, {last_month:%B %Y})")
    expect(page.locator("[data-msknet-chart] svg")).to_have_count(2)
    accessible(page)


def good_csv(icb, trust):
    return (
        "name,provider,provider_type,icb,step,self_referral,postcode,"
        "last_confirmed_on\n"
        f"Synthetic back pain class,{trust.name},,{icb.ods_code},self_management,"
        "yes,SE1 7EH,\n"
        f"Synthetic hip clinic,{trust.name},,{icb.ods_code},orthopaedics,no,,\n"
    ).encode("utf-8-sig")


def bad_csv(icb, trust):
    return (
        "name,provider,provider_type,icb,step,self_referral,postcode,"
        "last_confirmed_on\n"
        f"Synthetic back pain class,{trust.name},,{icb.ods_code},self_management,"
        "yes,,\n"
        f",{trust.name},,{icb.ods_code},physio,maybe,NOTAPOSTCODE,\n"
        f"Synthetic orphan clinic,{trust.name},,ZZZ,fcp,no,,\n"
    ).encode("utf-8-sig")


def test_lead_chases_a_stale_service_and_imports_services(page, accessible,
                                                          follow_nav):
    network = london_network()
    today = timezone.localdate()
    icb = network.icbs.order_by("ods_code").first()
    trust = provider(network, name="Riverside MSK NHS Trust (synthetic)", icb=icb)
    stale = service(network, name="Riverside pain management", provider_org=trust,
                    step=Step.PAIN_MANAGEMENT,
                    last_confirmed_on=today - dt.timedelta(days=400))
    service(network, name="Riverside community MSK", provider_org=trust)
    lead = MembershipFactory(network=network, role=Role.LEAD,
                             user__full_name="Lena Lead").user
    owner = MembershipFactory(network=network, role=Role.MEMBER, organisation=trust,
                              user__full_name="Owen Owner").user
    mail.outbox.clear()

    page.goto("/account/sign-in/", timeout=120_000)

    # 1. The lead sees the stale service, and only it, and asks its owner.
    sign_in(page, lead)
    page.goto(f"/n/{network.slug}/")
    follow_nav(page, "Services")
    page.get_by_role("link", name="Services to confirm").click()
    expect(page.locator("h1")).to_have_text("Services to confirm")
    main = page.locator("main")
    rows = main.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(stale.name)
    expect(rows.first).to_contain_text("Owen Owner")
    expect(rows.first).to_contain_text("Not asked")
    accessible(page)
    page.get_by_role("button", name=f"Ask to confirm {stale.name}").click()
    expect(main).to_contain_text(f"Asked Owen Owner to confirm {stale.name}.")
    expect(rows.first).to_contain_text(f"{today:%-d %B %Y}")
    accessible(page)
    # The owner gets one email, the one with the link; nobody else is asked.
    [email] = mail.outbox
    assert email.to == [owner.email] and stale.name in email.subject
    link = re.search(r"https?://\S+(/n/\S+/services/confirm/\S+/)", email.body).group(1)

    # 2. A malformed CSV: every row and field named, nothing written.
    page.get_by_role("link", name="Import services from a CSV file").click()
    expect(page.locator("h1")).to_have_text("Import services from a CSV file")
    accessible(page)
    upload = {"name": "services.csv", "mimeType": "text/csv"}
    chooser = page.get_by_label("CSV file of services")
    chooser.set_input_files({**upload, "buffer": bad_csv(icb, trust)})
    page.get_by_role("button", name="Import services").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("nothing was imported")
    problems = page.locator("#import-problems")
    for problem in ["Row 3, name: is required", "Row 3, step: 'physio' is not a pathway step",
                    "Row 3, self_referral: 'maybe' is not yes or no", "Row 3, postcode:",
                    "Row 4, icb: 'ZZZ' is not one of the network's ICBs"]:
        expect(problems).to_contain_text(problem)
    accessible(page)
    assert Service.objects.filter(network=network).count() == 2

    # ... then a good one.
    chooser.set_input_files({**upload, "buffer": good_csv(icb, trust)})
    page.get_by_role("button", name="Import services").click()
    expect(page.locator("h1")).to_have_text("Services to confirm")
    expect(main).to_contain_text("2 services added, 0 updated")
    accessible(page)
    assert set(Service.objects.filter(network=network, name__startswith="Synthetic")
               .values_list("name", flat=True)) == {"Synthetic back pain class",
                                                    "Synthetic hip clinic"}
    sign_out(page)

    # 3. The owner opens the emailed link, signed out, and confirms.
    page.goto(link)
    expect(page.locator("h1")).to_have_text(f"Are {stale.name}'s details right?")
    accessible(page)
    page.get_by_role("button", name="These details are right").click()
    expect(page.locator("h1")).to_have_text("Thank you")
    expect(main).to_contain_text(f"{stale.name}'s details are confirmed as right today.")
    accessible(page)
    page.get_by_role("link", name="See the service's page").click()
    expect(page.locator("h1")).to_have_text(stale.name)
    expect(main).to_contain_text(f"Details last confirmed on {today:%-d %B %Y}")
    expect(main).not_to_contain_text("may be out of date")
    accessible(page)
    stale.refresh_from_db()
    assert stale.last_confirmed_on == today and stale.last_confirmed_by == owner

    # The link is used up.
    page.goto(link)
    expect(page.locator("h1")).to_have_text("This link no longer works")
    accessible(page)
