"""The adoption curve, checked by hand over a small history."""

from datetime import date

from msknet.analytics.adoption import adoption_curve, month_end, months, status_on

# Three sites. A: aware in January, piloting in March, adopted in March too
# (the later change that day wins). B: exploring in February, stopped in
# April. C: aware on 31 May, the last day of the month.
HISTORY = [
    ("A", "aware", date(2026, 1, 5)),
    ("B", "exploring", date(2026, 2, 20)),
    ("A", "piloting", date(2026, 3, 2)),
    ("A", "adopted", date(2026, 3, 30)),
    ("B", "stopped", date(2026, 4, 1)),
    ("C", "aware", date(2026, 5, 31)),
]
STATUSES = ["aware", "exploring", "piloting", "adopted", "stopped"]


def test_curve_counts_each_sites_status_at_the_end_of_each_month():
    curve = adoption_curve(HISTORY, statuses=STATUSES)

    assert [(m.month, [m.count(s) for s in STATUSES]) for m in curve] == [
        (date(2026, 1, 1), [1, 0, 0, 0, 0]),  # A aware
        (date(2026, 2, 1), [1, 1, 0, 0, 0]),  # A aware, B exploring
        (date(2026, 3, 1), [0, 1, 0, 1, 0]),  # A adopted by the month's end
        (date(2026, 4, 1), [0, 0, 0, 1, 1]),  # B stopped: counted, not dropped
        (date(2026, 5, 1), [1, 0, 0, 1, 1]),  # C aware on the last day counts
    ]


def test_a_stopped_site_stays_counted_as_stopped_to_the_end():
    curve = adoption_curve(HISTORY, until=date(2026, 8, 15), statuses=STATUSES)

    assert curve[-1].month == date(2026, 8, 1)
    assert curve[-1].count("stopped") == 1
    assert curve[-1].total == 3


def test_same_day_changes_take_the_later_one_in_the_order_given():
    history = [("A", "piloting", date(2026, 3, 30)), ("A", "adopted", date(2026, 3, 30))]

    assert status_on(history, date(2026, 3, 30)) == {"A": "adopted"}


def test_a_site_counts_only_from_its_first_change():
    curve = adoption_curve(HISTORY, statuses=STATUSES)

    assert [m.total for m in curve] == [1, 2, 2, 2, 3]


def test_without_statuses_only_those_in_use_appear():
    curve = adoption_curve(HISTORY[:2])

    assert curve[1].counts == {"aware": 1, "exploring": 1}


def test_history_in_any_order_gives_the_same_curve():
    shuffled = [HISTORY[i] for i in (5, 2, 0, 4, 1, 3)]

    assert adoption_curve(shuffled, statuses=STATUSES) == adoption_curve(
        HISTORY, statuses=STATUSES)


def test_no_history_no_curve():
    assert adoption_curve([]) == []


def test_months_and_month_ends_cross_the_year():
    assert months(date(2025, 11, 20), date(2026, 2, 1)) == [
        date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)]
    assert month_end(date(2028, 2, 3)) == date(2028, 2, 29)
