"""Surveys: sections of questions, who may answer, and the answers.

An anonymous survey keeps no link between a response and an account: the
response has no respondent, a random id and only the day it was sent; the
account's `Participation` counts how many it has sent, for the per-person
limit, and names no response. A half-finished answer (`Draft`) belongs to
its author until it is sent, then is deleted.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from msknet.members.models import Network

#: Results show no cell (count, percentage or cross-tab) under this many respondents.
BREAKDOWN_MIN = 5


def link_token() -> str:
    return secrets.token_urlsafe(12)


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    """Being built; nobody can answer it yet."""
    OPEN = "open", "Open"
    """Taking responses (between its open and close dates, where set)."""
    CLOSED = "closed", "Closed"
    """No longer taking responses."""


class Audience(models.TextChoices):
    MEMBERS = "members", "The network's members"
    """Any member of the network."""
    GROUP = "group", "A group's members"
    """The members of one of the network's groups."""
    EVENT_ATTENDEES = "event_attendees", "An event's attendees"
    """People who attended (or, until attendance is recorded, registered for) an event."""
    ANYONE_WITH_LINK = "anyone_with_link", "Anyone with the link"
    """Anyone who has the survey's link, signed in or not."""


class Survey(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="surveys")
    title = models.CharField(max_length=200)
    welcome = models.TextField(
        "Welcome text", blank=True,
        help_text="Shown before the first question: what the survey is for and how "
        "long it takes",
    )
    thank_you = models.TextField(
        "Thank-you text", blank=True, help_text="Shown when someone sends their answers",
    )
    anonymous = models.BooleanField(
        default=True,
        help_text="Anonymous responses keep no link to the person who sent them",
    )
    audience = models.CharField(
        "Who can answer", max_length=20, choices=Audience.choices, default=Audience.MEMBERS,
    )
    group = models.ForeignKey(
        "governance.Group", null=True, blank=True, on_delete=models.PROTECT,
        related_name="surveys",
    )
    event = models.ForeignKey(
        "community.Event", null=True, blank=True, on_delete=models.PROTECT,
        related_name="surveys",
    )
    opens_at = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField(null=True, blank=True)
    responses_per_person = models.PositiveSmallIntegerField(
        "Responses allowed per person", default=1,
    )
    status = models.CharField(
        max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT,
    )
    template = models.CharField(
        max_length=40, blank=True, help_text="The ready-made template it started from",
    )
    # The "anyone with the link" address; a new one can replace it.
    token = models.CharField(max_length=32, unique=True, default=link_token)
    results_shared = models.BooleanField(
        "Results summary shared with the network", default=False,
    )
    # When an event feedback survey was emailed to the event's attendees.
    sent_to_attendees_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(audience=Audience.GROUP, group__isnull=False)
                | ~Q(audience=Audience.GROUP),
                name="surveys_survey_group_audience_names_group",
            ),
            models.CheckConstraint(
                condition=Q(audience=Audience.EVENT_ATTENDEES, event__isnull=False)
                | ~Q(audience=Audience.EVENT_ATTENDEES),
                name="surveys_survey_attendee_audience_names_event",
            ),
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True) | Q(closes_at__isnull=True)
                | Q(closes_at__gt=F("opens_at")),
                name="surveys_survey_closes_after_it_opens",
            ),
            models.CheckConstraint(
                condition=Q(responses_per_person__gte=1),
                name="surveys_survey_allows_a_response",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_taking_responses(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.status == SurveyStatus.OPEN
            and (self.opens_at is None or self.opens_at <= now)
            and (self.closes_at is None or now < self.closes_at)
        )


class Section(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    intro = models.TextField(blank=True)

    class Meta:
        ordering = ["survey", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class QuestionKind(models.TextChoices):
    SINGLE = "single", "Single choice"
    """One option, as radios."""
    MULTIPLE = "multiple", "Multiple choice"
    """Any number of options, as checkboxes."""
    RATING = "rating", "Rating scale"
    """A number on a scale (for example 1 to 5) with labelled ends."""
    LIKERT = "likert", "Likert grid"
    """Several statements, each answered on the same agreement scale."""
    NUMBER = "number", "Number"
    """A whole or decimal number."""
    DATE = "date", "Date"
    """A day, month and year."""
    SHORT_TEXT = "short_text", "Short text"
    """A line of text."""
    LONG_TEXT = "long_text", "Long text"
    """Paragraphs of text; leads code these answers into themes."""


#: Kinds whose answers are free text, listed and coded into themes.
TEXT_KINDS = (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT)


class Breakdown(models.TextChoices):
    """What a question tells about the respondent, for cross-tabulation."""

    NONE = "", "Not used for breakdowns"
    SECTOR = "sector", "Sector"
    ICB = "icb", "ICB"
    STEP = "step", "Pathway step"
    ROLE = "role", "Role"


class Question(models.Model):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=QuestionKind.choices)
    text = models.CharField(max_length=500)
    hint = models.CharField(max_length=500, blank=True)
    required = models.BooleanField(default=True)
    # Single and multiple choice options; a Likert grid's answer scale.
    options = models.JSONField(default=list, blank=True)
    # A Likert grid's statements.
    statements = models.JSONField(default=list, blank=True)
    scale_min = models.SmallIntegerField(null=True, blank=True)
    scale_max = models.SmallIntegerField(null=True, blank=True)
    low_label = models.CharField(max_length=100, blank=True)
    high_label = models.CharField(max_length=100, blank=True)
    breakdown = models.CharField(
        max_length=10, choices=Breakdown.choices, default=Breakdown.NONE, blank=True,
    )
    # Simple skip logic: ask only when an earlier question's answer is (or,
    # for multiple choice, includes) this option.
    show_if_question = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="dependents",
    )
    show_if_answer = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["section__position", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scale_min__isnull=True) | Q(scale_max__isnull=True)
                | Q(scale_max__gt=F("scale_min")),
                name="surveys_question_scale_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_text(self) -> bool:
        return self.kind in TEXT_KINDS

    @property
    def breakdown_phrase(self) -> str:
        """The breakdown's name mid-sentence: "sector", "ICB", "pathway step"."""
        label = str(self.get_breakdown_display())
        return label if label.isupper() else label.lower()


class Response(models.Model):
    """One person's sent answers. Anonymous responses carry no respondent and
    only the day they were sent; the random id keeps their order unknowable."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="survey_responses",
    )
    submitted_on = models.DateField()

    class Meta:
        ordering = ["survey", "submitted_on", "id"]
        indexes = [models.Index(fields=["survey", "submitted_on"],
                                name="surveys_response_survey_day")]

    def __str__(self) -> str:
        return f"Response to {self.survey} on {self.submitted_on}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    # str (single, text, date as ISO), list of str (multiple), number (rating,
    # number), or {statement: option} (Likert grid).
    value = models.JSONField()

    class Meta:
        ordering = ["question", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="surveys_answer_once_per_question",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.value}"


class Draft(models.Model):
    """Answers saved half-way, to return to; deleted when they are sent."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="drafts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="survey_drafts",
    )
    answers = models.JSONField(default=dict)  # {question id: value}
    section_position = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "user"], name="surveys_draft_one_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.user}'s draft of {self.survey}"


class Participation(models.Model):
    """How many responses an account has sent to a survey, for its limit; it
    names no response and records no time, so it links no answer to anyone."""

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="participations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
    )
    responses = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "user"], name="surveys_participation_once_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.responses} to {self.survey}"


class Theme(models.Model):
    """A theme a lead codes free-text answers into, for one question."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(max_length=120)
    description = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["question", "name"]
        constraints = [
            models.UniqueConstraint(fields=["question", "name"],
                                    name="surveys_theme_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Coding(models.Model):
    """One free-text answer coded into one theme."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="codings")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="codings")
    coded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    coded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["answer", "theme"],
                                    name="surveys_coding_once_per_theme"),
        ]

    def __str__(self) -> str:
        return f"{self.answer} → {self.theme}"
