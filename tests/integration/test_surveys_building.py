"""Building surveys: from each template or blank, settings, sections and
questions with skip logic, the structure locked once answered, opening (which
tells the audience), closing, the link and deleting a draft."""

import pytest
from django.urls import reverse

from msknet.communications.models import Kind, Notification
from msknet.core.models import AuditEvent
from msknet.members.models import Role
from msknet.surveys.actions import building as actions
from msknet.surveys.actions.common import Refused
from msknet.surveys.models import (
    Audience,
    Question,
    QuestionKind,
    Section,
    Survey,
    SurveyStatus,
)
from tests.factories.community import EventFactory
from tests.factories.governance import make_group
from tests.factories.memberships import MembershipFactory
from tests.factories.surveys import question, respond, survey
from tests.queries import queries_of

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def url(name, survey_, *args):
    return reverse(name, args=[survey_.network.slug, survey_.pk, *args])


@pytest.fixture
def lead_client(client, lead):
    client.force_login(lead)
    return client


@pytest.fixture
def draft(network, lead):
    return survey(network, by=lead, status=SurveyStatus.DRAFT)


def ordered(survey_):
    return list(Question.objects.filter(section__survey=survey_)
                .order_by("section__position", "position")
                .values_list("text", flat=True))


# A new survey -------------------------------------------------------------------


def test_new_page_offers_the_three_templates_and_a_blank_survey(lead_client, network):
    response = lead_client.get(reverse("survey-new", args=[network.slug]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "The MSK landscape: a survey for professionals" in page
    assert "Event feedback" in page
    assert "Lived experience: your views in plain English" in page
    assert "Start from a blank survey" in page


@pytest.mark.parametrize("template, audience", [
    ("landscape", Audience.MEMBERS),
    ("lived_experience", Audience.ANYONE_WITH_LINK),
])
def test_lead_builds_a_draft_from_a_template(lead_client, network, template, audience):
    response = lead_client.post(reverse("survey-new", args=[network.slug]),
                                {"template": template})

    made = Survey.objects.get(network=network)
    assert response.status_code == 302
    assert response["Location"] == url("survey-build", made)
    assert (made.status, made.template, made.audience) == (
        SurveyStatus.DRAFT, template, audience)
    assert Question.objects.filter(section__survey=made).count() > 5
    assert AuditEvent.objects.filter(type="surveys_created").exists()


def test_event_feedback_asks_which_event_and_is_for_its_attendees(lead_client,
                                                                  network):
    event = EventFactory(network=network, title="Persistent pain day")
    new = reverse("survey-new", args=[network.slug])

    missing = lead_client.post(new, {"template": "event_feedback"})
    response = lead_client.post(new, {"template": "event_feedback", "event": event.pk})

    assert "Choose the event the feedback is about" in missing.content.decode()
    made = Survey.objects.get(network=network)
    assert response.status_code == 302
    assert (made.audience, made.event) == (Audience.EVENT_ATTENDEES, event)
    assert made.title == "Feedback on the event: Persistent pain day"


def test_another_networks_event_is_not_offered(lead_client, network):
    elsewhere = EventFactory(title="Not London's event")

    response = lead_client.post(reverse("survey-new", args=[network.slug]),
                                {"template": "event_feedback", "event": elsewhere.pk})

    assert response.status_code == 200
    assert not Survey.objects.exists()


def test_blank_survey_needs_a_title_and_has_one_section(lead_client, network):
    new = reverse("survey-new", args=[network.slug])

    untitled = lead_client.post(new, {"template": "blank"})
    lead_client.post(new, {"template": "blank", "title": "Physio waits"})

    assert "Enter a title for the blank survey" in untitled.content.decode()
    made = Survey.objects.get(network=network)
    assert made.title == "Physio waits"
    assert made.sections.count() == 1
    assert not Question.objects.filter(section__survey=made).exists()


# The build page and the list ------------------------------------------------------


def test_build_page_shows_sections_questions_and_skip_logic_in_words(lead_client,
                                                                     draft):
    response = lead_client.get(url("survey-build", draft))

    page = response.content.decode()
    assert "Challenges and obstacles" in page
    assert ("Asked only when &#x27;Which of these get in the way of good MSK care "
            "where you…&#x27; includes &#x27;Something else&#x27;") in page


def test_manage_lists_every_survey_with_its_responses(lead_client, network, lead,
                                                      steering):
    open_ = survey(network, by=lead, title="Open landscape")
    respond(open_, {question(open_, "Which sector"): "Primary care"}, by=steering)
    survey(network, by=lead, status=SurveyStatus.DRAFT, title="Draft feedback")

    response = lead_client.get(reverse("survey-manage", args=[network.slug]))

    page = response.content.decode()
    assert "Open landscape" in page and "Draft feedback" in page
    assert "The network&#x27;s members" in page


@pytest.mark.parametrize("role", [Role.MEMBER, Role.STEERING])
def test_members_and_steering_cannot_build(client, network, draft, role):
    client.force_login(MembershipFactory(network=network, role=role).user)

    for page in ("survey-build", "survey-settings"):
        assert client.get(url(page, draft)).status_code == 403
    assert client.get(reverse("survey-manage", args=[network.slug])).status_code == 403
    assert client.post(url("survey-open", draft)).status_code == 403


# Questions and skip logic -------------------------------------------------------


def question_form(**fields):
    return {"text": "", "hint": "", "required": "yes", "options": "",
            "statements": "", "scale_min": "", "scale_max": "", "low_label": "",
            "high_label": "", "breakdown": "", "show_if_question": "",
            "show_if_answer": "", **fields}


def test_adding_a_question_asks_its_kind_first(lead_client, draft):
    section = draft.sections.first()

    response = lead_client.get(url("survey-question-add", draft, section.pk))
    chosen = lead_client.get(url("survey-question-add", draft, section.pk),
                             {"kind": "rating"})

    assert "What kind of question?" in response.content.decode()
    page = chosen.content.decode()
    assert "What the lowest number means" in page
    assert 'name="options"' not in page


def test_lead_adds_a_question_with_skip_logic(lead_client, draft):
    section = draft.sections.get(title="The network")
    leadership = question(draft, "Would you like to develop")

    response = lead_client.post(
        url("survey-question-add", draft, section.pk),
        question_form(kind="long_text", text="What support would help you lead?",
                      required="no", show_if_question=leadership.pk,
                      show_if_answer="Yes"))

    assert response.status_code == 302
    added = Question.objects.get(text="What support would help you lead?")
    assert (added.kind, added.required) == (QuestionKind.LONG_TEXT, False)
    assert (added.show_if_question, added.show_if_answer) == (leadership, "Yes")
    assert ordered(draft)[-1] == added.text
    page = lead_client.get(url("survey-build", draft)).content.decode()
    assert ("Asked only when &#x27;Would you like to develop as a clinical leader in "
            "MSK?&#x27; is &#x27;Yes&#x27;") in page


def test_skip_logic_on_a_later_question_is_refused_naming_the_field(lead_client,
                                                                    draft):
    first = draft.sections.get(position=1)
    later = question(draft, "Would you like to develop")

    response = lead_client.post(
        url("survey-question-add", draft, first.pk),
        question_form(kind="short_text", text="Why?", show_if_question=later.pk,
                      show_if_answer="Yes"))

    assert response.status_code == 200
    assert "is not asked before this question: choose an earlier one" in (
        response.content.decode())
    assert response.context["form"].errors["show_if_question"]
    assert not Question.objects.filter(text="Why?").exists()


def test_skip_logic_answer_must_be_one_of_the_options(lead_client, draft):
    section = draft.sections.get(title="The network")
    leadership = question(draft, "Would you like to develop")

    response = lead_client.post(
        url("survey-question-add", draft, section.pk),
        question_form(kind="short_text", text="Why?", show_if_question=leadership.pk,
                      show_if_answer="Definitely"))

    errors = response.context["form"].errors
    assert "&#x27;Definitely&#x27; is not one of the answers" in (
        response.content.decode())
    assert "show_if_answer" in errors


@pytest.mark.parametrize("kind, fields, field, message", [
    ("single", {"options": "Only one"}, "options", "Enter at least 2 options"),
    ("rating", {"scale_min": "1", "scale_max": "5", "high_label": "Very"},
     "low_label", "Say what the lowest number means"),
    ("rating", {"scale_min": "5", "scale_max": "1", "low_label": "a",
                "high_label": "b"}, "scale_max", "must be above the lowest"),
    ("likert", {"options": "Agree\nDisagree"}, "statements",
     "Enter at least one statement"),
])
def test_question_rules_are_refused_naming_the_field(lead_client, draft, kind, fields,
                                                     field, message):
    section = draft.sections.first()

    response = lead_client.post(url("survey-question-add", draft, section.pk),
                                question_form(kind=kind, text="New one", **fields))

    assert message in response.context["form"].errors[field][0]
    assert not Question.objects.filter(text="New one").exists()


def test_only_single_choice_questions_give_breakdowns(draft, lead):
    with pytest.raises(Refused) as refused:
        actions.add_question(section=draft.sections.first(), by=lead,
                             kind=QuestionKind.MULTIPLE, text="Where?",
                             options=["A", "B"], breakdown="icb")

    assert refused.value.field == "breakdown"
    assert "Only a single-choice question" in str(refused.value)


def test_likert_grid_gets_the_agreement_scale_by_default(lead_client, draft):
    section = draft.sections.first()
    page = lead_client.get(url("survey-question-add", draft, section.pk),
                           {"kind": "likert"}).content.decode()

    lead_client.post(url("survey-question-add", draft, section.pk), question_form(
        kind="likert", text="How far do you agree?",
        statements="Waits are short\nReferral is easy", options=""))

    assert "Strongly disagree" in page
    grid = Question.objects.get(text="How far do you agree?")
    assert grid.statements == ["Waits are short", "Referral is easy"]
    assert grid.options[0] == "Strongly disagree"


def test_removing_a_question_others_depend_on_is_refused_saying_which(lead_client,
                                                                      draft):
    obstacles = question(draft, "Which of these get in the way")

    response = lead_client.post(url("survey-question-remove", draft, obstacles.pk),
                                follow=True)

    assert "&#x27;What else gets in the way?&#x27; is asked only depending on" in (
        response.content.decode())
    assert Question.objects.filter(pk=obstacles.pk).exists()


def test_moving_a_question_above_its_condition_is_refused(lead_client, draft):
    other = question(draft, "What else gets in the way")

    lead_client.post(url("survey-question-move", draft, other.pk),
                     {"direction": "up"})

    assert ordered(draft).index(other.text) == ordered(draft).index(
        "Which of these get in the way of good MSK care where you work?") + 1


def test_moving_and_removing_questions_and_sections(lead_client, draft):
    challenges = question(draft, "What is the biggest challenge")
    strengths_section = draft.sections.get(title="Strengths and solutions")

    lead_client.post(url("survey-question-move", draft, challenges.pk),
                     {"direction": "down"})
    lead_client.post(url("survey-section-move", draft, strengths_section.pk),
                     {"direction": "up"})
    lead_client.post(url("survey-question-remove", draft,
                         question(draft, "Is there a solution").pk))

    texts = ordered(draft)
    assert texts.index(challenges.text) == texts.index(
        "How far do you agree with these statements?") + 1
    assert list(draft.sections.order_by("position").values_list("title", flat=True)
                )[1:3] == ["Strengths and solutions", "Challenges and obstacles"]
    assert "Is there a solution you have found that others could use?" not in texts


def test_sections_added_changed_and_removed(lead_client, draft):
    lead_client.post(url("survey-section-add", draft),
                     {"title": "Workforce", "intro": ""})
    section = Section.objects.get(survey=draft, title="Workforce")
    lead_client.post(url("survey-section-edit", draft, section.pk),
                     {"title": "Your workforce", "intro": "About staffing."})
    section.refresh_from_db()

    assert (section.position, section.title) == (5, "Your workforce")
    lead_client.post(url("survey-section-remove", draft, section.pk))
    assert not Section.objects.filter(pk=section.pk).exists()


# Locked once answered ------------------------------------------------------------


@pytest.fixture
def answered(network, lead, steering):
    open_ = survey(network, by=lead)
    respond(open_, {question(open_, "Which sector"): "Primary care"}, by=steering)
    return open_


def test_structure_is_locked_once_answered(lead_client, answered):
    section = answered.sections.first()
    sector = question(answered, "Which sector")
    before = ordered(answered)

    added = lead_client.post(url("survey-question-add", answered, section.pk),
                             question_form(kind="short_text", text="Late question"))
    lead_client.post(url("survey-question-move", answered, sector.pk),
                     {"direction": "up"})
    removed = lead_client.post(url("survey-question-remove", answered, sector.pk),
                               follow=True)
    changed = lead_client.post(url("survey-question-edit", answered, sector.pk),
                               question_form(text=sector.text, options="A\nB"))

    assert "People have already answered this survey" in added.content.decode()
    assert "People have already answered this survey" in removed.content.decode()
    assert "options" in changed.context["form"].errors
    assert ordered(answered) == before


def test_wording_can_still_change_once_answered(lead_client, answered):
    sector = question(answered, "Which sector")

    response = lead_client.post(url("survey-question-edit", answered, sector.pk),
                                question_form(text="Which sector are you in?",
                                              hint="Where you mainly work",
                                              options="\n".join(sector.options),
                                              breakdown="sector"))

    sector.refresh_from_db()
    assert response.status_code == 302
    assert (sector.text, sector.hint) == ("Which sector are you in?",
                                          "Where you mainly work")


def test_anonymity_cannot_change_once_answered(lead_client, answered):
    response = lead_client.post(url("survey-settings", answered), {
        "title": answered.title, "anonymous": "no", "audience": "members",
        "responses_per_person": "1"})

    assert "People have already sent answers believing they were anonymous" in (
        response.content.decode())
    answered.refresh_from_db()
    assert answered.anonymous


# Settings ------------------------------------------------------------------------


def settings_form(**fields):
    return {"title": "Landscape 2026", "welcome": "Hello", "thank_you": "Thanks",
            "anonymous": "yes", "audience": "members", "group": "", "event": "",
            "opens_at": "", "closes_at": "", "responses_per_person": "1", **fields}


def test_settings_save_a_group_audience_dates_and_limit(lead_client, network, draft):
    group = make_group(network, name="Spinal pathway group")

    response = lead_client.post(url("survey-settings", draft), settings_form(
        audience="group", group=group.pk, opens_at="2026-03-01T09:00",
        closes_at="2026-03-31T17:00", responses_per_person="2", anonymous="no"))

    draft.refresh_from_db()
    assert response.status_code == 302
    assert (draft.audience, draft.group, draft.responses_per_person,
            draft.anonymous) == (Audience.GROUP, group, 2, False)
    assert draft.closes_at > draft.opens_at


@pytest.mark.parametrize("fields, field", [
    ({"audience": "group"}, "group"),
    ({"audience": "event_attendees"}, "event"),
    ({"opens_at": "2026-03-31T09:00", "closes_at": "2026-03-01T09:00"}, "closes_at"),
    ({"responses_per_person": "0"}, "responses_per_person"),
])
def test_settings_refused_naming_the_field(lead_client, draft, fields, field):
    response = lead_client.post(url("survey-settings", draft), settings_form(**fields))

    assert field in response.context["form"].errors


# Opening, closing, the link and deleting ------------------------------------------


def test_opening_a_members_survey_tells_the_members(lead_client, network, lead,
                                                    draft, member, steering,
                                                    django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = lead_client.post(url("survey-open", draft))

    draft.refresh_from_db()
    assert response.status_code == 302
    assert draft.status == SurveyStatus.OPEN
    told = set(Notification.objects.filter(kind=Kind.SURVEY_OPENED)
               .values_list("user", flat=True))
    assert told == {member.pk, steering.pk}


def test_opening_a_group_survey_tells_only_the_group(lead_client, network, draft,
                                                     member, steering,
                                                     django_capture_on_commit_callbacks):
    group = make_group(network, members=[member], name="Knee group")
    draft.audience, draft.group = Audience.GROUP, group
    draft.save()

    with django_capture_on_commit_callbacks(execute=True):
        lead_client.post(url("survey-open", draft))

    assert list(Notification.objects.filter(kind=Kind.SURVEY_OPENED)
                .values_list("user", flat=True)) == [member.pk]


def test_opening_an_event_survey_tells_nobody_yet(lead_client, network, lead, member,
                                                  django_capture_on_commit_callbacks):
    feedback = survey(network, template="event_feedback", by=lead,
                      status=SurveyStatus.DRAFT, event=EventFactory(network=network))

    with django_capture_on_commit_callbacks(execute=True):
        lead_client.post(url("survey-open", feedback))

    feedback.refresh_from_db()
    assert feedback.status == SurveyStatus.OPEN
    assert not Notification.objects.exists()


def test_a_survey_without_questions_cannot_open(lead_client, network):
    lead_client.post(reverse("survey-new", args=[network.slug]),
                     {"template": "blank", "title": "Empty"})
    empty = Survey.objects.get(title="Empty")

    response = lead_client.post(url("survey-open", empty), follow=True)

    assert "Add at least one question before opening" in response.content.decode()
    empty.refresh_from_db()
    assert empty.status == SurveyStatus.DRAFT


def test_closing_an_open_survey(lead_client, answered):
    lead_client.post(url("survey-close", answered))

    answered.refresh_from_db()
    assert answered.status == SurveyStatus.CLOSED


def test_new_link_replaces_the_token(lead_client, network, lead):
    public = survey(network, template="lived_experience", by=lead)
    old = public.token

    page = lead_client.get(url("survey-link", public))
    lead_client.post(url("survey-new-link", public))

    public.refresh_from_db()
    assert page.status_code == 200
    assert public.token != old


def test_only_an_unanswered_draft_can_be_deleted(lead_client, draft, answered):
    lead_client.post(url("survey-delete", answered))
    response = lead_client.post(url("survey-delete", draft))

    assert response["Location"] == reverse("survey-manage", args=[draft.network.slug])
    assert list(Survey.objects.all()) == [answered]


# Query counts -------------------------------------------------------------------


def test_build_and_manage_pages_cost_the_same_at_any_size(lead_client, network, lead):
    small = survey(network, by=lead, status=SurveyStatus.DRAFT)
    big = survey(network, by=lead, status=SurveyStatus.DRAFT)
    for section in big.sections.all():
        for n in range(5):
            Question.objects.create(section=section, position=10 + n, kind="single",
                                    text=f"Extra {section.pk}-{n}",
                                    options=["Yes", "No"])
    manage = reverse("survey-manage", args=[network.slug])

    _, few = queries_of(lambda: lead_client.get(url("survey-build", small)))
    _, many = queries_of(lambda: lead_client.get(url("survey-build", big)))
    _, listed = queries_of(lambda: lead_client.get(manage))
    for _ in range(5):
        survey(network, by=lead)
    _, listed_more = queries_of(lambda: lead_client.get(manage))

    assert len(few) == len(many)
    assert len(listed) == len(listed_more)
