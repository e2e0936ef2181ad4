"""From a template to a cross-tab: a lead builds the landscape survey from its
template, adding a question that is asked only of people in secondary care,
and opens it; a member answers it, saving half-way and coming back, sees the
added question appear only once they choose secondary care, checks and sends
their answers; the lead codes two free-text answers into a new theme and
sees its count, then compares answers by sector with every figure under five
people hidden. The member's anonymous response keeps no link to them. axe on
every page visited."""

import re

from playwright.sync_api import expect

from msknet.members.models import Role
from msknet.surveys.models import Draft, Participation, Response, Survey
from tests.factories.memberships import MembershipFactory
from tests.factories.networks import london_network
from tests.factories.surveys import question, respond
from tests.factories.users import PASSWORD
from tests.functional.conftest import complete_two_factor

TITLE = "Working in MSK across our area"
ADDED = "What would help you discharge people back to primary care sooner?"
ROLE = "Synthetic test role: first-contact physiotherapist"
CHALLENGE = "Synthetic answer: the waiting list for physiotherapy is too long."


def sign_in(page, user):
    page.goto("/account/sign-in/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    complete_two_factor(page, user)


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()


def seed_responses(survey):
    """Synthetic responses from others: twelve in primary care and ten in
    community services (so their columns show), two in secondary care (who,
    with the member, are fewer than five), and one more waiting-times answer
    to code."""
    sector = question(survey, "Which sector")
    leader = question(survey, "Would you like to develop")
    challenge = question(survey, "What is the biggest challenge")
    spread = ([("Primary care", "Yes")] * 6 + [("Primary care", "No")] * 6
              + [("Community services", "Yes")] * 5
              + [("Community services", "No")] * 5
              + [("Secondary care", "Maybe later")] * 2)
    for n, (group, answer) in enumerate(spread):
        answers = {sector: group, leader: answer}
        if n == 0:
            answers[challenge] = "Synthetic answer: people wait months to be seen."
        elif n == 1:
            answers[challenge] = "Synthetic answer: IT systems do not talk to each other."
        respond(survey, answers)


def test_build_answer_and_analyse_a_survey(page, accessible, follow_nav):
    network = london_network()
    lead = MembershipFactory(network=network, role=Role.LEAD,
                             user__full_name="Lena Lead").user
    member = MembershipFactory(network=network, role=Role.MEMBER,
                               user__full_name="Mo Member").user
    main = page.locator("main")

    # The live server's first page loads templates and code: on a busy
    # machine that alone can outlast the default timeout.
    page.goto("/account/sign-in/", timeout=120_000)

    # 1. The lead builds the survey from the landscape template.
    sign_in(page, lead)
    page.goto(f"/n/{network.slug}/")
    follow_nav(page, "Surveys")
    expect(page.locator("h1")).to_have_text("Surveys")
    accessible(page)
    page.get_by_role("link", name="Build and manage the network's surveys").click()
    expect(page.locator("h1")).to_have_text("Surveys")
    expect(main).to_contain_text("has no surveys yet")
    accessible(page)
    page.get_by_role("button", name="Start a new survey").click()
    expect(page.locator("h1")).to_have_text("Start a new survey")
    accessible(page)
    page.get_by_role("button", name="Create the survey").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "Choose a template or a blank survey")
    accessible(page)
    page.get_by_label("The MSK landscape: a survey for professionals").check()
    page.get_by_role("button", name="Create the survey").click()
    expect(page.locator("h1")).to_have_text(TITLE)
    expect(main).to_contain_text(f"'{TITLE}' is ready to build.")
    expect(main).to_contain_text(
        "Asked only when 'Which of these get in the way of good MSK care where "
        "you…' includes 'Something else'")
    accessible(page)
    build_url = page.url

    # A question for secondary care only, in the second section.
    page.get_by_role("link", name="Add a question to Challenges and obstacles").click()
    expect(page.locator("h1")).to_have_text("Add a question to 'Challenges and obstacles'")
    accessible(page)
    page.get_by_label("Long text").check()
    page.get_by_role("button", name="Continue").click()
    expect(main).to_contain_text("Kind of question: Long text.")
    accessible(page)
    page.get_by_label("Question", exact=True).fill(ADDED)
    page.get_by_label("No, it is optional").check()
    page.get_by_label("Ask it only when an earlier question has a certain answer"
                      ).select_option(label="Which sector do you work in?")
    page.get_by_label("The answer that shows this question").fill("Secondary care")
    page.get_by_role("button", name="Add the question").click()
    expect(page.locator("h1")).to_have_text(TITLE)
    expect(main).to_contain_text(f"Question '{ADDED}' added.")
    expect(main).to_contain_text(
        "Asked only when 'Which sector do you work in?' is 'Secondary care'")
    accessible(page)
    page.get_by_role("button", name="Open the survey").click()
    expect(main).to_contain_text(f"'{TITLE}' is open.")
    expect(page.locator(".nhsuk-caption-l")).to_have_text("Survey: open")
    accessible(page)
    sign_out(page)
    survey = Survey.objects.get(network=network, title=TITLE)
    seed_responses(survey)

    # 2. The member starts it, answers the first section and saves it.
    sign_in(page, member)
    page.goto(f"/n/{network.slug}/")
    follow_nav(page, "Surveys")
    expect(page.locator("h1")).to_have_text("Surveys")
    accessible(page)
    page.get_by_role("link", name=f"Start {TITLE}").click()
    expect(page.locator("h1")).to_have_text(TITLE)
    expect(main).to_contain_text("It has 4 sections.")
    expect(page.locator(".nhsuk-inset-text")).to_contain_text(
        "Your answers are anonymous: we do not record who sent them.")
    accessible(page)
    page.get_by_role("link", name="Start now").click()
    expect(page.locator("h1")).to_have_text("About you")
    expect(page.locator(".nhsuk-caption-l")).to_have_text(f"{TITLE} – section 1 of 4")
    accessible(page)
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    accessible(page)
    page.get_by_label("What is your role?").fill(ROLE)
    page.get_by_label("Primary care", exact=True).check()
    icb = network.icbs.order_by("name").first()
    page.get_by_label(icb.short_name, exact=True).check()
    page.get_by_label("First-contact practitioner in primary care").check()
    page.get_by_role("button", name="Save and come back later").click()
    expect(page.locator("h1")).to_have_text("Surveys")
    expect(main).to_contain_text(f"Your answers to “{TITLE}” are saved.")
    accessible(page)
    sign_out(page)
    # Until they send them, their answers are kept with their account.
    assert Draft.objects.filter(survey=survey, user=member).exists()
    assert not Response.objects.filter(survey=survey, answers__value=ROLE).exists()

    # ... signs back in, and carries on where they left off.
    sign_in(page, member)
    page.goto(f"/n/{network.slug}/")
    follow_nav(page, "Surveys")
    page.get_by_role("link", name=f"Continue {TITLE}").click()
    expect(page.locator("h1")).to_have_text(TITLE)
    accessible(page)
    page.get_by_role("link", name="Continue", exact=True).click()
    expect(page.locator("h1")).to_have_text("About you")
    expect(page.get_by_label("What is your role?")).to_have_value(ROLE)
    expect(page.get_by_label("Primary care", exact=True)).to_be_checked()
    page.get_by_role("button", name="Save and continue").click()

    # In primary care, the secondary-care question is not asked ...
    expect(page.locator("h1")).to_have_text("Challenges and obstacles")
    expect(main).not_to_contain_text(ADDED)
    accessible(page)
    page.get_by_role("link", name="Back", exact=True).click()
    expect(page.locator("h1")).to_have_text("About you")
    page.get_by_label("Secondary care", exact=True).check()
    page.get_by_role("button", name="Save and continue").click()
    # ... in secondary care it is.
    expect(page.locator("h1")).to_have_text("Challenges and obstacles")
    expect(page.get_by_label(ADDED)).to_be_visible()
    page.get_by_label("Waiting lists").check()
    page.get_by_label("What is the biggest challenge you meet in your MSK work?"
                      ).fill(CHALLENGE)
    for statement in ("I know which MSK services I can refer to",
                      "Patients can reach the right service first time",
                      "I can get advice from specialist colleagues when I need it"):
        page.get_by_role("group", name=statement).get_by_label(
            "Agree", exact=True).check()
    page.get_by_label(ADDED).fill("Synthetic answer: clearer discharge letters.")
    accessible(page)
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator("h1")).to_have_text("Strengths and solutions")
    page.get_by_label("What works well in MSK care where you work?").fill(
        "Synthetic answer: a friendly team.")
    accessible(page)
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator("h1")).to_have_text("The network")
    page.get_by_label("What would you like the network to do?").fill(
        "Synthetic answer: share what works.")
    page.get_by_label("Maybe later").check()
    accessible(page)
    page.get_by_role("button", name="Save and continue").click()

    # Checks the answers and sends them.
    expect(page.locator("h1")).to_have_text("Check your answers before sending them")
    expect(main).to_contain_text(ROLE)
    expect(main).to_contain_text("Secondary care")
    expect(main).to_contain_text("Synthetic answer: clearer discharge letters.")
    accessible(page)
    page.get_by_role("button", name="Send your answers").click()
    expect(page.locator("h1")).to_have_text("Your answers have been sent")
    expect(main).to_contain_text("Thank you. We will share what we heard")
    expect(main).to_contain_text("Your answers are anonymous: they are not linked "
                                 "to you.")
    accessible(page)
    page.get_by_role("link", name="Go to the surveys open to you").click()
    expect(page.get_by_text("Sent", exact=True)).to_be_visible()
    sign_out(page)

    # 3. The lead codes two answers about waiting into a new theme.
    sign_in(page, lead)
    page.goto(build_url)
    expect(main).to_contain_text("25 responses sent.")
    page.get_by_role("link", name="Results", exact=True).click()
    expect(page.locator("h1")).to_have_text("Results")
    expect(main).to_contain_text("25 responses sent.")
    accessible(page)
    page.get_by_role("link", name=re.compile(
        r"^See all 3 answers and code them into themes\W+What is the biggest")).click()
    expect(page.locator("h1")).to_have_text(
        "Themes: What is the biggest challenge you meet in your MSK work?")
    expect(main).to_contain_text("This question has no themes yet.")
    accessible(page)
    page.get_by_label("Theme", exact=True).fill("Waiting times")
    page.get_by_role("button", name="Add the theme").click()
    expect(main).to_contain_text("Added the theme “Waiting times”")
    accessible(page)
    page.get_by_label(CHALLENGE).check()
    page.get_by_label("Synthetic answer: people wait months to be seen.").check()
    page.get_by_role("button", name="Code them into the theme").click()
    expect(main).to_contain_text("Coded 2 answers into “Waiting times”")
    themes = page.locator("table").first
    expect(themes.locator("tbody tr")).to_have_count(1)
    expect(themes.locator("tbody tr th")).to_contain_text("Waiting times")
    expect(themes.locator("tbody tr td").first).to_have_text("2")
    accessible(page)

    # 4. ... and compares answers by sector, small numbers hidden.
    page.get_by_role("link", name="Back to the results").click()
    page.get_by_role("link", name="Compare answers by sector, ICB, pathway step or "
                     "role").click()
    expect(page.locator("h1")).to_have_text("Compare answers by group")
    accessible(page)
    page.get_by_label("Question", exact=True).select_option(
        label="Would you like to develop as a clinical leader in MSK?")
    page.get_by_label("Break it down by").select_option(
        label="Sector: Which sector do you work in?")
    page.get_by_role("button", name="Show the comparison").click()
    expect(page.locator("h2").first).to_have_text(
        "Would you like to develop as a clinical leader in MSK?")
    table = page.locator(".msknet-table-scroll table")
    headings = [t.strip() for t in table.locator("thead th").all_inner_texts()]
    primary = headings.index("Primary care")
    answered = table.locator("tbody tr").filter(has_text="People who answered")
    cells = [t.strip() for t in answered.locator("th, td").all_inner_texts()]
    assert cells[primary] == "12", cells
    secondary = headings.index("Secondary care")
    assert cells[secondary].startswith("Fewer than 5"), cells
    yes = table.locator("tbody tr").filter(
        has=page.locator("th", has_text=re.compile(r"^Yes$")))
    yes_cells = [t.strip() for t in yes.locator("th, td").all_inner_texts()]
    assert yes_cells[primary].startswith("6"), yes_cells
    expect(table).to_contain_text("Fewer than 5")
    accessible(page)

    # The member's response was sent anonymously: nothing ties it to them.
    sent = Response.objects.get(survey=survey, answers__value=ROLE)
    assert sent.respondent is None
    assert not Response.objects.filter(respondent=member).exists()
    assert Participation.objects.get(survey=survey, user=member).responses == 1
    assert not Draft.objects.filter(survey=survey, user=member).exists()
