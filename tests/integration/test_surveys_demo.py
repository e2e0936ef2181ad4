"""The demo's surveys: NENC's landscape survey with about 150 coded responses,
feedback on its most recent pain event, London's event feedback and
lived-experience survey, and a half-finished answer to come back to."""

from collections import Counter

import pytest
from django.db.models import Count
from django.utils import timezone

from msknet.community.models import Attendance, Registration
from msknet.demo import load_demo_data
from msknet.members.models import User
from msknet.surveys.demo import load_demo_surveys
from msknet.surveys.models import (
    BREAKDOWN_MIN,
    Answer,
    Audience,
    Breakdown,
    Coding,
    Draft,
    Participation,
    QuestionKind,
    Response,
    Survey,
    SurveyStatus,
    Theme,
)

pytestmark = pytest.mark.slow


@pytest.fixture
def demo(db):
    assert load_demo_data() is True


def sector_counts(survey: Survey) -> Counter:
    return Counter(Answer.objects.filter(response__survey=survey,
                                         question__breakdown=Breakdown.SECTOR)
                   .values_list("value", flat=True))


def test_demo_surveys(demo):
    # One load for every check: the whole demo takes a while.
    nenc_landscape = Survey.objects.get(network__slug="nenc", template="landscape")
    responses = Response.objects.filter(survey=nenc_landscape)
    sectors = sector_counts(nenc_landscape)
    text_answers = Answer.objects.filter(response__survey=nenc_landscape,
                                         question__kind=QuestionKind.LONG_TEXT)
    coded = text_answers.filter(codings__isnull=False).distinct()
    themes = (Theme.objects.filter(question__section__survey=nenc_landscape)
              .annotate(n=Count("codings")))
    lead = User.objects.get(email="lead@nenc.example.nhs.uk")

    # ~150 anonymous responses over its open weeks, from at least six sectors,
    # some of them too few to show in a cross-tab.
    assert nenc_landscape.status == SurveyStatus.CLOSED
    assert nenc_landscape.anonymous
    assert 140 <= responses.count() <= 160
    assert not responses.filter(respondent__isnull=False).exists()
    days = {r.submitted_on for r in responses}
    assert len(days) >= 15
    assert min(days) >= timezone.localdate(nenc_landscape.opens_at)
    assert max(days) <= timezone.localdate(nenc_landscape.closes_at)
    assert Counter(r.submitted_on for r in responses).most_common(1)[0][1] < 15
    assert len(sectors) >= 6
    assert any(n < BREAKDOWN_MIN for n in sectors.values())
    assert sectors.most_common(1)[0][0] == "Primary care"
    # Most free text is coded into themes, by the lead; some is left to code.
    assert coded.count() > text_answers.count() * 0.7
    assert coded.count() < text_answers.count()
    assert Coding.objects.filter(answer__in=text_answers).exclude(coded_by=lead).count() == 0
    challenge_themes = {t.name: t.n for t in themes
                        if t.question.text.startswith("What is the biggest challenge")}
    assert {"Waiting times", "Workforce and vacancies", "Unclear referral routes",
            "IT and data sharing", "Psychological support", "Wider determinants"
            } == set(challenge_themes)
    assert all(n > 0 for n in challenge_themes.values())
    # Accounts that answered are counted, linked to no response.
    assert Participation.objects.filter(survey=nenc_landscape).count() >= 50
    # Answers differ: not one phrase repeated.
    challenges = text_answers.filter(question__text__startswith="What is the biggest")
    assert challenges.values("value").distinct().count() > 60

    # Feedback on NENC's most recent past pain event, already sent to attendees.
    feedback = Survey.objects.get(network__slug="nenc", template="event_feedback")
    attended = Registration.objects.filter(event=feedback.event,
                                           attendance=Attendance.ATTENDED)
    ratings = [a.value for a in Answer.objects.filter(
        response__survey=feedback, question__kind=QuestionKind.RATING)]
    participants = Participation.objects.filter(survey=feedback)
    assert feedback.audience == Audience.EVENT_ATTENDEES
    assert "pain" in feedback.event.title.lower()
    assert feedback.event.ends_at < feedback.sent_to_attendees_at
    assert feedback.is_taking_responses()
    assert feedback.responses.count() >= max(12, attended.count() // 2)
    assert sum(r >= 4 for r in ratings) > len(ratings) * 0.7
    assert set(participants.values_list("user", flat=True)) <= set(
        attended.values_list("user", flat=True))

    # London: event feedback with about 20 responses, and its lived-experience
    # survey open to anyone with the link.
    london_feedback = Survey.objects.get(network__slug="london",
                                         template="event_feedback")
    london_lived = Survey.objects.get(network__slug="london", template="lived_experience")
    assert london_feedback.event.ends_at < london_feedback.sent_to_attendees_at
    assert 18 <= london_feedback.responses.count() <= 22
    assert london_lived.audience == Audience.ANYONE_WITH_LINK
    assert london_lived.is_taking_responses()
    assert 25 <= london_lived.responses.count() <= 35
    assert not Response.objects.filter(survey__network__slug="london",
                                       respondent__isnull=False).exists()

    # The NENC demo member with lived experience has half answered an open survey.
    (draft,) = Draft.objects.filter(user__email="lived.experience@nenc.example.org")
    assert draft.survey.is_taking_responses()
    assert draft.answers
    assert draft.section_position > 1

    # Loading again adds nothing.
    surveys = Survey.objects.count()
    load_demo_surveys()
    assert Survey.objects.count() == surveys
