from pathlib import Path

import pytest
from click.testing import CliRunner

from msknet.cli import cli
from msknet.insights.models import ImportRun, IndicatorValue
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
