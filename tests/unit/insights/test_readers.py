"""The file readers: pure parsing, no database."""

from msknet.insights.importers import read_fingertips, read_local
from msknet.insights.importers.fingertips import COLUMNS

from .helpers import fixture, fixture_rows, to_csv


def problems(parsed):
    return [(p.row, p.field, p.message) for p in parsed.problems]


def test_read_fingertips_reads_every_row_of_the_fixture():
    parsed = read_fingertips(fixture("msk_icbs.csv").decode())

    assert parsed.problems == []
    assert parsed.rows_read == 21
    assert set(parsed.indicators) == {"93377", "41402"}
    first = parsed.rows[0]
    assert (first.row, first.area_code, first.period, first.period_sortable) == (
        2, "E92000001", "2022", 20220000)
    assert first.count == 103000 and first.denominator == 606000


def test_read_fingertips_allows_blank_value_for_suppressed_rows():
    parsed = read_fingertips(fixture("msk_icbs.csv").decode())

    suppressed = parsed.rows[-1]
    assert suppressed.value is None
    assert suppressed.value_note.startswith("Value suppressed")


def test_read_fingertips_accepts_the_header_without_time_period_range():
    rows = [r[:-1] for r in fixture_rows()]

    parsed = read_fingertips(to_csv(rows).decode())

    assert parsed.problems == []


def test_read_fingertips_accepts_the_older_target_data_column():
    rows = fixture_rows()
    rows[0][rows[0].index("Compared to goal")] = "Target data"

    parsed = read_fingertips(to_csv(rows).decode())

    assert parsed.problems == []


def test_read_fingertips_names_missing_and_unknown_columns():
    parsed = read_fingertips(fixture("bad_header.csv").decode())

    assert problems(parsed) == [
        (1, "", "The header is missing the Fingertips column(s): 'Value', 'New data'"),
        (1, "", "The header has column(s) Fingertips does not export: 'Values'"),
    ]
    assert parsed.rows == []


def test_read_fingertips_needs_the_parent_comparison_column():
    rows = fixture_rows()
    rows[0][rows[0].index("Compared to ICBs value or percentiles")] = "Comparison"

    parsed = read_fingertips(to_csv(rows).decode())

    assert "'Compared to <parent area type> value or percentiles'" in (
        parsed.problems[0].message)


def test_read_fingertips_refuses_columns_out_of_order():
    rows = [[r[1], r[0], *r[2:]] for r in fixture_rows()]

    parsed = read_fingertips(to_csv(rows).decode())

    assert "not in the order Fingertips exports them" in parsed.problems[0].message


def test_read_fingertips_reports_every_bad_number_by_row_and_field():
    parsed = read_fingertips(fixture("text_in_value.csv").decode())

    assert problems(parsed) == [
        (4, "Value", "Enter a number or leave it blank, not 'n/a'"),
        (6, "Count", "Enter a number or leave it blank, not 'lots'"),
    ]


def test_read_fingertips_reports_duplicate_rows():
    parsed = read_fingertips(fixture("duplicate_row.csv").decode())

    assert problems(parsed) == [(7, "", ("The row repeats row 3 (same indicator, area, "
                                 "period, sex, age and category)"))]


def test_read_fingertips_reports_a_second_name_for_one_indicator():
    rows = fixture_rows()
    rows[3][1] = "MSK problem (renamed)"

    parsed = read_fingertips(to_csv(rows).decode())

    assert problems(parsed) == [(4, "Indicator Name", ("Indicator 93377 is called "
                                 "'Percentage reporting a long-term Musculoskeletal "
                                 "(MSK) problem' in row 2, not 'MSK problem (renamed)'"))]


def test_read_fingertips_reports_short_rows_and_limits_in_the_wrong_order():
    rows = fixture_rows()
    rows[2] = rows[2][:10]
    rows[3][13], rows[3][14] = rows[3][14], rows[3][13]

    parsed = read_fingertips(to_csv(rows).decode())

    assert [(p.row, p.field) for p in parsed.problems] == [
        (3, ""), (4, "Lower CI 95.0 limit")]


def test_read_fingertips_reports_unknown_area_types_and_unreadable_periods():
    rows = fixture_rows()
    rows[2][6] = "MSOA"
    rows[3][11], rows[3][23] = "Winter", ""

    parsed = read_fingertips(to_csv(rows).decode())

    assert [(p.row, p.field) for p in parsed.problems] == [
        (3, "Area Type"), (4, "Time period")]


def test_read_fingertips_empty_file_and_header_only():
    assert problems(read_fingertips("")) == [(None, "", "The file is empty")]
    assert problems(read_fingertips(",".join(COLUMNS).replace(
        "<parent area type>", "ICBs") + "\n")) == [
        (None, "", "The file has a header but no rows")]


def test_read_local_reads_rows_with_defaults():
    parsed = read_local(
        "indicator,area_code,period,value\nfcp-waits,QHM,2023-04,71.5\n"
    )

    assert parsed.problems == []
    row = parsed.rows[0]
    assert (row.sex, row.age, row.period_sortable, row.value) == (
        "Persons", "All ages", 20230004, 71.5)


def test_read_local_reports_every_problem():
    parsed = read_local(
        "indicator,area_code,period,value,count,denominator,category\n"
        ",QHM,2023-04,71.5,,,\n"
        "x,QHM,someday,n/a,,,\n"
        "x,QHM,2023-05,,-3,,Most deprived\n"
    )

    assert problems(parsed) == [
        (2, "indicator", "Enter the indicator"),
        (3, "period", ("'someday' is not a period msknet recognises: write it like "
         "2023, 2022/23, 2020 - 22, 2022/23 Q1, 2023 Q1, 2023-04 or Apr 2023")),
        (3, "value", "Enter a number or leave it blank, not 'n/a'"),
        (4, "category", "Give both the category type and the category, or neither"),
        (4, "count", "Must be 0 or more, not -3"),
        (4, "value", "Enter the value, or the count and denominator to compute it from"),
    ]


def test_read_local_names_unknown_and_missing_columns():
    parsed = read_local("indicator,area,period,value\n")

    assert problems(parsed) == [
        (1, "", "The header is missing the column(s): area_code"),
        (1, "", ("The header has column(s) msknet does not know: 'area'. See the "
         "local CSV guide for the columns")),
    ]


def test_read_local_reports_inconsistent_new_indicator_metadata():
    parsed = read_local(
        "indicator,area_code,period,value,value_type\n"
        "waits,QHM,2023-04,1,proportion\n"
        "waits,QHM,2023-05,1,rate\n"
        "waits,QHM,2023-06,1,guess\n"
    )

    assert problems(parsed) == [
        (3, "value_type", "'waits' has value_type 'proportion' in row 2, not 'rate'"),
        (4, "value_type", "Enter one of proportion, rate, ratio, mean, not 'guess'"),
    ]
