"""The `msknet prescribing` commands: their output layout is a contract."""

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from msknet.analytics.prescribing.cli import prescribing

FIXTURES = Path(__file__).parent / "fixtures" / "prescribing"


@pytest.mark.slow
def test_import_then_measures_csv_and_json(tmp_path):
    runner = CliRunner()
    store = str(tmp_path / "store")

    imported = runner.invoke(prescribing, [
        "import", str(FIXTURES / "EPD_202401.csv"),
        "--list-sizes", str(FIXTURES / "gp-reg-pat-prac-quin-age-jan-24.csv"),
        "--store", store,
    ])
    as_csv = runner.invoke(prescribing, ["measures", "--measure", "opioid_ome",
                                         "--level", "icb", "--store", store])
    as_json = runner.invoke(prescribing, ["measures", "--measure", "opioid_ome",
                                          "--level", "national", "--store", store,
                                          "--format", "json"])

    assert imported.exit_code == 0, imported.output
    assert "rows kept: 14" in imported.output
    assert "excluded (bnf_4_10): 1" in imported.output
    rows = list(csv.DictReader(io.StringIO(as_csv.output)))
    assert list(rows[0]) == ["month", "org_code", "numerator", "denominator", "value"]
    assert {r["org_code"]: r["value"] for r in rows} == {"QHM": "1528.6", "QWO": "1175"}
    assert json.loads(as_json.output) == [{
        "month": "2024-01", "org_code": "E92000001", "numerator": 21161,
        "denominator": 15000, "value": 1410.733333,
    }]


@pytest.mark.slow
def test_import_refusal_is_an_error_exit(tmp_path):
    bad = tmp_path / "EPD_bad.csv"
    bad.write_text("YEAR_MONTH,PRACTICE_CODE\n202401,A81001\n")

    result = CliRunner().invoke(prescribing, ["import", str(bad), "--store",
                                              str(tmp_path / "s")])

    assert result.exit_code == 1
    assert "missing column(s)" in result.output and "Nothing was written" in result.output


@pytest.mark.slow
def test_store_defaults_to_msknet_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("MSKNET_DATA_DIR", str(tmp_path))

    result = CliRunner().invoke(prescribing, [
        "import", "--list-sizes", str(FIXTURES / "gp-reg-pat-prac-quin-age-jan-24.csv")])

    assert result.exit_code == 0, result.output
    assert (tmp_path / "prescribing" / "CURRENT").exists()


@pytest.mark.slow
def test_synth_is_deterministic_and_importable(tmp_path):
    runner = CliRunner()
    for name in ("a", "b"):
        result = runner.invoke(prescribing, ["synth", "--practices", "30", "--months", "2",
                                             "--out", str(tmp_path / name), "--seed", "5"])
        assert result.exit_code == 0, result.output
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    same = [(tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes()
            for f in files]
    epd = [str(tmp_path / "a" / f) for f in files if f.startswith("EPD")]
    sizes = [x for f in files if f.startswith("gp-reg")
             for x in ("--list-sizes", str(tmp_path / "a" / f))]
    imported = runner.invoke(prescribing, ["import", *epd, *sizes, "--store",
                                           str(tmp_path / "store")])
    measured = runner.invoke(prescribing, ["measures", "--measure", "opioid_ome",
                                           "--level", "region", "--store",
                                           str(tmp_path / "store")])

    assert files == ["EPD_SNOMED_202401.csv", "EPD_SNOMED_202402.csv",
                     "gp-reg-pat-prac-all-202401.csv", "gp-reg-pat-prac-all-202402.csv"]
    assert all(same)
    assert imported.exit_code == 0, imported.output
    assert "excluded (unidentified): 20" in imported.output
    assert "warning" not in measured.output  # every synthetic opioid is valued
    regions = {r["org_code"] for r in csv.DictReader(io.StringIO(measured.output))}
    assert regions <= {"Y56", "Y58", "Y59", "Y60", "Y61", "Y62", "Y63"}


def test_every_command_has_help_with_an_example():
    for name, command in prescribing.commands.items():
        assert command.help and "Example:" in command.help, name


@pytest.mark.slow
def test_prescribing_engine_never_imports_django():
    code = (
        "import sys, msknet.analytics.prescribing, msknet.analytics.prescribing.cli; "
        "assert not [m for m in sys.modules if m.split('.')[0] == 'django'], "
        "'django imported'"
    )

    result = subprocess.run([sys.executable, "-c", code], capture_output=True,
                            text=True, check=False)

    assert result.returncode == 0, result.stderr


def test_msknet_cli_has_the_prescribing_group():
    from msknet.cli import cli

    assert cli.commands["prescribing"] is prescribing
