"""Coding free-text answers into themes, the API's results, and the feedback
summary on an event's page."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from msknet.core.models import AuditEvent
from msknet.members.actions.accounts import create_api_token
from msknet.surveys.models import Coding, Theme
from tests.factories.surveys import question, respond, survey

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

CHALLENGE = "What is the biggest challenge"


@pytest.fixture
def landscape(network, lead):
    made = survey(network, by=lead, title="Working in MSK")
    first, second = question(made, "Which sector").options[:2]
    for i in range(5):
        respond(made, {question(made, "Which sector"): first,
                       question(made, CHALLENGE): f"Long waits for physio {i}"})
    for i in range(4):
        respond(made, {question(made, "Which sector"): second,
                       question(made, CHALLENGE): f"Not enough staff {i}"})
    return made


def themes_url(made, *extra, name="survey-themes"):
    return reverse(name, args=[made.network.slug, made.pk,
                               question(made, CHALLENGE).pk, *extra])


def test_lead_codes_two_answers_into_a_theme_and_sees_the_crosstab(client, lead,
                                                                   landscape):
    client.force_login(lead)
    challenge = question(landscape, CHALLENGE)

    added = client.post(themes_url(landscape, name="survey-theme-add"),
                        {"name": "Waiting times"})
    theme = Theme.objects.get(question=challenge)
    two = list(challenge.answers.order_by("pk").values_list("pk", flat=True)[:2])
    coded = client.post(themes_url(landscape, name="survey-code"),
                        {"answers": two, "theme": theme.pk}, follow=True)
    crosstab = client.get(
        reverse("survey-crosstab", args=["london", landscape.pk]),
        {"question": challenge.pk, "by": question(landscape, "Which sector").pk})

    assert added.status_code == 302
    assert "Coded 2 answers into “Waiting times”" in coded.content.decode()
    # The lead's own coding page counts exactly: 2.
    assert '<td class="nhsuk-table__cell nhsuk-table__cell--numeric">2</td>' in (
        coded.content.decode())
    assert Coding.objects.filter(theme=theme).count() == 2
    page = crosstab.content.decode()
    assert crosstab.status_code == 200
    assert "Waiting times" in page and "Fewer than 5" in page
    assert AuditEvent.objects.filter(type="surveys_answers_coded").exists()


def test_taking_answers_out_of_a_theme(client, lead, landscape):
    challenge = question(landscape, CHALLENGE)
    theme = Theme.objects.create(question=challenge, name="Waits")
    answer = challenge.answers.first()
    Coding.objects.create(answer=answer, theme=theme)
    client.force_login(lead)

    client.post(themes_url(landscape, name="survey-code"),
                {"answers": [answer.pk], "theme": theme.pk, "remove": "on"})

    assert not Coding.objects.exists()


def test_coding_with_no_answers_chosen_says_so(client, lead, landscape):
    theme = Theme.objects.create(question=question(landscape, CHALLENGE), name="W")
    client.force_login(lead)

    page = client.post(themes_url(landscape, name="survey-code"), {"theme": theme.pk})

    assert page.status_code == 200
    assert "Choose at least one answer" in page.content.decode()
    assert not Coding.objects.exists()


def test_coding_another_questions_answer_changes_nothing(client, lead, landscape):
    theme = Theme.objects.create(question=question(landscape, CHALLENGE), name="W")
    other = question(landscape, "Which sector").answers.first()
    mine = question(landscape, CHALLENGE).answers.first()
    client.force_login(lead)

    page = client.post(themes_url(landscape, name="survey-code"),
                       {"answers": [mine.pk, other.pk], "theme": theme.pk})

    assert page.status_code == 200
    assert "Choose answers to this question" in page.content.decode()
    assert not Coding.objects.exists()


def test_a_theme_name_is_used_once_per_question(client, lead, landscape):
    Theme.objects.create(question=question(landscape, CHALLENGE), name="Waits")
    client.force_login(lead)

    page = client.post(themes_url(landscape, name="survey-theme-add"),
                       {"name": "waits"})

    assert page.status_code == 200
    assert "already has a theme called" in page.content.decode()


def test_renaming_and_removing_a_theme(client, lead, landscape):
    theme = Theme.objects.create(question=question(landscape, CHALLENGE), name="Waits")
    client.force_login(lead)

    client.post(themes_url(landscape, theme.pk, name="survey-theme-edit"),
                {"name": "Waiting times"})
    theme.refresh_from_db()
    asked = client.get(themes_url(landscape, theme.pk, name="survey-theme-remove"))
    client.post(themes_url(landscape, theme.pk, name="survey-theme-remove"))

    assert theme.name == "Waiting times"
    assert "Remove the theme “Waiting times”?" in asked.content.decode()
    assert not Theme.objects.exists()


def test_themes_page_is_only_for_free_text(client, lead, landscape):
    client.force_login(lead)
    sector = question(landscape, "Which sector")

    page = client.get(reverse("survey-themes", args=["london", landscape.pk,
                                                     sector.pk]))

    assert page.status_code == 404


def api_url(name, made):
    return reverse(f"api:{name}", kwargs={"slug": "london", "id": made.pk})


def api_get(client, user, path, **params):
    _, raw = create_api_token(user=user, name="t")
    return client.get(path, params, headers={"Authorization": f"Bearer {raw}"})


def test_api_results_hide_four_and_show_five(client, lead, landscape):
    challenge = question(landscape, CHALLENGE)
    waits = Theme.objects.create(question=challenge, name="Waits")
    staff = Theme.objects.create(question=challenge, name="Staff")
    for answer in challenge.answers.all():
        Coding.objects.create(answer=answer, theme=waits if "waits" in answer.value
                              else staff)

    body = api_get(client, lead, api_url("survey-results-api", landscape)).json()

    text = next(q for q in body["questions"] if q["id"] == challenge.pk)
    themes = {t["label"]: t for t in text["themes"]}
    assert themes["Waits"]["respondents"] == 5
    assert themes["Staff"]["respondents"] is None
    assert themes["Staff"]["suppressed"] is True
    assert "Long waits for physio 0" not in str(body)


def test_api_crosstab_is_suppressed_and_names_bad_fields(client, lead, landscape):
    path = api_url("survey-crosstab-api", landscape)
    sector = question(landscape, "Which sector")
    challenge = question(landscape, CHALLENGE)
    waits = Theme.objects.create(question=challenge, name="Waits")
    for answer in challenge.answers.all():
        Coding.objects.create(answer=answer, theme=waits)

    body = api_get(client, lead, path, question=challenge.pk, by=sector.pk).json()
    bad = api_get(client, lead, path, question="x", by=challenge.pk)

    groups = {g["label"]: g for g in body["groups"]}
    assert groups["All respondents"]["respondents"] == 9
    assert groups[sector.options[1]]["suppressed"] is True
    # The group of 5 goes too: 9 minus it would give the group of 4.
    assert groups[sector.options[0]]["suppressed"] is True
    for row in body["rows"]:
        for cell in row["cells"]:
            assert cell["respondents"] in (None, 0) or cell["respondents"] >= 5
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"question", "by"}


def test_api_themes_count_exactly_for_leads(client, lead, member, landscape):
    challenge = question(landscape, CHALLENGE)
    theme = Theme.objects.create(question=challenge, name="Waits")
    Coding.objects.create(answer=challenge.answers.first(), theme=theme)
    path = api_url("survey-themes-api", landscape)

    body = api_get(client, lead, path).json()
    refused = api_get(client, member, path)

    mine = next(q for q in body if q["question_id"] == challenge.pk)
    assert mine["answers"] == 9
    assert mine["themes"][0]["answers"] == 1
    assert refused.status_code == 403


@pytest.fixture
def event_with_feedback(network, lead):
    from tests.factories.community import EventFactory

    event = EventFactory(network=network,
                         starts_at=timezone.now() - dt.timedelta(days=2),
                         ends_at=timezone.now() - dt.timedelta(days=2, hours=-2))
    made = survey(network, template="event_feedback", by=lead, event=event)
    for rating in (4, 5, 5, 3, 4):
        respond(made, {question(made, "How useful"): rating})
    return event, made


def test_event_page_shows_feedback_to_leads_only(client, lead, member,
                                                 event_with_feedback):
    event, made = event_with_feedback
    address = reverse("event-detail", args=["london", event.pk])

    client.force_login(lead)
    seen = client.get(address).content.decode()
    client.force_login(member)
    hidden = client.get(address).content.decode()

    assert "Feedback" in seen and made.title in seen
    assert "4.2 on average" in seen
    assert reverse("survey-results", args=["london", made.pk]) in seen
    assert made.title not in hidden
