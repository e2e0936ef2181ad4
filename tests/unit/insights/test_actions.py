"""Importing files into the database: all-or-nothing, re-import, change record."""

import pytest

from msknet.analytics import phe
from msknet.insights.actions import import_file
from msknet.insights.models import (
    Area,
    AreaType,
    ImportRun,
    ImportStatus,
    Indicator,
    IndicatorValue,
    Polarity,
    ValueType,
)
from tests.factories.users import UserFactory

from .helpers import fixture, fixture_rows, local_csv, to_csv

pytestmark = pytest.mark.django_db


def fingertips(content, **kwargs):
    return import_file(content=content, file_name="file.csv", kind="fingertips",
                       **kwargs)


def local(content, **kwargs):
    return import_file(content=content, file_name="local.csv", kind="local", **kwargs)


def test_seeded_areas_are_england_regions_and_icbs_with_parents():
    assert Area.objects.get(code="E92000001").parent is None
    assert Area.objects.filter(area_type=AreaType.REGION).count() == 7
    nenc = Area.objects.get(code="E54000050")
    assert nenc.area_type == AreaType.ICB and nenc.icb.ods_code == "QHM"
    assert nenc.parent.name == "North East and Yorkshire"
    assert nenc.parent.parent.code == "E92000001"
    assert Area.objects.filter(area_type=AreaType.ICB).count() == 42


def test_import_fingertips_creates_values_and_records_who():
    lead = UserFactory()

    run = fingertips(fixture("msk_icbs.csv"), by=lead)

    assert run.status == ImportStatus.SUCCEEDED
    assert (run.rows_read, run.rows_created, run.rows_unchanged) == (21, 21, 0)
    assert run.created_by == lead and len(run.sha256) == 64
    assert IndicatorValue.objects.count() == 21
    value = IndicatorValue.objects.get(indicator__fingertips_id=93377, period="2023",
                                       area__code="E54000050")
    assert value.count == 6100 and value.lower_95 == pytest.approx(21.9, abs=0.2)
    assert value.period_sortable == 20230000 and value.limits_computed is False


def test_import_fingertips_twice_changes_nothing():
    fingertips(fixture("msk_icbs.csv"))

    run = fingertips(fixture("msk_icbs.csv"))

    assert (run.rows_created, run.rows_updated, run.rows_unchanged,
            run.rows_removed) == (0, 0, 21, 0)
    assert IndicatorValue.objects.count() == 21
    assert all(entry["changes"] == [] for entry in run.changes)


def test_import_newer_file_replaces_its_periods_and_records_changes():
    fingertips(fixture("msk_icbs.csv"))
    rows = fixture_rows()
    hip_nwl = next(i for i, r in enumerate(rows) if r[0] == "41402"
                   and r[4] == "E54000027")
    rows[hip_nwl][12] = "549.5"
    # The newer file drops the suppressed North East London row.
    rows = [r for r in rows if not (r[0] == "41402" and r[4] == "E54000029")]

    run = fingertips(to_csv(rows))

    assert (run.rows_updated, run.rows_removed, run.rows_created) == (1, 1, 0)
    icb_entry = next(e for e in run.changes if e["indicator_slug"].startswith("hip")
                     and e["area_type"] == "icb")
    assert icb_entry["updated"] == 1 and icb_entry["removed"] == 1
    changed = next(c for c in icb_entry["changes"] if "fields" in c)
    assert changed["area"] == "E54000027"
    assert changed["fields"] == {"value": [548.0, 549.5]}
    assert IndicatorValue.objects.get(area__code="E54000027",
                                      indicator__fingertips_id=41402).value == 549.5
    assert not IndicatorValue.objects.filter(area__code="E54000029").exists()


def test_import_fingertips_leaves_other_periods_alone():
    fingertips(fixture("msk_icbs.csv"))
    rows = [r for r in fixture_rows() if r[0] == "Indicator ID" or r[11] == "2023"]

    run = fingertips(to_csv(rows))

    assert run.rows_removed == 0
    assert IndicatorValue.objects.filter(period="2022").count() == 5


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("text_in_value.csv", [(4, "Value"), (6, "Count")]),
        ("unknown_area.csv", [(5, "Area Code")]),
        ("duplicate_row.csv", [(7, "")]),
        ("bad_header.csv", [(1, ""), (1, "")]),
    ],
)
def test_import_malformed_file_writes_nothing_but_a_failed_run(name, expected):
    run = fingertips(fixture(name))

    assert run.status == ImportStatus.FAILED
    assert [(e["row"], e["field"]) for e in run.errors] == expected
    assert not IndicatorValue.objects.exists()
    assert not Indicator.objects.exists()
    assert ImportRun.objects.get() == run


def test_import_file_that_is_not_utf8_is_refused():
    run = fingertips("Indicator ID,Área\n".encode("cp1252"))

    assert run.status == ImportStatus.FAILED
    assert "not UTF-8" in run.errors[0]["message"]


def test_import_accepts_utf8_with_byte_order_mark():
    run = fingertips(b"\xef\xbb\xbf" + fixture("msk_icbs.csv"))

    assert run.status == ImportStatus.SUCCEEDED


def test_import_unknown_fingertips_indicator_infers_what_it_can():
    # IDs that msknet ships no metadata for (93377 and 41402 are in
    # msknet/insights/data/fingertips_indicators.csv).
    rows = fixture_rows()
    for row in rows[1:]:
        row[0] = {"93377": "90001", "41402": "90002"}[row[0]]
    fingertips(to_csv(rows))

    msk = Indicator.objects.get(fingertips_id=90001)
    hip = Indicator.objects.get(fingertips_id=90002)
    # Value = Count / Denominator × 100 in every row: a percentage.
    assert (msk.value_type, msk.multiplier, msk.unit) == (ValueType.PROPORTION, 100, "%")
    assert msk.period_type == "annual" and msk.polarity == Polarity.NO_JUDGEMENT
    assert msk.slug == "percentage-reporting-a-long-term-musculoskeletal-msk-problem"
    # A standardised rate is not Count / Denominator × anything: not guessed.
    assert hip.value_type == ValueType.UNKNOWN


def test_import_known_fingertips_indicator_keeps_its_metadata():
    Indicator.objects.create(fingertips_id=41402, slug="hip", name="Hip fractures",
                             value_type=ValueType.RATE, multiplier=100000,
                             polarity=Polarity.LOWER_IS_BETTER)

    fingertips(fixture("msk_icbs.csv"))

    hip = Indicator.objects.get(fingertips_id=41402)
    assert (hip.slug, hip.name, hip.polarity) == ("hip", "Hip fractures",
                                                  Polarity.LOWER_IS_BETTER)
    assert hip.values.count() == 6


def test_import_creates_finer_areas_under_known_parents():
    rows = fixture_rows()
    gp = list(rows[6])
    gp[2:7] = ["E54000050", "NENC", "A81001", "The Densham Surgery", "GPs"]
    rows.append(gp)

    run = fingertips(to_csv(rows))

    assert run.status == ImportStatus.SUCCEEDED, run.errors
    practice = Area.objects.get(code="A81001")
    assert practice.area_type == AreaType.GP_PRACTICE
    assert practice.parent.code == "E54000050"


def test_import_refuses_a_known_code_with_another_area_type():
    rows = fixture_rows()
    for row in rows:
        if row[4] == "E40000003":
            row[6] = "GPs"

    run = fingertips(to_csv(rows))

    assert [(e["row"], e["field"]) for e in run.errors] == [(4, "Area Type")]
    assert run.errors[0]["message"] == (
        "msknet lists E40000003 as NHS England region, not GP practice")


def test_import_refuses_one_code_with_two_area_types():
    rows = fixture_rows()
    rows[4][6] = "GPs"

    run = fingertips(to_csv(rows))

    assert run.errors == [{"row": 5, "field": "Area Type", "message":
                           "E40000003 has another area type in row 4"}]


def test_local_import_computes_proportion_limits_with_wilson():
    Indicator.objects.create(slug="fcp", name="FCP within 2 weeks",
                             value_type=ValueType.PROPORTION, multiplier=100)

    run = local(local_csv("fcp,QHM,2023-04,,712,1000"))

    assert run.status == ImportStatus.SUCCEEDED, run.errors
    value = IndicatorValue.objects.get()
    expected = phe.proportion(712, 1000, confidence=(0.95, 0.998), multiplier=100)
    assert value.value == pytest.approx(71.2)
    assert (value.lower_95, value.lower_998) == pytest.approx(expected.lower)
    assert (value.upper_95, value.upper_998) == pytest.approx(expected.upper)
    assert value.limits_computed and value.area.code == "E54000050"


def test_local_import_computes_rate_limits_with_the_multiplier():
    Indicator.objects.create(slug="falls", name="Falls admissions",
                             value_type=ValueType.RATE, multiplier=1000)

    local(local_csv("Falls admissions,E54000050,2023/24,2.5,7,2800"))

    value = IndicatorValue.objects.get()
    expected = phe.rate(7, 2800, confidence=(0.95, 0.998), multiplier=1000)
    assert value.value == 2.5  # given values are kept
    assert (value.lower_95, value.lower_998) == pytest.approx(expected.lower)
    assert (value.upper_95, value.upper_998) == pytest.approx(expected.upper)


def test_local_import_keeps_given_limits():
    Indicator.objects.create(slug="fcp", name="FCP", value_type=ValueType.PROPORTION,
                             multiplier=100)

    local(local_csv("fcp,QHM,2023-04,71,712,1000,60,80",
                    header="indicator,area_code,period,value,count,denominator,"
                    "lower_95,upper_95"))

    value = IndicatorValue.objects.get()
    assert (value.lower_95, value.upper_95, value.limits_computed) == (60, 80, False)


def test_local_import_refuses_count_above_denominator_for_a_proportion():
    Indicator.objects.create(slug="fcp", name="FCP", value_type=ValueType.PROPORTION,
                             multiplier=100)

    run = local(local_csv("fcp,QHM,2023-04,,1200,1000"))

    assert run.errors == [{"row": 2, "field": "count", "message":
                           "The count (1200) is more than the denominator (1000)"}]


def test_local_import_unknown_indicator_needs_value_type():
    run = local(local_csv("new thing,QHM,2023-04,5,,"))

    assert run.errors[0]["field"] == "indicator"
    assert "give value_type" in run.errors[0]["message"]


def test_local_import_creates_indicator_from_value_type():
    run = local(local_csv(
        "Waits over 18 weeks,QHM,2023-04,,30,200,proportion,lower_is_better",
        header="indicator,area_code,period,value,count,denominator,value_type,polarity",
    ))

    assert run.status == ImportStatus.SUCCEEDED, run.errors
    indicator = Indicator.objects.get()
    assert (indicator.slug, indicator.multiplier, indicator.unit, indicator.polarity,
            indicator.period_type) == ("waits-over-18-weeks", 100, "%",
                                       "lower_is_better", "monthly")


def test_local_import_replaces_only_its_own_areas_periods():
    Indicator.objects.create(slug="fcp", name="FCP", value_type=ValueType.PROPORTION,
                             multiplier=100)
    local(local_csv("fcp,QHM,2023-04,,700,1000", "fcp,QMJ,2023-04,,600,1000"))

    run = local(local_csv("fcp,QHM,2023-04,,710,1000"))

    assert (run.rows_updated, run.rows_removed) == (1, 0)
    assert IndicatorValue.objects.get(area__code="E54000028").count == 600
    change = run.changes[0]["changes"][0]
    assert change["fields"]["count"] == [700, 710]


def test_local_import_reports_unknown_area_codes_on_every_row():
    Indicator.objects.create(slug="fcp", name="FCP", value_type=ValueType.PROPORTION,
                             multiplier=100)

    run = local(local_csv("fcp,ZZZ,2023-04,5,,", "fcp,ZZZ,2023-05,5,,"))

    assert [(e["row"], e["field"]) for e in run.errors] == [
        (2, "area_code"), (3, "area_code")]
