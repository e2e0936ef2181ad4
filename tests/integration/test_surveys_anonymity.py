"""An anonymous survey's responses cannot be traced to an account: checked
through the database after a member answers one through the pages."""

import datetime as dt
import uuid

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.urls import reverse

from msknet.core.models import AuditEvent
from msknet.surveys.models import Answer, Draft, Participation, Response
from tests.factories.surveys import survey
from tests.integration.test_surveys_answering import answer_all, url

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture
def anonymous(network, lead):
    return survey(network, by=lead, title="Anonymous landscape", anonymous=True)


def rows_naming(user):
    """Every row in a surveys table with a column pointing at `user`."""
    found = []
    for model in apps.get_app_config("surveys").get_models():
        for field in model._meta.get_fields():
            if (isinstance(field, models.ForeignKey)
                    and field.related_model._meta.label == settings.AUTH_USER_MODEL):
                found += [(model.__name__, row) for row in
                          model.objects.filter(**{field.name: user})]
    return found


def test_anonymous_response_has_no_link_to_the_account(client, member, anonymous):
    client.force_login(member)
    answer_all(client, anonymous)
    assert Draft.objects.filter(user=member).exists()  # saved with the account

    sent = client.post(url("survey-check", anonymous))

    assert sent.status_code == 302
    response = Response.objects.get(survey=anonymous)
    # The response names nobody, has a random id and only the day it was sent.
    assert response.respondent_id is None
    assert isinstance(response.pk, uuid.UUID) and response.pk.version == 4
    assert type(response.submitted_on) is dt.date
    assert {f.name for f in Response._meta.concrete_fields} == {
        "id", "survey", "respondent", "submitted_on"}
    # The answers hang from the response alone.
    assert {f.name for f in Answer._meta.concrete_fields} == {
        "id", "response", "question", "value"}
    assert Answer.objects.filter(response=response).count() == 10
    # The draft is gone: the only row naming the member is their count.
    assert not Draft.objects.filter(user=member).exists()
    named = rows_naming(member)
    assert [(name, row.responses) for name, row in named] == [("Participation", 1)]
    # ...which names no response and records no time.
    assert {f.name for f in Participation._meta.concrete_fields} == {
        "id", "survey", "user", "responses"}
    # Nor does the audit log tie the response to them.
    assert not AuditEvent.objects.filter(target_id=str(response.pk)).exists()


def test_the_pages_say_the_answers_are_anonymous(client, member, anonymous):
    client.force_login(member)
    answer_all(client, anonymous)

    check = client.get(url("survey-check", anonymous)).content.decode()
    client.post(url("survey-check", anonymous))
    done = client.get(url("survey-done", anonymous)).content.decode()

    assert "they are separated from your account and the saved copy is deleted" in check
    assert "Your answers are anonymous: they are not linked to you." in done


def test_a_named_survey_records_the_respondent(client, member, network, lead):
    named = survey(network, by=lead, title="Named landscape", anonymous=False)
    client.force_login(member)
    start = client.get(reverse("survey-start", args=[network.slug, named.pk]))
    answer_all(client, named)

    client.post(url("survey-check", named))

    assert "Your name is recorded with your answers." in start.content.decode()
    assert Response.objects.get(survey=named).respondent == member
