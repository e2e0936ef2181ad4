"""Survey results: tallies per question, cross-tabulations, and the rule that
no shown figure describes fewer than five people.

Pure Python over answers, so the results pages, the shared summary, their
CSV and JSON twins and the API all count, and suppress, the same way:

    >>> spec = QuestionSpec(kind="single", options=("Yes", "No", "Not sure"))
    >>> answers = ["Yes"] * 7 + ["No"] * 6 + ["Not sure"] * 2
    >>> result = tally(spec, answers)
    >>> [(c.label, c.count, c.percent) for c in result.cells]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('Yes', 7, 46.7), ('No', None, None), ('Not sure', None, None)]

"Not sure" (2 people) is fewer than five, so it is hidden. So is "No": with
the total (15) and "Yes" shown, the hidden cell could be worked out by
subtraction, so the smallest other cell goes too (secondary suppression).
The rules are written up in docs/methods/survey-results.md.

An answer is a value as the survey stores it: a string (single choice,
text, a date as ISO), a list of strings (multiple choice), a number (rating,
number) or {statement: option} (a Likert grid). Empty answers are not
counted as answers.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

#: No shown count, percentage or cross-tab column describes fewer than this many.
SUPPRESS_UNDER = 5
FEWER_THAN = f"fewer than {SUPPRESS_UNDER}"
ALL = "All respondents"
NOT_ANSWERED = "Not answered"

SINGLE, MULTIPLE, RATING, LIKERT = "single", "multiple", "rating", "likert"
NUMBER, DATE, SHORT_TEXT, LONG_TEXT = "number", "date", "short_text", "long_text"
TEXT_KINDS = (SHORT_TEXT, LONG_TEXT)
#: Kinds a cross-tab can show by a breakdown (text through its themes).
CROSSTAB_KINDS = (SINGLE, MULTIPLE, RATING)
#: Kinds where each respondent falls in exactly one row, so rows add up to n.
ONE_ROW_EACH = (SINGLE, RATING, DATE, LIKERT)


@dataclass(frozen=True)
class QuestionSpec:
    """What a tally needs to know of a question."""

    kind: str
    options: tuple[str, ...] = ()
    """Single and multiple choice options; a Likert grid's scale."""
    statements: tuple[str, ...] = ()
    scale: tuple[int, int] | None = None


@dataclass(frozen=True)
class Cell:
    """One shown figure: a count and its percentage, both None when suppressed."""

    label: str
    count: int | None
    percent: float | None = None

    @property
    def suppressed(self) -> bool:
        return self.count is None


@dataclass(frozen=True)
class Statement:
    """One Likert statement's distribution."""

    text: str
    respondents: Cell
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Tally:
    """A question's results: who answered, and the figures for its kind."""

    kind: str
    respondents: int
    """How many answered; always shown (the survey's response count is)."""
    cells: tuple[Cell, ...] = ()
    """A row per option, scale point or month, in order."""
    statements: tuple[Statement, ...] = ()
    stats: dict[str, float | None] = field(default_factory=dict)
    """Rating: mean, median; number: mean, median, min, max. None under five."""

    @property
    def suppressed(self) -> bool:
        """Too few answered to show any figure but the count of them."""
        return self.respondents < SUPPRESS_UNDER


@dataclass(frozen=True)
class CrossTab:
    """A question's rows by a breakdown's groups, with an "All respondents"
    column last; `cells[row][group]`."""

    rows: tuple[str, ...]
    groups: tuple[str, ...]
    totals: tuple[Cell, ...]
    """Respondents per group who answered the question."""
    cells: tuple[tuple[Cell, ...], ...]

    @property
    def suppressed_groups(self) -> tuple[str, ...]:
        return tuple(t.label for t in self.totals if t.suppressed)


def answered(value: Any) -> bool:
    return value not in (None, "", [], {})


def percent(count: int, of: int) -> float:
    return round(100 * count / of, 1) if of else 0.0


# -- Suppression ----------------------------------------------------------------


def protect(values: Mapping[Hashable, int], primary: set[Hashable],
            lines: Sequence[Sequence[Hashable]],
            expand: Callable[[Hashable], Iterable[Hashable]] = lambda key: (key,),
            ) -> set[Hashable]:
    """The cells to hide: `primary`, plus enough others that none of them can
    be worked out by subtraction.

    Each line is a set of cells one sum links (a row and its total; a column
    of one-answer-each rows and its respondents), so what its hidden cells
    add up to can be worked out from the shown ones. A line with exactly one
    hidden cell gives that cell away, and one whose hidden cells add up to
    fewer than five gives away a small number; either way the smallest other
    shown cell in it is hidden too (a non-zero one first), until no line
    does. `expand` says what else goes with a cell (a group's respondent
    count takes its whole column).
    """
    hidden = set(primary)
    changed = True
    while changed:
        changed = False
        for line in lines:
            secret = [key for key in line if key in hidden]
            if not secret or (len(secret) > 1
                              and sum(values[k] for k in secret) >= SUPPRESS_UNDER):
                continue
            shown = [key for key in line if key not in hidden]
            if not shown:
                continue
            pick = min(shown, key=lambda key: (values[key] == 0, values[key]))
            hidden.update(expand(pick))
            hidden.add(pick)
            changed = True
    return hidden


def table(rows: Sequence[str], groups: Sequence[str],
          counts: dict[tuple[str, str], int], totals: dict[str, int], *,
          one_row_each: bool) -> CrossTab:
    """Suppress and lay out a table of counts: `counts[(row, group)]` and
    `totals[group]` (respondents), for `groups` and ALL.

    Hidden: any cell of 1 to 4; every cell of a group of 1 to 4 respondents
    (its total too; a group nobody is in shows its zeros); then secondary
    cells (see `protect`). Rows
    always add up across the groups to ALL (there is a "Not answered"
    group); columns add up to their total only when `one_row_each`.
    """
    columns = [*groups, ALL]
    values: dict[Hashable, int] = {(r, g): counts.get((r, g), 0)
                                   for r in rows for g in columns}
    values.update({("n", g): totals.get(g, 0) for g in columns})
    primary: set[Hashable] = set()
    for g in columns:
        if 0 < values[("n", g)] < SUPPRESS_UNDER or (g == ALL and not values[("n", g)]):
            primary.add(("n", g))
            primary.update((r, g) for r in rows)
    primary.update(key for key, v in values.items()
                   if cast(tuple[Any, Any], key)[0] != "n" and 0 < v < SUPPRESS_UNDER)
    lines: list[list[Hashable]] = [[(r, g) for g in columns] for r in [*rows, "n"]]
    if one_row_each:
        lines += [[*((r, g) for r in rows), ("n", g)] for g in columns]

    def expand(key: Hashable) -> Iterable[Hashable]:
        row, group = cast(tuple[Any, Any], key)
        if row == "n":
            return [(r, group) for r in rows]
        return [key]

    hidden = protect(values, primary, lines, expand)
    totals_out = tuple(
        Cell(g, None if ("n", g) in hidden else values[("n", g)]) for g in columns)
    cells = tuple(
        tuple(Cell(r, None, None) if (r, g) in hidden
              else Cell(r, values[(r, g)], percent(values[(r, g)], values[("n", g)]))
              for g in columns)
        for r in rows)
    return CrossTab(tuple(rows), tuple(columns), totals_out, cells)


def one_way(rows: Sequence[str], counts: dict[str, int], respondents: int, *,
            one_row_each: bool) -> tuple[Cell, ...]:
    """A single column of counts, suppressed as a table with no groups."""
    shown = table(rows, [], {(r, ALL): n for r, n in counts.items()},
                  {ALL: respondents}, one_row_each=one_row_each)
    return tuple(row[0] for row in shown.cells)


# -- Tallies ----------------------------------------------------------------------


def rows_for(spec: QuestionSpec, values: Sequence[Any]) -> list[str]:
    """The rows of a categorical question: its options (or scale points), then
    any answer no longer among them, in the order first met."""
    if spec.kind == RATING and spec.scale:
        rows = [str(v) for v in range(spec.scale[0], spec.scale[1] + 1)]
    else:
        rows = list(spec.options)
    for value in values:
        for label in labels(spec, value):
            if label not in rows:
                rows.append(label)
    return rows


def labels(spec: QuestionSpec, value: Any) -> list[str]:
    """The rows one answer counts in."""
    if spec.kind == MULTIPLE or isinstance(value, list):
        return [str(v) for v in value]
    if spec.kind == RATING:
        number = float(value)
        return [str(int(number)) if number.is_integer() else str(number)]
    if spec.kind == DATE:
        return [str(value)[:7]]
    return [str(value)]


def counts_of(spec: QuestionSpec, values: Sequence[Any]) -> dict[str, int]:
    found: dict[str, int] = {}
    for value in values:
        for label in set(labels(spec, value)):
            found[label] = found.get(label, 0) + 1
    return found


def numbers_of(values: Sequence[Any]) -> list[float]:
    found = []
    for value in values:
        try:
            found.append(float(value))
        except (TypeError, ValueError):
            continue
    return found


def summary_stats(numbers: list[float], *, spread: bool) -> dict[str, float | None]:
    keys = ("mean", "median", "min", "max") if spread else ("mean", "median")
    if len(numbers) < SUPPRESS_UNDER:
        return dict.fromkeys(keys)
    stats: dict[str, float | None] = {
        "mean": round(statistics.fmean(numbers), 2),
        "median": statistics.median(numbers),
    }
    if spread:
        stats.update(min=min(numbers), max=max(numbers))
    return stats


def tally(spec: QuestionSpec, values: Iterable[Any]) -> Tally:
    """The results of one question from its answers (one per respondent)."""
    values = [v for v in values if answered(v)]
    n = len(values)
    if spec.kind in TEXT_KINDS:
        return Tally(spec.kind, n)
    if spec.kind == NUMBER:
        return Tally(spec.kind, n, stats=summary_stats(numbers_of(values), spread=True))
    if spec.kind == LIKERT:
        statements = []
        for text in spec.statements:
            picked = [v[text] for v in values
                      if isinstance(v, dict) and answered(v.get(text))]
            counts = counts_of(QuestionSpec(SINGLE), picked)
            rows = rows_for(QuestionSpec(SINGLE, spec.options), picked)
            shown_n = len(picked)
            statements.append(Statement(
                text, Cell(text, shown_n),
                one_way(rows, counts, shown_n, one_row_each=True)))
        return Tally(spec.kind, n, statements=tuple(statements))
    rows = sorted(counts_of(spec, values)) if spec.kind == DATE else rows_for(spec, values)
    cells = one_way(rows, counts_of(spec, values), n,
                    one_row_each=spec.kind in ONE_ROW_EACH)
    stats = (summary_stats(numbers_of(values), spread=False)
             if spec.kind == RATING else {})
    return Tally(spec.kind, n, cells, stats=stats)


def crosstab(spec: QuestionSpec, answers: dict[Hashable, Any],
             groups: Sequence[str], group_of: dict[Hashable, Any]) -> CrossTab:
    """A question's answers (`answers[respondent]`) by a breakdown question's
    (`group_of[respondent]`), whose options are `groups`; respondents with no
    breakdown answer (or one not among them) fall in "Not answered".

    Rows are the question's options or scale points; for free text, pass its
    themes as the options and each answer's themes as a multiple choice.
    """
    kept = {r: v for r, v in answers.items() if answered(v)}
    rows = rows_for(spec, list(kept.values()))
    columns = list(groups)
    counts: dict[tuple[str, str], int] = {}
    totals: dict[str, int] = {}
    for respondent, value in kept.items():
        group = group_of.get(respondent)
        group = str(group) if answered(group) and str(group) in groups else NOT_ANSWERED
        if group == NOT_ANSWERED and NOT_ANSWERED not in columns:
            columns.append(NOT_ANSWERED)
        for g in (group, ALL):
            totals[g] = totals.get(g, 0) + 1
            for label in set(labels(spec, value)):
                counts[(label, g)] = counts.get((label, g), 0) + 1
    return table(rows, columns, counts, totals,
                 one_row_each=spec.kind in ONE_ROW_EACH)
