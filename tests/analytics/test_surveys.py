"""Survey tallies, cross-tabs and small-number suppression (no database)."""

from msknet.analytics.surveys import (
    ALL,
    NOT_ANSWERED,
    SUPPRESS_UNDER,
    QuestionSpec,
    crosstab,
    tally,
)

YES_NO = QuestionSpec("single", ("Yes", "No"))


def by_label(cells):
    return {c.label: (c.count, c.percent) for c in cells}


def test_the_threshold_is_the_models():
    from msknet.surveys.models import BREAKDOWN_MIN

    assert SUPPRESS_UNDER == BREAKDOWN_MIN == 5


def test_single_choice_counts_and_percentages():
    result = tally(YES_NO, ["Yes"] * 6 + ["No"] * 5 + ["", None])

    assert result.respondents == 11
    assert by_label(result.cells) == {"Yes": (6, 54.5), "No": (5, 45.5)}


def test_a_cell_of_four_is_hidden_and_five_shown():
    spec = QuestionSpec("multiple", ("A", "B", "C"))

    result = tally(spec, [["A", "B"]] * 4 + [["A"]] * 1 + [["C"]] * 5)

    assert by_label(result.cells) == {"A": (5, 50.0), "B": (None, None),
                                      "C": (5, 50.0)}


def test_multiple_choice_percentages_can_add_to_more_than_100():
    spec = QuestionSpec("multiple", ("A", "B"))

    result = tally(spec, [["A", "B"]] * 5)

    assert sum(c.percent for c in result.cells) == 200.0


def test_a_single_hidden_cell_takes_the_next_smallest_with_it():
    # With the total shown, hiding only "No" would leave it as 15 - 7 - 6.
    spec = QuestionSpec("single", ("Yes", "No", "Not sure"))

    result = tally(spec, ["Yes"] * 7 + ["No"] * 6 + ["Not sure"] * 2)

    assert by_label(result.cells) == {"Yes": (7, 46.7), "No": (None, None),
                                      "Not sure": (None, None)}


def test_hidden_cells_adding_to_under_five_take_more_with_them():
    # "No" (3) and "Not sure" (0) hidden together still add up to 3.
    spec = QuestionSpec("single", ("Yes", "No", "Not sure"))

    result = tally(spec, ["Yes"] * 9 + ["No"] * 3)

    assert [c.count for c in result.cells] == [None, None, 0]


def test_fewer_than_five_answering_hides_every_figure():
    result = tally(QuestionSpec("rating", scale=(1, 5)), [5, 5, 4, 4])

    assert result.suppressed
    assert all(c.count in (None, 0) for c in result.cells)
    assert result.stats == {"mean": None, "median": None}


def test_rating_distribution_mean_and_median():
    result = tally(QuestionSpec("rating", scale=(1, 3)), [1] * 5 + [3] * 5 + [2] * 6)

    assert [c.count for c in result.cells] == [5, 6, 5]
    assert result.stats == {"mean": 2.0, "median": 2.0}


def test_number_summary():
    result = tally(QuestionSpec("number"), [1, 2, 3, 4, 10.5])

    assert result.stats == {"mean": 4.1, "median": 3, "min": 1, "max": 10.5}


def test_dates_by_month():
    values = ["2026-01-05"] * 5 + ["2026-02-01"] * 5

    result = tally(QuestionSpec("date"), values)

    assert by_label(result.cells) == {"2026-01": (5, 50.0), "2026-02": (5, 50.0)}


def test_likert_per_statement():
    spec = QuestionSpec("likert", ("Agree", "Disagree"), statements=("S1", "S2"))

    result = tally(spec, [{"S1": "Agree", "S2": "Disagree"}] * 5)

    s1, s2 = result.statements
    assert by_label(s1.cells) == {"Agree": (5, 100.0), "Disagree": (0, 0.0)}
    assert by_label(s2.cells) == {"Agree": (0, 0.0), "Disagree": (5, 100.0)}


def test_crosstab_shows_groups_of_five_and_zero_groups():
    answers = {i: "Yes" if i < 5 else "No" for i in range(10)}
    groups = {i: "G1" if i < 5 else "G2" for i in range(10)}

    table = crosstab(YES_NO, answers, ["G1", "G2", "G3"], groups)

    assert table.groups == ("G1", "G2", "G3", ALL)
    assert [t.count for t in table.totals] == [5, 5, 0, 10]
    assert [c.count for c in table.cells[0]] == [5, 0, 0, 5]


def test_crosstab_hides_a_group_of_four_and_what_gives_it_away():
    answers = {i: "Yes" for i in range(14)}
    groups = {i: "G1" if i < 5 else "G2" if i < 10 else "G3" for i in range(14)}

    table = crosstab(YES_NO, answers, ["G1", "G2", "G3"], groups)

    totals = {t.label: t.count for t in table.totals}
    assert totals["G3"] is None
    # All minus G1 minus G2 would give G3: one more group goes.
    assert totals["G1"] is None
    assert totals["G2"] == 5
    shown = [c.count for row in table.cells for c in row if c.count is not None]
    assert all(n == 0 or n >= SUPPRESS_UNDER for n in shown)


def test_crosstab_puts_respondents_without_a_group_in_not_answered():
    answers = {i: "Yes" for i in range(6)}

    table = crosstab(YES_NO, answers, ["G1"], {i: "G1" for i in range(5)})

    assert table.groups == ("G1", NOT_ANSWERED, ALL)
