"""The responses export is streamed a batch at a time; what it writes is
exactly what the export built whole in memory wrote before (the reference
below is that earlier code), and the results read only what they need."""

import csv
import datetime as dt
import io
from collections import defaultdict

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from msknet.analytics import surveys as stats
from msknet.core.charts import csv_safe
from msknet.surveys import results_queries as queries
from msknet.surveys.models import QuestionKind, Response, Theme
from tests.factories.surveys import question, respond, survey

pytestmark = [pytest.mark.django_db]


def reference_csv(made):
    """The export as it was built before streaming (commit d283790)."""
    asked = queries.questions(made)
    headings = ["Response", "Sent on"]
    if not made.anonymous:
        headings.append("Respondent")
    for q in asked:
        if q.kind == QuestionKind.LIKERT:
            headings += [f"{q.text}: {s}" for s in q.statements]
        else:
            headings.append(q.text)
        if q.is_text:
            headings.append(f"{q.text} (themes)")
    themes = defaultdict(list)
    from msknet.surveys.models import Coding
    for answer_id, name in (Coding.objects.filter(answer__response__survey=made)
                            .order_by("theme__name")
                            .values_list("answer_id", "theme__name")):
        themes[answer_id].append(name)
    rows = []
    for response in (Response.objects.filter(survey=made).select_related("respondent")
                     .prefetch_related("answers").order_by("submitted_on", "id")):
        by_question = {a.question_id: a for a in response.answers.all()}
        row = [str(response.pk), response.submitted_on.isoformat()]
        if not made.anonymous:
            row.append(response.respondent.display_name if response.respondent else "")
        for q in asked:
            answer = by_question.get(q.pk)
            value = answer.value if answer else None
            if q.kind == QuestionKind.LIKERT:
                row += [(value or {}).get(s, "") if isinstance(value, dict) else ""
                        for s in q.statements]
            elif isinstance(value, list):
                row.append("; ".join(str(v) for v in value))
            else:
                row.append("" if value is None else value)
            if q.is_text:
                row.append("; ".join(themes.get(answer.pk, [])) if answer else "")
        rows.append(row)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([csv_safe(h) for h in headings])
    writer.writerows([csv_safe(v) for v in row] for row in rows)
    return out.getvalue()


def fill(made, count, by=None):
    """`count` responses over three days, some with every kind of answer,
    some with few; free text coded into themes, one answer in two."""
    sector = question(made, "Which sector")
    obstacles = question(made, "Which of these get in the way")
    challenge = question(made, "What is the biggest challenge")
    grid = question(made, "How far do you agree")
    leadership = question(made, "Would you like to develop")
    waits = Theme.objects.create(question=challenge, name="Waits")
    staff = Theme.objects.create(question=challenge, name="Staff")
    for i in range(count):
        answers = {sector: sector.options[i % 3]}
        if i % 4:
            answers |= {
                obstacles: ["Waiting lists", "Something else"][: 1 + i % 2],
                challenge: "=SUM(A1)" if i == 1 else f"Synthetic challenge {i}",
                grid: {grid.statements[0]: grid.options[i % len(grid.options)]},
                leadership: "Yes" if i % 3 else "No",
            }
        respond(made, answers, by=by[i % len(by)] if by else None,
                on=dt.date(2026, 11, 1 + i % 3))
    for n, answer in enumerate(challenge.answers.order_by("pk")):
        if n % 2 == 0:
            answer.codings.create(theme=waits)
        if n % 3 == 0:
            answer.codings.create(theme=staff)


def test_streamed_export_writes_what_the_whole_export_did(client, network, lead,
                                                          monkeypatch):
    made = survey(network, by=lead, title="Streamed")
    fill(made, 23)
    monkeypatch.setattr(queries, "EXPORT_BATCH", 5)  # several batches
    expected = reference_csv(made)
    client.force_login(lead)

    response = client.get(reverse("survey-responses-csv",
                                  args=[network.slug, made.pk]))

    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content).decode()
    assert body == expected
    rows = list(csv.reader(io.StringIO(body)))
    assert len(rows) == 24
    assert any(cell == "'=SUM(A1)" for row in rows for cell in row)
    assert queries.responses_csv(made) == expected


def test_streamed_export_of_a_named_survey_matches_too(network, lead, member,
                                                       monkeypatch):
    made = survey(network, by=lead, anonymous=False, title="Named, streamed")
    fill(made, 7, by=[member, lead])
    monkeypatch.setattr(queries, "EXPORT_BATCH", 3)

    text = "".join(queries.responses_csv_lines(made))

    assert text == reference_csv(made)
    names = {row[2] for row in list(csv.reader(io.StringIO(text)))[1:]}
    assert names == {member.display_name, lead.display_name}


def test_an_empty_survey_exports_its_heading_row_only(network, lead):
    made = survey(network, by=lead, title="Nobody yet")

    rows = list(csv.reader(io.StringIO(queries.responses_csv(made))))

    assert len(rows) == 1
    assert rows[0][:2] == ["Response", "Sent on"]


def test_crosstab_reads_only_its_two_questions_answers(network, lead):
    made = survey(network, by=lead, title="Cross")
    fill(made, 12)
    asked = question(made, "Would you like to develop")
    by = question(made, "Which sector")

    with CaptureQueriesContext(connection) as captured:
        table = queries.crosstab(made, asked, by)

    reads = [q["sql"] for q in captured.captured_queries
             if 'FROM "surveys_answer"' in q["sql"]]
    assert len(reads) == 1
    assert "IN" in reads[0].split("WHERE", 1)[1]
    assert list(table.rows) == ["Yes", "Maybe later", "No"]


def test_results_tally_each_question_as_before(network, lead):
    """The one-pass tallies equal tallies of every answer read whole."""
    made = survey(network, by=lead, title="Tallies")
    fill(made, 20)
    every = queries.answers_by_question(made)

    found = queries.results(made)

    assert [r.question for r in found] == queries.questions(made)
    for result in found:
        q = result.question
        assert result.tally == stats.tally(queries.spec(q),
                                           every.get(q.pk, {}).values()), q.text
    challenge = next(r for r in found if r.question.text.startswith("What is the b"))
    assert challenge.tally.respondents == 15
    assert challenge.themes.respondents == 15
