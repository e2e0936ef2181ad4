"""Survey results as charts with table and data twins.

Suppressed cells stay in the tables, CSV and JSON as empty figures with the
note "fewer than 5", and are left out of the drawn chart, so no figure under
five appears anywhere.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import altair as alt

from msknet.analytics import surveys as stats
from msknet.core.charts import (
    NUMBER,
    VALIDATE_SPECS,
    Chart,
    Column,
    bar_chart,
    nhs_style,
    spec_data,
)

from .models import Question
from .results_queries import QuestionResult

NOTE = Column("note", "Note")


def note(cell: stats.Cell) -> str:
    return stats.FEWER_THAN if cell.suppressed else ""


def cells_chart(*, id: str, title: str, description: str, heading: str,
                cells: tuple[stats.Cell, ...]) -> Chart:
    """Bars of the shown counts; the table and data carry every row."""
    columns = (Column("answer", heading), Column("respondents", "Respondents", NUMBER),
               Column("percent", "Percent", NUMBER), NOTE)
    rows = [(c.label, c.count, c.percent, note(c)) for c in cells]
    drawn = bar_chart(id=id, title=title, description=description,
                      columns=(columns[0], columns[1]),
                      rows=[(c.label, c.count or 0) for c in cells])
    return replace(drawn, columns=columns, rows=tuple(rows))


def stacked_chart(*, id: str, title: str, description: str,
                  columns: tuple[Column, Column, Column, Column, Column],
                  rows: list[tuple[Any, ...]], categories: list[str]) -> Chart:
    """Horizontal stacked bars: a bar per group (first column), a segment per
    category (second), sized by count (third); suppressed segments left out."""
    group, category, count = columns[0], columns[1], columns[2]
    drawn = [row for row in rows if row[2] is not None]
    spec = nhs_style(
        alt.Chart(spec_data(columns, drawn), description=description,
                  width="container")
        .mark_bar()
        .encode(
            y=alt.Y(group.key, type="nominal", sort=None, title=group.heading),
            x=alt.X(count.key, type="quantitative", stack="zero", title=count.heading,
                    axis=alt.Axis(format=",d", tickMinStep=1)),
            color=alt.Color(category.key, type="nominal", title=category.heading,
                            sort=categories),
            tooltip=[alt.Tooltip(c.key, type="quantitative" if c.numeric
                                 else "nominal", title=c.heading)
                     for c in columns[:4]],
        )
        .properties(height=alt.Step(28))
    ).to_dict(validate=VALIDATE_SPECS)
    return Chart(id, title, description, columns, tuple(rows), spec)


def question_chart(result: QuestionResult) -> Chart | None:
    """The chart of one question's tally (themes for free text; none for a
    number, whose figures are a summary)."""
    question, tally = result.question, result.tally
    chart_id = f"question-{question.pk}"
    if question.is_text:
        assert result.themes is not None
        return cells_chart(
            id=chart_id, title=f"Themes: {question.text}", heading="Theme",
            description=f"Bar chart of the number of answers coded into each theme "
            f"for “{question.text}”. Themes with fewer than 5 answers are not shown.",
            cells=result.themes.cells)
    if question.kind == stats.LIKERT:
        columns = (Column("statement", "Statement"), Column("answer", "Answer"),
                   Column("respondents", "Respondents", NUMBER),
                   Column("percent", "Percent", NUMBER), NOTE)
        rows = [(s.text, c.label, c.count, c.percent, note(c))
                for s in tally.statements for c in s.cells]
        return stacked_chart(
            id=chart_id, title=question.text, columns=columns, rows=rows,
            categories=list(question.options),
            description=f"Stacked bar chart of the answers to each statement of "
            f"“{question.text}”. Answers given by fewer than 5 people are not shown.")
    if question.kind == stats.NUMBER:
        return None
    heading = "Month" if question.kind == stats.DATE else "Answer"
    return cells_chart(
        id=chart_id, title=question.text, heading=heading, cells=tally.cells,
        description=f"Bar chart of the number of people giving each answer to "
        f"“{question.text}”. Answers given by fewer than 5 people are not shown.")


def responses_chart(by_day: list[tuple[Any, int]]) -> Chart:
    return bar_chart(
        id="responses-by-day", title="Responses sent each day",
        description="Bar chart of the number of responses sent on each day.",
        columns=(Column("day", "Day"), Column("responses", "Responses", NUMBER)),
        rows=[(day.isoformat(), n) for day, n in by_day])


def tallies_chart(results: list[QuestionResult]) -> Chart:
    """Every question's figures in one table, for the CSV and JSON twins."""
    columns = (Column("question", "Question"), Column("statement", "Statement"),
               Column("answer", "Answer or figure"),
               Column("respondents", "Respondents", NUMBER),
               Column("percent", "Percent", NUMBER), NOTE)
    rows: list[tuple[Any, ...]] = []
    for result in results:
        q, tally = result.question.text, result.tally
        rows.append((q, "", "Answered", tally.respondents, None, ""))
        for key, value in tally.stats.items():
            rows.append((q, "", key.capitalize(), value, None,
                         stats.FEWER_THAN if value is None else ""))
        for s in tally.statements:
            rows += [(q, s.text, c.label, c.count, c.percent, note(c))
                     for c in s.cells]
        cells = result.themes.cells if result.themes else tally.cells
        rows += [(q, "", c.label, c.count, c.percent, note(c)) for c in cells]
    return Chart("survey-results", "Results", "Every question's figures.", columns,
                 tuple(rows), spec={})


def crosstab_chart(question: Question, by: Question, table: stats.CrossTab) -> Chart:
    columns = (Column("group", by.text), Column("answer", "Answer"),
               Column("respondents", "Respondents", NUMBER),
               Column("percent", "Percent of the group", NUMBER), NOTE)
    rows = [(g, row[0].label, cell.count, cell.percent, note(cell))
            for row in table.cells for g, cell in zip(table.groups, row, strict=True)]
    rows.sort(key=lambda r: table.groups.index(r[0]))
    return stacked_chart(
        id="crosstab", title=f"{question.text} by {by.breakdown_phrase}",
        columns=columns, rows=rows, categories=list(table.rows),
        description=f"Stacked bar chart of the answers to “{question.text}” in "
        f"each group of “{by.text}”. Figures for fewer than 5 people are not shown.")
