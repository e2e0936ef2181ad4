from pathlib import Path

import pytest
from click.testing import CliRunner

from msknet.cli import cli
from msknet.insights.models import ImportRun, Indicator, IndicatorValue
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "fingertips"


def run(*args):
    return CliRunner().invoke(cli, ["insights", *args])


def test_insights_import_prints_counts_and_records_who():
    lead = UserFactory(email="lead@example.nhs.uk")

    result = run("import", str(FIXTURES / "msk_icbs.csv"), "--by", "Lead@example.nhs.uk")

    assert result.exit_code == 0, result.output
    assert "Imported msk_icbs.csv: 21 rows read, 21 created, 0 updated" in result.output
    assert ImportRun.objects.get().created_by == lead


def test_insights_import_again_reports_unchanged():
    run("import", str(FIXTURES / "msk_icbs.csv"))

    result = run("import", str(FIXTURES / "msk_icbs.csv"))

    assert "0 created, 0 updated, 21 unchanged, 0 removed" in result.output


def test_insights_import_bad_file_exits_1_naming_rows():
    result = run("import", str(FIXTURES / "text_in_value.csv"))

    assert result.exit_code == 1
    assert "row 4, Value: Enter a number or leave it blank, not 'n/a'" in result.output
    assert "row 6, Count:" in result.output
    assert not IndicatorValue.objects.exists()


def test_insights_import_local_file(tmp_path):
    path = tmp_path / "waits.csv"
    path.write_text("indicator,area_code,period,count,denominator,value_type\n"
                    "Seen in 2 weeks,QHM,2024-01,80,100,proportion\n")

    result = run("import", str(path), "--local")

    assert result.exit_code == 0, result.output
    assert IndicatorValue.objects.get().value == 80


def test_insights_import_unknown_person():
    result = run("import", str(FIXTURES / "msk_icbs.csv"), "--by", "nobody@example.org")

    assert result.exit_code == 2
    assert "nobody has the email" in result.output
    assert not ImportRun.objects.exists()


@pytest.mark.slow
def test_insights_demo_loads_once():
    assert "Demo indicators loaded." in run("demo").output
    assert "already present" in run("demo").output


def test_insights_set_indicator_changes_details_and_fills_limits():
    run("import", str(FIXTURES / "msk_icbs.csv"))
    # Drop the shipped metadata's effect: an indicator imported as unknown.
    hip = Indicator.objects.get(fingertips_id=41402)
    Indicator.objects.filter(pk=hip.pk).update(value_type="unknown", multiplier=1,
                                               method="", polarity="no_judgement")
    lead = UserFactory(email="lead@example.nhs.uk")
    IndicatorValue.objects.filter(indicator=hip).update(lower_95=None, upper_95=None)

    result = run("set-indicator", hip.slug, "--value-type", "rate", "--multiplier",
                 "100000", "--polarity", "lower_is_better", "--by", "lead@example.nhs.uk")

    assert result.exit_code == 0, result.output
    hip.refresh_from_db()
    assert (hip.value_type, hip.multiplier, hip.polarity, hip.updated_by) == (
        "rate", 100000, "lower_is_better", lead)
    # Five values have a count and denominator; the suppressed one has neither.
    assert "Confidence limits were computed for 5 values" in result.output


def test_insights_set_indicator_bad_value_exits_1_changing_nothing():
    indicator = Indicator.objects.create(slug="fcp", name="FCP", value_type="proportion",
                                         multiplier=100)

    result = run("set-indicator", "fcp", "--multiplier", "1000", "--polarity",
                 "lower_is_better")

    assert result.exit_code == 1
    assert "--multiplier: A proportion's multiplier must be 1" in result.output
    indicator.refresh_from_db()
    assert (indicator.multiplier, indicator.polarity) == (100, "no_judgement")


def test_insights_set_indicator_refuses_unknown_value_type():
    Indicator.objects.create(slug="fcp", name="FCP", value_type="rate", multiplier=1)

    result = run("set-indicator", "fcp", "--value-type", "unknown")

    assert result.exit_code == 1
    assert "only an import can mark it as not known" in result.output


@pytest.mark.parametrize(("args", "says"), [
    (["nothing-here", "--unit", "%"], "there is no indicator 'nothing-here'"),
    (["fcp", "--polarity", "good"], "use one of higher_is_better"),
    (["fcp"], "Give at least one of"),
])
def test_insights_set_indicator_names_a_bad_argument(args, says):
    Indicator.objects.create(slug="fcp", name="FCP", value_type="rate", multiplier=1)

    result = run("set-indicator", *args)

    assert result.exit_code == 2
    assert says in result.output
