"""Reading a measure's CSV: every problem named by row and field."""

import datetime as dt

from msknet.improvement.csvdata import parse_points


def parse(text):
    return parse_points(text.encode())


def problems(parsed):
    return [(p.row, p.field, p.message) for p in parsed.problems]


def test_reads_months_dates_quintiles_and_annotations():
    parsed = parse("period,value,quintile,annotation\n2025-04,42.5,,Go live\n"
                   "2025-04-07,1,3,\n")

    assert parsed.ok
    assert [(r.row, r.period, r.value, r.quintile, r.annotation) for r in parsed.rows] \
        == [(2, dt.date(2025, 4, 1), 42.5, None, "Go live"),
            (3, dt.date(2025, 4, 7), 1.0, 3, "")]


def test_headings_may_come_in_any_order_and_case_with_a_bom():
    parsed = parse_points("\ufeffValue,PERIOD\n7,2025-01\n".encode())

    assert parsed.rows[0].value == 7 and parsed.rows[0].period == dt.date(2025, 1, 1)


def test_each_bad_cell_is_named_by_row_and_field():
    parsed = parse("period,value,quintile,annotation\n"
                   "April,1,,\n"           # row 2: period
                   "2025-05,,,\n"          # row 3: value missing
                   "2025-06,lots,,\n"      # row 4: value not a number
                   "2025-07,1,6,\n"        # row 5: quintile
                   f"2025-08,1,,{'x' * 201}\n"  # row 6: annotation
                   "2025-09,nan,,\n")      # row 7: not finite

    assert [(row, field) for row, field, _ in problems(parsed)] == [
        (2, "period"), (3, "value"), (4, "value"), (5, "quintile"),
        (6, "annotation"), (7, "value")]
    assert "Enter a number, not 'lots'" in problems(parsed)[2][2]
    assert parsed.rows == []


def test_a_period_twice_is_refused_but_once_per_quintile_is_fine():
    parsed = parse("period,value,quintile\n2025-01,1,\n2025-01,2,1\n2025-01-01,3,\n")

    assert problems(parsed) == [(4, "period", "January 2025 is already on row 2")]


def test_wrong_headings_are_refused_on_row_1():
    parsed = parse("month,count\n2025-01,1\n")

    assert problems(parsed)[0][:2] == (1, "headings")
    assert "missing: period, value" in problems(parsed)[0][2]


def test_empty_files_and_files_without_rows_are_refused():
    assert "empty" in problems(parse(""))[0][2]
    assert "no rows of data" in problems(parse("period,value\n"))[0][2]


def test_files_that_are_not_utf8_are_refused():
    parsed = parse_points("period,value\n2025-01,1,\xe9\n".encode("latin-1"))

    assert "not UTF-8" in problems(parsed)[0][2]


def test_rows_with_too_many_cells_are_refused():
    parsed = parse("period,value\n2025-01,1,extra\n")

    assert problems(parsed) == [(2, "", ("The row has 3 cells but there are 2 "
                                 "headings"))]


def test_numbers_and_periods_take_ascii_digits_only():
    # float() and int() take '1_000' and other scripts' digits; people do not
    # mean them, and the date parser took week dates and compact dates.
    parsed = parse("period,value\n"
                   "2025-01,1_000\n"        # row 2: underscore
                   "2025-02,١٢\n"           # row 3: Arabic-Indic digits
                   "٢٠٢٥-٠٣,12\n"           # row 4: period in Arabic-Indic digits
                   "2025-W14-1,12\n"        # row 5: ISO week date
                   "20250501,12\n"          # row 6: compact date
                   "2025-06,\"1,2,3\"\n"    # row 7: commas not between thousands
                   "2025-07,1,250\n"        # row 8: unquoted, so too many cells
                   "2025-08,\"1,250\"\n")   # row 9: thousands, fine

    assert [(row, field) for row, field, _ in problems(parsed)] == [
        (2, "value"), (3, "value"), (4, "period"), (5, "period"), (6, "period"),
        (7, "value"), (8, "")]
    assert "Enter a number, not '1_000': use the digits 0 to 9" in problems(parsed)[0][2]
    assert [r.value for r in parsed.rows] == [1250.0]


def test_periods_must_fall_between_1900_and_2100():
    parsed = parse("period,value\n1899-12,1\n1900-01,2\n2100-12-31,3\n2101-01,4\n")

    assert [(row, field) for row, field, _ in problems(parsed)] == [
        (2, "period"), (5, "period")]
    assert "between 1900 and 2100" in problems(parsed)[0][2]
    assert [r.period for r in parsed.rows] == [dt.date(1900, 1, 1),
                                               dt.date(2100, 12, 31)]


def test_numbers_with_signs_decimals_and_exponents_are_read():
    parsed = parse('period,value\n2025-01,-3.5\n2025-02,+.5\n2025-03,1.2E+03\n'
                   '2025-04," 42 "\n')

    assert [r.value for r in parsed.rows] == [-3.5, 0.5, 1200.0, 42.0]
