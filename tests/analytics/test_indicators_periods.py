from datetime import date

import pytest

from msknet.analytics.indicators import parse_period


@pytest.mark.parametrize(
    ("text", "kind", "sortable", "start", "end"),
    [
        ("2023", "annual", 20230000, date(2023, 1, 1), date(2023, 12, 31)),
        ("2022/23", "financial_year", 20220000, date(2022, 4, 1), date(2023, 3, 31)),
        ("1999/00", "financial_year", 19990000, date(1999, 4, 1), date(2000, 3, 31)),
        ("2020 - 22", "rolling_3_year", 20200000, date(2020, 1, 1), date(2022, 12, 31)),
        ("2019/20 - 21/22", "rolling_3_year", 20190000, date(2019, 4, 1),
         date(2022, 3, 31)),
        ("2016 - 20", "other", 20160000, date(2016, 1, 1), date(2020, 12, 31)),
        ("2022/23 Q1", "quarterly", 20220100, date(2022, 4, 1), date(2022, 6, 30)),
        ("2022/23 Q4", "quarterly", 20220400, date(2023, 1, 1), date(2023, 3, 31)),
        ("2023 Q2", "quarterly", 20230200, date(2023, 4, 1), date(2023, 6, 30)),
        ("2024-02", "monthly", 20240002, date(2024, 2, 1), date(2024, 2, 29)),
        ("Apr 2023", "monthly", 20230004, date(2023, 4, 1), date(2023, 4, 30)),
        ("September 2023", "monthly", 20230009, date(2023, 9, 1), date(2023, 9, 30)),
    ],
)
def test_parse_period_recognises_fingertips_shapes(text, kind, sortable, start, end):
    period = parse_period(text)

    assert period is not None
    assert (period.type, period.sortable, period.start, period.end) == (
        kind, sortable, start, end)


@pytest.mark.parametrize("text", ["", "n/a", "2022/24", "2023-13", "Smarch 2023",
                                  "2022 - 22", "2019/20 - 21/23"])
def test_parse_period_returns_none_for_other_text(text):
    assert parse_period(text) is None


def test_parse_period_sortable_orders_quarters_within_a_year():
    texts = ["2023/24 Q2", "2022/23 Q4", "2023/24 Q1"]

    ordered = sorted(texts, key=lambda t: parse_period(t).sortable)

    assert ordered == ["2022/23 Q4", "2023/24 Q1", "2023/24 Q2"]
