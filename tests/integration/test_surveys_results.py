"""A survey's results: tallies and charts, the cross-tab, the downloads, the
responses export and the shared summary, with small numbers hidden."""

import csv
import io

import pytest
from django.urls import reverse

from msknet.core.models import AuditEvent
from msknet.surveys.models import Theme
from tests.factories.surveys import question, respond, survey

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# "Fewer than 5" is what a hidden figure says on the pages.
HIDDEN = "Fewer than 5"


@pytest.fixture
def landscape(network, lead):
    return survey(network, by=lead, title="Working in MSK")


OBSTACLES = "Which of these get in the way"
LEADERSHIP = "Would you like to develop"


def answers(made, sector, obstacle, leadership, challenge):
    return {question(made, "Which sector"): sector,
            question(made, OBSTACLES): [obstacle],
            question(made, LEADERSHIP): leadership,
            question(made, "What is the biggest challenge"): challenge}


def sectors(made, count):
    return question(made, "Which sector").options[:count]


@pytest.fixture
def answered(landscape):
    """Nine responses: 5 from the first sector name waiting lists and say
    Yes; 4 from the second name staffing and say No."""
    first, second = sectors(landscape, 2)
    for i in range(5):
        respond(landscape, answers(landscape, first, "Waiting lists", "Yes",
                                   f"Waits {i}"))
    for i in range(4):
        respond(landscape, answers(landscape, second, "Staffing and vacancies", "No",
                                   f'=HYPERLINK("x") {i}'))
    return landscape


def url(name, made, *extra):
    return reverse(name, args=[made.network.slug, made.pk, *extra])


def test_results_show_five_and_hide_four(client, lead, answered):
    client.force_login(lead)

    page = client.get(url("survey-results", answered)).content.decode()

    assert "9 responses sent" in page
    assert OBSTACLES in page
    # 5 of 9 named waiting lists (55.6%); the 4 who named staffing are hidden.
    assert "55.6%" in page
    assert "44.4%" not in page
    assert HIDDEN in page
    assert 'id="chart-question-' in page


def test_results_hide_a_figure_the_total_would_give_away(client, lead, answered):
    client.force_login(lead)

    data = client.get(url("survey-results-json", answered)).json()

    # 5 said Yes and 4 No: with 9 answering, showing the 5 gives away the 4.
    leadership = {r["answer"]: r for r in data["rows"]
                  if r["question"].startswith(LEADERSHIP)}
    assert leadership["No"]["respondents"] is None
    assert leadership["Yes"]["respondents"] is None
    assert leadership["Answered"]["respondents"] == 9


def test_results_figures_download_is_suppressed(client, lead, answered):
    client.force_login(lead)

    rows = list(csv.DictReader(io.StringIO(
        client.get(url("survey-results-csv", answered)).content.decode())))

    obstacles = {r["Answer or figure"]: r for r in rows
                 if r["Question"].startswith(OBSTACLES)}
    assert obstacles["Waiting lists"]["Respondents"] == "5"
    assert obstacles["Staffing and vacancies"]["Respondents"] == ""
    assert obstacles["Staffing and vacancies"]["Note"] == "fewer than 5"


def crosstab_of(client, made, key_text, fmt="json"):
    params = {"question": question(made, key_text).pk,
              "by": question(made, "Which sector").pk}
    return client.get(url(f"survey-crosstab-{fmt}", made) if fmt
                      else url("survey-crosstab", made), params)


def test_crosstab_shows_groups_of_five(client, network, lead):
    made = survey(network, by=lead)
    first, second = sectors(made, 2)
    for sector, said in ((first, "Yes"), (second, "No")):
        for i in range(5):
            respond(made, answers(made, sector, "Waiting lists", said, f"{i}"))
    client.force_login(lead)

    data = crosstab_of(client, made, LEADERSHIP).json()
    page = crosstab_of(client, made, LEADERSHIP, fmt="").content.decode()

    cells = {(r["group"], r["answer"]): r["respondents"] for r in data["rows"]}
    assert cells[(first, "Yes")] == 5
    assert cells[(second, "No")] == 5
    assert cells[("All respondents", "Yes")] == 5
    assert "5 <span class=\"nhsuk-body-s\">(100.0%)</span>" in page


def test_crosstab_hides_a_group_of_four(client, lead, answered):
    client.force_login(lead)
    second = sectors(answered, 2)[1]

    data = crosstab_of(client, answered, LEADERSHIP).json()
    page = crosstab_of(client, answered, LEADERSHIP, fmt="")
    text = crosstab_of(client, answered, LEADERSHIP, fmt="csv").content.decode()

    assert page.status_code == 200
    assert HIDDEN in page.content.decode()
    assert all(r["respondents"] is None for r in data["rows"] if r["group"] == second)
    for row in data["rows"]:
        assert row["respondents"] in (None, 0) or row["respondents"] >= 5
    for row in csv.DictReader(io.StringIO(text)):
        assert row["Respondents"] in ("", "0") or int(row["Respondents"]) >= 5


def test_crosstab_of_a_question_the_survey_lacks_is_an_error(client, lead, answered):
    client.force_login(lead)

    page = client.get(url("survey-crosstab", answered), {"question": 0, "by": 0})

    assert page.status_code == 200
    assert "Choose one of the survey&#x27;s questions" in page.content.decode()


def test_responses_csv_is_formula_safe_and_anonymous(client, lead, answered):
    client.force_login(lead)

    text = client.get(url("survey-responses-csv", answered)).content.decode()

    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 10
    assert "Respondent" not in rows[0]
    assert "What is the biggest challenge you meet in your MSK work? (themes)" in rows[0]
    assert not any(cell.startswith("=") for row in rows for cell in row)
    assert any(cell.startswith("'=HYPERLINK") for row in rows for cell in row)


def test_responses_csv_names_respondents_of_a_named_survey(client, network, lead,
                                                           member):
    named = survey(network, by=lead, anonymous=False, title="Named")
    respond(named, {question(named, "Which sector"): sectors(named, 1)[0]}, by=member)
    client.force_login(lead)

    rows = list(csv.reader(io.StringIO(
        client.get(url("survey-responses-csv", named)).content.decode())))

    assert rows[0][2] == "Respondent"
    assert rows[1][2] == member.display_name


def test_summary_hides_small_numbers_and_quotes_no_answers(client, lead, answered):
    challenge = question(answered, "What is the biggest challenge")
    waits = Theme.objects.create(question=challenge, name="Waiting times")
    staff = Theme.objects.create(question=challenge, name="Staffing")
    for answer in challenge.answers.all():
        text = answer.value
        theme = waits if text.startswith("Waits") else staff
        answer.codings.create(theme=theme)
    client.force_login(lead)

    page = client.get(url("survey-summary", answered)).content.decode()

    assert "Waiting times" in page and "Staffing" in page
    assert "Waits 0" not in page  # no free-text answer verbatim
    assert "55.6%" in page  # 5 of 9 in Waiting times
    assert "44.4%" not in page  # Staffing has 4: hidden
    assert HIDDEN in page


def test_sharing_lets_members_see_the_summary(client, lead, member, answered):
    client.force_login(member)
    assert client.get(url("survey-summary", answered)).status_code == 403

    client.force_login(lead)
    shared = client.post(url("survey-share", answered))
    client.force_login(member)
    seen = client.get(url("survey-summary", answered))

    assert shared.status_code == 302
    assert seen.status_code == 200
    assert "Share it with" not in seen.content.decode()
    answered.refresh_from_db()
    assert answered.results_shared
    assert AuditEvent.objects.filter(type="surveys_results_shared").exists()

    client.force_login(lead)
    client.post(url("survey-unshare", answered))
    client.force_login(member)
    assert client.get(url("survey-summary", answered)).status_code == 403


def test_members_cannot_see_the_full_results(client, member, answered):
    client.force_login(member)

    assert client.get(url("survey-results", answered)).status_code == 403
    assert client.get(url("survey-responses-csv", answered)).status_code == 403


def test_cli_exports_the_responses(answered, tmp_path):
    from click.testing import CliRunner

    from msknet.cli import cli

    out = tmp_path / "responses.csv"
    result = CliRunner().invoke(cli, ["surveys", "export", "--network", "london",
                                      "--survey", str(answered.pk), "--output",
                                      str(out)])
    missing = CliRunner().invoke(cli, ["surveys", "export", "--network", "london",
                                       "--survey", "999999"])

    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(rows) == 10
    assert any(cell.startswith("'=HYPERLINK") for row in rows for cell in row)
    assert missing.exit_code != 0
    assert "has no survey 999999" in missing.output


def test_crosstab_names_its_breakdown_as_a_sentence_would(client, network, lead):
    made = survey(network, by=lead)
    client.force_login(lead)

    page = client.get(url("survey-crosstab", made), {
        "question": question(made, LEADERSHIP).pk,
        "by": question(made, "Which ICB area").pk}).content.decode()

    assert "By ICB (Which ICB area do you mainly work in?)" in page
