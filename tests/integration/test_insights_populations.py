"""Loading areas' populations: ONS or ODS codes, all-or-nothing, a year
already loaded is updated; the CLI exits non-zero naming rows and columns."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from msknet.cli import cli
from msknet.insights.models import Area, AreaPopulation
from msknet.insights.populations import PopulationsRefused, load_text

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).parent.parent / "fixtures" / "landscape" / "populations.csv"


def test_cli_loads_the_fixture_by_ods_and_ons_codes():
    result = CliRunner().invoke(cli, ["insights", "populations", "--file",
                                      str(FIXTURE), "--source", "Synthetic figures"])
    assert result.exit_code == 0, result.output
    assert "2 populations added, 0 updated" in result.output
    by_icb = AreaPopulation.objects.get(area__icb__ods_code="QMJ", year=2023)
    assert by_icb.persons == 2875126 and by_icb.source == "Synthetic figures"
    assert AreaPopulation.objects.get(area__code="E54000029").persons == 1904006


def test_a_year_already_loaded_is_updated():
    area = Area.objects.filter(icb__isnull=False).first()
    AreaPopulation.objects.create(area=area, year=2023, persons=10, source="Old")
    loaded = load_text(f"area_code,year,persons\n{area.code},2023,20\n",
                       source="New")
    assert (loaded.added, loaded.updated) == (0, 1)
    assert AreaPopulation.objects.get(area=area).persons == 20


def test_bad_rows_are_all_named_and_nothing_is_written():
    text = ("area_code,year,persons\nQMJ,2023,100\nE99999999,2023,5\n"
            "QMJ,twenty,0\nQMJ,2023,100\n")
    with pytest.raises(PopulationsRefused) as refused:
        load_text(text, source="Synthetic")
    assert refused.value.errors == [
        ("Row 3, area_code: 'E99999999' is not an area msknet knows (use an ONS code "
        "such as E54000027, or an ICB's ODS code such as QMJ)"),
        "Row 4, year: 'twenty' is not a year (like 2023)",
        "Row 4, persons: '0' is not a number of people (a whole number above 0)",
        "Row 5, area_code: " + refused.value.errors[3].split(": ", 1)[1],
    ]
    assert "repeats row 2" in refused.value.errors[3]
    assert not AreaPopulation.objects.exists()


def test_cli_exits_non_zero_on_a_missing_column(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("area,year,persons\nQMJ,2023,1\n")
    result = CliRunner().invoke(cli, ["insights", "populations", "--file", str(bad),
                                      "--source", "Synthetic"])
    assert result.exit_code == 1
    assert "Row 1: the 'area_code' column is missing" in result.output
