"""Answering surveys: the list, the journey section by section with skip
logic, saving half-way and coming back, validation, limits, closed surveys,
audiences, visitors by the link, and the API."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from msknet.community.models import Attendance
from msknet.governance.models import GroupMembership
from msknet.surveys.models import (
    Answer,
    Audience,
    Draft,
    Participation,
    Question,
    QuestionKind,
    Response,
    SurveyStatus,
)
from tests.factories.community import EventFactory, RegistrationFactory
from tests.factories.governance import make_group
from tests.factories.memberships import MembershipFactory
from tests.factories.surveys import question, survey

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture
def landscape(network, lead):
    return survey(network, by=lead, title="Working in MSK")


def url(name, s, *args):
    return reverse(name, args=[s.network.slug, s.pk, *args])


def q(s, text):
    return f"q{question(s, text).pk}"


def likert(s, option="Agree"):
    confidence = question(s, "How far do you agree")
    return {f"q{confidence.pk}_{n}": option for n in range(3)}


def about_you(s):
    return {q(s, "What is your role"): "First-contact physiotherapist",
            q(s, "Which sector"): "Primary care",
            q(s, "Which ICB"): "Outside these areas",
            q(s, "Where on the MSK pathway"): "Not on the pathway"}


def challenges(s, *obstacles, other=""):
    return {q(s, "Which of these get in the way"): list(obstacles or ["Waiting lists"]),
            q(s, "What else gets in the way"): other,
            q(s, "What is the biggest challenge"): "Long waits for physiotherapy.",
            **likert(s)}


def strengths(s):
    return {q(s, "What works well"): "Good triage.",
            q(s, "Is there a solution"): ""}


def the_network(s):
    return {q(s, "What would you like the network"): "Share pathways.",
            q(s, "Would you like to develop"): "Yes"}


def answer_all(client, s):
    for position, data in enumerate(
            [about_you(s), challenges(s), strengths(s), the_network(s)], start=1):
        response = client.post(url("survey-section", s, position),
                               {**data, "action": "continue"})
        assert response.status_code == 302, response.context["form"].errors
    return response


# The list and the start page ------------------------------------------------------


def test_list_shows_open_surveys_with_continue_and_sent(client, network, member,
                                                        landscape, lead):
    draft = survey(network, by=lead, title="Lived experience",
                   template="lived_experience", audience=Audience.MEMBERS)
    sent = survey(network, by=lead, title="Already answered")
    survey(network, by=lead, title="Still being built", status=SurveyStatus.DRAFT)
    survey(network, by=lead, title="Closed one", status=SurveyStatus.CLOSED)
    Draft.objects.create(survey=draft, user=member, answers={})
    Participation.objects.create(survey=sent, user=member, responses=1)
    client.force_login(member)

    page = client.get(reverse("survey-list", args=[network.slug])).content.decode()

    assert "Working in MSK" in page and "Start<span" in page
    assert "Continue<span" in page and "Sent</strong>" in page
    assert "Still being built" not in page and "Closed one" not in page
    assert ">Surveys</a>" in page  # in the navigation


def test_start_page_says_an_anonymous_survey_keeps_answers_apart(client, member,
                                                                 landscape):
    client.force_login(member)

    page = client.get(url("survey-start", landscape)).content.decode()

    assert "It has 4 sections" in page
    assert ("Your answers are anonymous: we do not record who sent them. While you "
            "fill it in, we keep your saved answers with your account so you can "
            "come back; when you send them, they are separated from your account "
            "and the saved copy is deleted.") in page


def test_start_page_says_a_named_survey_records_the_name(client, member, landscape):
    landscape.anonymous = False
    landscape.save()
    client.force_login(member)

    page = client.get(url("survey-start", landscape)).content.decode()

    assert "Your name is recorded with your answers." in page


@pytest.mark.parametrize(("change", "says"), [
    ({"status": SurveyStatus.CLOSED}, "This survey is closed"),
    ({"closes_at": timezone.now() - dt.timedelta(hours=1)}, "This survey is closed"),
    ({"opens_at": timezone.now() + dt.timedelta(days=1)}, "This survey is not open yet"),
])
def test_start_page_says_when_a_survey_takes_no_answers(client, member, landscape,
                                                         change, says):
    for name, value in change.items():
        setattr(landscape, name, value)
    landscape.save()
    client.force_login(member)

    page = client.get(url("survey-start", landscape)).content.decode()
    section = client.get(url("survey-section", landscape, 1))

    assert says in page and "Start now" not in page
    assert section.status_code == 302 and section["Location"] == url(
        "survey-start", landscape)


def test_a_survey_being_built_is_not_found_by_members(client, network, member, lead):
    built = survey(network, by=lead, status=SurveyStatus.DRAFT)
    client.force_login(member)

    assert client.get(url("survey-start", built)).status_code == 404


# The journey ---------------------------------------------------------------------


def test_member_saves_half_way_signs_out_and_in_then_finishes(client, member,
                                                               landscape):
    client.force_login(member)
    client.post(url("survey-section", landscape, 1),
                {**about_you(landscape), "action": "continue"})

    later = client.post(url("survey-section", landscape, 2),
                        {**challenges(landscape), "action": "later"}, follow=True)

    assert later.redirect_chain[-1][0] == reverse("survey-list", args=["london"])
    assert "are saved" in later.content.decode()
    draft = Draft.objects.get(survey=landscape, user=member)
    assert draft.answers[str(question(landscape, "Which sector").pk)] == "Primary care"
    assert draft.section_position == 2
    assert not Response.objects.exists()

    client.logout()
    client.force_login(member)
    start = client.get(url("survey-start", landscape)).content.decode()
    assert "Continue" in start and url("survey-section", landscape, 2) in start
    section = client.get(url("survey-section", landscape, 2)).content.decode()
    assert "Long waits for physiotherapy." in section  # the saved answer is back

    for position, data in ((2, challenges(landscape)), (3, strengths(landscape)),
                           (4, the_network(landscape))):
        client.post(url("survey-section", landscape, position),
                    {**data, "action": "continue"})
    check = client.get(url("survey-check", landscape)).content.decode()
    assert "Check your answers" in check and "First-contact physiotherapist" in check
    assert "I know which MSK services I can refer to: Agree" in check

    sent = client.post(url("survey-check", landscape))

    assert sent["Location"] == url("survey-done", landscape)
    response = Response.objects.get(survey=landscape)
    answers = {a.question.text: a.value for a in response.answers.all()}
    assert answers["Which of these get in the way of good MSK care where you work?"] \
        == ["Waiting lists"]
    assert answers["How far do you agree with these statements?"] == {
        s: "Agree" for s in question(landscape, "How far do you agree").statements}
    assert not Draft.objects.filter(user=member).exists()
    assert Participation.objects.get(survey=landscape, user=member).responses == 1
    done = client.get(url("survey-done", landscape)).content.decode()
    assert "Thank you. We will share what we heard" in done


def test_back_link_goes_to_the_previous_section(client, member, landscape):
    client.force_login(member)

    page = client.get(url("survey-section", landscape, 2)).content.decode()

    assert f'href="{url("survey-section", landscape, 1)}">Back' in page
    assert "section 2 of 4" in page


# Skip logic ----------------------------------------------------------------------


def test_a_question_asked_only_after_an_answer_says_when(client, member, landscape):
    client.force_login(member)

    page = client.get(url("survey-section", landscape, 2)).content.decode()

    assert "Answer this if you chose “Something else”" in page


def test_skipped_question_is_required_only_when_its_answer_is_given(client, member,
                                                                     landscape):
    client.force_login(member)

    without = client.post(url("survey-section", landscape, 2), {
        **challenges(landscape, "Waiting lists", other="Kept anyway?"),
        "action": "continue"})
    needed = client.post(url("survey-section", landscape, 2), {
        **challenges(landscape, "Something else"), "action": "continue"})

    assert without.status_code == 302
    saved = Draft.objects.get(user=member).answers
    assert str(question(landscape, "What else gets in the way").pk) not in saved
    assert needed.status_code == 200
    assert "Answer “What else gets in the way?”" in needed.content.decode()


def test_section_whose_questions_are_all_skipped_is_passed_over(client, network,
                                                                member, lead):
    s = survey(network, by=lead, title="Skips")
    second = s.sections.get(position=2)
    # Section 2 asks only when section 1's sector is "Primary care".
    sector = question(s, "Which sector")
    Question.objects.filter(section=second).update(
        show_if_question=sector, show_if_answer="Primary care")
    client.force_login(member)
    client.post(url("survey-section", s, 1),
                {**about_you(s), q(s, "Which sector"): "Acute trust",
                 "action": "continue"})

    shown = client.get(url("survey-section", s, 2))

    assert shown.status_code == 302
    assert shown["Location"] == url("survey-section", s, 3)


def test_answers_to_hidden_questions_are_discarded_on_sending(client, member,
                                                             landscape):
    client.force_login(member)
    answer_all(client, landscape)
    draft = Draft.objects.get(user=member)
    other = question(landscape, "What else gets in the way")
    draft.answers[str(other.pk)] = "Smuggled in"  # saved, but no longer asked
    draft.save()

    client.post(url("survey-check", landscape))

    assert not Answer.objects.filter(question=other).exists()
    assert Response.objects.filter(survey=landscape).count() == 1


# Validation ----------------------------------------------------------------------


def test_required_questions_are_named_in_the_error_summary(client, member, landscape):
    client.force_login(member)

    page = client.post(url("survey-section", landscape, 1),
                       {"action": "continue"}).content.decode()

    assert "There is a problem" in page
    assert "Choose an answer to “Which sector do you work in?”" in page
    assert "Answer “What is your role?”" in page


def test_an_option_not_offered_is_refused(client, member, landscape):
    client.force_login(member)

    page = client.post(url("survey-section", landscape, 1), {
        **about_you(landscape), q(landscape, "Which sector"): "Made up",
        "action": "continue"}).content.decode()

    assert "Choose one of the options for “Which sector do you work in?”" in page
    assert not Draft.objects.exists()


def test_likert_needs_every_statement_when_required(client, member, landscape):
    client.force_login(member)
    data = challenges(landscape)
    confidence = question(landscape, "How far do you agree")
    del data[f"q{confidence.pk}_2"]

    page = client.post(url("survey-section", landscape, 2),
                       {**data, "action": "continue"}).content.decode()

    assert "Choose an answer for each statement of “How far do you agree" in page


@pytest.fixture
def kinds(network, lead):
    """A survey with a number and a date question."""
    s = survey(network, by=lead, title="Kinds")
    first = s.sections.order_by("position").first()
    Question.objects.create(section=first, position=10, kind=QuestionKind.NUMBER,
                            text="How many clinics do you run?")
    Question.objects.create(section=first, position=11, kind=QuestionKind.DATE,
                            text="When did you start?")
    return s


def test_numbers_and_real_dates_are_checked(client, member, kinds):
    client.force_login(member)
    number, when = q(kinds, "How many clinics"), q(kinds, "When did you start")

    bad = client.post(url("survey-section", kinds, 1), {
        **about_you(kinds), number: "lots", f"{when}_day": "31",
        f"{when}_month": "2", f"{when}_year": "2024", "action": "continue"})
    good = client.post(url("survey-section", kinds, 1), {
        **about_you(kinds), number: "2.5", f"{when}_day": "29",
        f"{when}_month": "2", f"{when}_year": "2024", "action": "continue"})

    page = bad.content.decode()
    assert "Enter a number for “How many clinics do you run?”" in page
    assert "Enter a real date for “When did you start?”" in page
    assert 'class="nhsuk-date-input"' in page
    assert good.status_code == 302
    saved = Draft.objects.get(user=member).answers
    assert saved[number[1:]] == 2.5 and saved[when[1:]] == "2024-02-29"


def test_saving_for_later_does_not_ask_for_missing_answers(client, member,
                                                          landscape):
    client.force_login(member)

    later = client.post(url("survey-section", landscape, 1), {
        q(landscape, "Which sector"): "Primary care", "action": "later"})

    assert later.status_code == 302
    assert Draft.objects.get(user=member).section_position == 1


def test_sending_with_missing_answers_names_them_and_sends_nothing(client, member,
                                                                  landscape):
    client.force_login(member)
    client.post(url("survey-section", landscape, 1),
                {**about_you(landscape), "action": "continue"})

    page = client.post(url("survey-check", landscape)).content.decode()

    assert "There is a problem" in page
    assert "Answer “What is the biggest challenge" in page
    assert not Response.objects.exists()
    assert Draft.objects.filter(user=member).exists()


# Limits --------------------------------------------------------------------------


def test_a_second_response_beyond_the_limit_is_refused(client, member, landscape):
    client.force_login(member)
    answer_all(client, landscape)
    client.post(url("survey-check", landscape))

    again = client.get(url("survey-section", landscape, 1))
    start = client.get(url("survey-start", landscape)).content.decode()

    assert again.status_code == 302
    assert "You have already sent your answers to this survey" in start
    assert Response.objects.count() == 1


def test_a_limit_of_two_takes_two(client, member, landscape):
    landscape.responses_per_person = 2
    landscape.save()
    client.force_login(member)
    for _ in range(2):
        answer_all(client, landscape)
        assert client.post(url("survey-check", landscape)).status_code == 302

    assert Response.objects.count() == 2
    assert Participation.objects.get(user=member).responses == 2
    assert "You have sent the most responses allowed (2)" in client.get(
        url("survey-start", landscape)).content.decode()


# Audiences -----------------------------------------------------------------------


def test_a_groups_survey_is_for_its_members_only(client, network, member, lead):
    group = make_group(network, members=[member])
    s = survey(network, by=lead, audience=Audience.GROUP, group=group)
    other = MembershipFactory(network=network).user
    GroupMembership.objects.filter(group=group, user=other).delete()

    client.force_login(member)
    assert client.get(url("survey-start", s)).status_code == 200
    client.force_login(other)
    assert client.get(url("survey-start", s)).status_code == 403
    assert s.title not in client.get(
        reverse("survey-list", args=[network.slug])).content.decode()


def test_an_events_survey_is_for_its_attendees_only(client, network, member, lead):
    event = EventFactory(network=network)
    RegistrationFactory(event=event, user=member)
    absent = MembershipFactory(network=network).user
    RegistrationFactory(event=event, user=absent, attendance=Attendance.DID_NOT_ATTEND,
                        attendance_recorded_at=timezone.now())
    s = survey(network, template="event_feedback", by=lead, event=event)

    client.force_login(member)
    assert client.get(url("survey-start", s)).status_code == 200
    client.force_login(absent)
    assert client.get(url("survey-start", s)).status_code == 403


def test_an_outsider_cannot_answer_a_members_survey(client, outsider, landscape):
    client.force_login(outsider)

    assert client.get(url("survey-start", landscape)).status_code == 403


# Anyone with the link ------------------------------------------------------------


@pytest.fixture
def public(network, lead):
    return survey(network, template="lived_experience", by=lead,
                  audience=Audience.ANYONE_WITH_LINK, token="a-link-token")


def test_visitor_answers_by_the_link_and_only_once_per_session(client, public):
    link = reverse("survey-by-link", args=[public.network.slug, public.token])
    start = client.get(link).content.decode()
    assert "we keep your saved answers in this browser session" in start
    who = q(public, "Which of these fits you best")
    help_from = q(public, "Where have you had help")

    client.post(url("survey-section", public, 1), {who: "Both", "action": "continue"})
    client.post(url("survey-section", public, 2),
                {help_from: ["My GP"], q(public, "How easy"): "4", "action": "continue"})
    client.post(url("survey-section", public, 3),
                {q(public, "What is the one thing"): "Shorter waits",
                 "action": "continue"})
    sent = client.post(url("survey-check", public))

    assert sent["Location"] == url("survey-done", public)
    response = Response.objects.get(survey=public)
    assert response.respondent is None and response.answers.count() == 4
    assert "already sent" in client.get(link).content.decode()
    assert not Participation.objects.exists()


def test_visitor_must_come_by_the_link(client, public):
    assert client.get(url("survey-start", public)).status_code == 404
    assert client.get(url("survey-section", public, 1)).status_code == 404


def test_unknown_link_is_not_found(client, network):
    assert client.get(reverse("survey-by-link", args=["london", "nope"])
                      ).status_code == 404


def test_named_link_survey_sends_visitors_to_sign_in(client, public):
    public.anonymous = False
    public.save()

    response = client.get(reverse("survey-by-link", args=["london", public.token]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("sign-in"))


# The API -------------------------------------------------------------------------


def api(client, user, method, path, body=None):
    from msknet.members.actions.accounts import create_api_token

    _, raw = create_api_token(user=user, name="t")
    send = getattr(client, method)
    return send(f"/api{path}", body, content_type="application/json",
                headers={"Authorization": f"Bearer {raw}"})


def all_answers(s, **override):
    values = {"What is your role": "Physio", "Which sector": "Primary care",
              "Which ICB": "Outside these areas",
              "Where on the MSK pathway": "Not on the pathway",
              "Which of these get in the way": ["Waiting lists"],
              "What is the biggest challenge": "Waits",
              "How far do you agree": {
                  st: "Agree" for st in question(s, "How far do you agree").statements},
              "What works well": "Triage",
              "What would you like the network": "Share",
              "Would you like to develop": "Yes", **override}
    return {str(question(s, key).pk): value for key, value in values.items()}


def test_api_lists_the_surveys_open_to_me(client, member, landscape):
    body = api(client, member, "get", "/networks/london/open-surveys").json()

    assert [s["title"] for s in body] == ["Working in MSK"]
    assert body[0]["sections"] == 4 and body[0]["sent"] == 0


def test_api_sends_a_response(client, member, landscape):
    response = api(client, member, "post",
                   f"/networks/london/surveys/{landscape.pk}/responses",
                   {"answers": all_answers(landscape)})

    assert response.status_code == 201, response.json()
    assert response.json()["anonymous"] is True
    sent = Response.objects.get(survey=landscape)
    assert sent.respondent is None and sent.answers.count() == 10


def test_api_names_each_question_that_is_wrong(client, member, landscape):
    answers = all_answers(landscape, **{"Which sector": "Made up"})
    del answers[str(question(landscape, "What is your role").pk)]

    response = api(client, member, "post",
                   f"/networks/london/surveys/{landscape.pk}/responses",
                   {"answers": answers})

    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {f"answers.{question(landscape, 'Which sector').pk}",
                      f"answers.{question(landscape, 'What is your role').pk}"}
    assert not Response.objects.exists()


def test_api_applies_skip_logic_and_the_limit(client, member, landscape):
    other = question(landscape, "What else gets in the way")
    answers = {**all_answers(landscape), str(other.pk): "Not asked"}
    path = f"/networks/london/surveys/{landscape.pk}/responses"

    first = api(client, member, "post", path, {"answers": answers})
    second = api(client, member, "post", path, {"answers": answers})

    assert first.status_code == 201
    assert not Answer.objects.filter(question=other).exists()
    assert second.status_code == 422
    assert second.json()["errors"][0]["field"] == "survey"
    assert Response.objects.count() == 1


def test_members_find_results_a_lead_has_shared_on_the_survey_list(
        client, network, member, lead):
    shared = survey(network, by=lead, title="What we heard", results_shared=True,
                    status=SurveyStatus.CLOSED)
    survey(network, by=lead, title="Not shared yet", status=SurveyStatus.CLOSED)
    client.force_login(member)

    page = client.get(reverse("survey-list", args=[network.slug])).content.decode()

    assert "Results shared with the network" in page
    assert reverse("survey-summary", args=[network.slug, shared.pk]) in page
    assert "Not shared yet" not in page
