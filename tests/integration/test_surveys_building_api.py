"""The surveys building API: the list, a survey's definition, making one from a
template, opening and closing."""

import pytest

from msknet.communications.models import Kind, Notification
from msknet.members.actions.accounts import create_api_token
from msknet.surveys.models import Survey, SurveyStatus
from tests.factories.community import EventFactory
from tests.factories.surveys import question, survey

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def bearer(user):
    _, raw = create_api_token(user=user, name="test")
    return {"Authorization": f"Bearer {raw}"}


def test_lead_lists_the_networks_surveys(client, network, lead):
    survey(network, by=lead, title="Landscape 2026")

    response = client.get("/api/networks/london/surveys", headers=bearer(lead))

    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 1
    assert body["items"][0]["title"] == "Landscape 2026"
    assert body["items"][0]["responses"] == 0


def test_definition_has_sections_questions_and_skip_rules(client, network, lead):
    made = survey(network, by=lead)
    obstacles = question(made, "Which of these get in the way")

    response = client.get(f"/api/networks/london/surveys/{made.pk}",
                          headers=bearer(lead))

    body = response.json()
    questions = [q for s in body["sections"] for q in s["questions"]]
    other = next(q for q in questions if q["text"] == "What else gets in the way?")
    assert body["sections"][0]["title"] == "About you"
    assert other["show_if"] == {"question_id": obstacles.pk,
                                "answer": "Something else"}


def test_lead_makes_a_survey_from_a_template(client, network, lead):
    event = EventFactory(network=network)

    response = client.post("/api/networks/london/surveys",
                           {"template": "event_feedback", "event": event.pk},
                           content_type="application/json", headers=bearer(lead))

    assert response.status_code == 201
    made = Survey.objects.get(pk=response.json()["id"])
    assert (made.status, made.event) == (SurveyStatus.DRAFT, event)


@pytest.mark.parametrize("body, field", [
    ({"template": "no-such"}, "template"),
    ({"template": "event_feedback"}, "event"),
    ({"template": "event_feedback", "event": 2**31 - 1}, "event"),
])
def test_bad_template_or_event_is_422_naming_the_field(client, network, lead, body,
                                                        field):
    response = client.post("/api/networks/london/surveys", body,
                           content_type="application/json", headers=bearer(lead))

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert not Survey.objects.exists()


def test_open_tells_members_and_close_stops_it(client, network, lead, member,
                                               django_capture_on_commit_callbacks):
    made = survey(network, by=lead, status=SurveyStatus.DRAFT)
    base = f"/api/networks/london/surveys/{made.pk}"

    with django_capture_on_commit_callbacks(execute=True):
        opened = client.post(f"{base}/open", headers=bearer(lead))
    again = client.post(f"{base}/open", headers=bearer(lead))
    closed = client.post(f"{base}/close", headers=bearer(lead))

    assert opened.json()["status"] == "open"
    assert again.status_code == 422
    assert closed.json()["status"] == "closed"
    assert Notification.objects.filter(kind=Kind.SURVEY_OPENED, user=member).exists()


def test_members_and_steering_are_refused(client, network, lead, member, steering):
    made = survey(network, by=lead)

    for user in (member, steering):
        assert client.get("/api/networks/london/surveys",
                          headers=bearer(user)).status_code == 403
        assert client.post(f"/api/networks/london/surveys/{made.pk}/close",
                           headers=bearer(user)).status_code == 403
