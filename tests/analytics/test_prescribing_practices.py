"""Practice names from the NHS ODS practice file (epraccur): all or nothing."""

import datetime as dt
import zipfile
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from msknet.analytics.prescribing import InputError, Store, synth
from msknet.analytics.prescribing.cli import prescribing
from msknet.analytics.prescribing.practices import (
    load_practices,
    parse_epraccur,
    practice_names,
    read_epraccur,
    readable,
    stored_practices,
)

FIXTURE = Path(__file__).parent / "fixtures" / "prescribing" / "epraccur.csv"


def row(**changes):
    """One valid epraccur row (27 fields), with some fields changed by position."""
    cells = ["A81001", "THE GABLES SURGERY", "Y63", "QHM", "THE GABLES", "", "", "",
             "", "TS18 1HU", "19740401", "", "A", "B", "00L", "20220701", "", "",
             "", "", "", "0", "", "00L", "", "4", ""]
    for position, value in changes.items():
        cells[int(position.removeprefix("f")) - 1] = value
    return ",".join(f'"{c}"' for c in cells)


def test_reads_the_fixed_positions_of_the_ods_layout():
    practices = {p.code: p for p in read_epraccur(FIXTURE)}

    gables = practices["A81001"]
    assert (gables.name, gables.postcode, gables.opened, gables.closed, gables.status,
            gables.sub_icb, gables.setting) == (
        "THE GABLES SURGERY", "TS18 1HU", dt.date(1974, 4, 1), None, "A", "00L", 4)
    assert practices["NNE01"].setting == 2  # out of hours
    assert practices["C81002"].closed == dt.date(2023, 12, 31)
    assert practices["C81002"].status == "C"


def test_names_read_in_title_case_keeping_acronyms_and_small_words():
    assert readable("THE GABLES SURGERY") == "The Gables Surgery"
    assert readable("DR SMITH & PARTNERS - NHS PMS") == "Dr Smith & Partners - NHS PMS"
    assert readable("HOUSE OF THE SPRING-FIELD GP CENTRE") == (
        "House of the Spring-Field GP Centre")


def test_reads_the_csv_inside_the_zip_it_is_published_in(tmp_path):
    archive = tmp_path / "epraccur.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(FIXTURE, "epraccur.csv")

    assert [p.code for p in read_epraccur(archive)] == [
        p.code for p in read_epraccur(FIXTURE)]


def test_each_bad_row_is_named_with_its_field():
    text = "\n".join([
        row(),                                  # 1: fine
        row(f1="a81001"),                       # 2: not an ODS code
        row(),                                  # 3: A81001 again
        row(f1="B1", f11="2024-01-01"),         # 4: code and open date
        row(f1="C81002", f12="19700101"),       # 5: closes before it opened
        row(f1="D81003", f13="X", f26="GP"),    # 6: status and setting
        row(f1="E81004", f2=""),                # 7: no name
        '"F81005","SHORT ROW"',                 # 8: 2 fields
    ])

    with pytest.raises(InputError) as error:
        parse_epraccur(text, "epraccur.csv")

    assert error.value.problem.splitlines() == [
        "row 2, organisation code (field 1): 'a81001' is not an ODS code",
        "row 3, organisation code (field 1): A81001 is already on row 1",
        "row 4, organisation code (field 1): 'B1' is not an ODS code",
        "row 4, open date (field 11): '2024-01-01' is not a date as YYYYMMDD",
        "row 5, close date (field 12): is before the open date",
        "row 6, status code (field 13): 'X' is not one of A, C, D, P",
        "row 6, prescribing setting (field 26): 'GP' is not a number",
        "row 7, name (field 2): missing",
        "row 8: has 2 fields, not the 27 of the NHS ODS epraccur layout (no heading row)",
    ]


def test_a_file_with_a_heading_row_is_refused():
    with pytest.raises(InputError, match="row 1: has 3 fields"):
        parse_epraccur("CODE,NAME,POSTCODE\n" + row() + "\n", "epraccur.csv")


@pytest.mark.slow
def test_loading_keeps_the_practices_in_the_store_and_a_bad_file_changes_nothing(
        tmp_path):
    store = Store(tmp_path / "store")
    load_practices(store, FIXTURE)
    bad = tmp_path / "bad.csv"
    bad.write_text(row(f1="Z99999") + "\n" + row(f1="bad") + "\n")

    with pytest.raises(InputError):
        load_practices(store, bad)

    assert practice_names(store)["A81001"] == "The Gables Surgery"
    assert "Z99999" not in practice_names(store)
    assert [p.code for p in stored_practices(store)] == [
        p.code for p in read_epraccur(FIXTURE)]


@pytest.mark.slow
def test_loading_again_replaces_the_practices(tmp_path):
    store = Store(tmp_path / "store")
    other = tmp_path / "other.csv"
    other.write_text(row(f1="Z99999", f2="NEW SURGERY") + "\n")

    load_practices(store, FIXTURE)
    load_practices(store, other)

    assert practice_names(store) == {"Z99999": "New Surgery"}


@pytest.mark.slow
def test_cli_loads_practices_and_refuses_a_bad_file(tmp_path):
    runner = CliRunner()
    bad = tmp_path / "bad.csv"
    bad.write_text(row(f11="1st April") + "\n")

    loaded = runner.invoke(prescribing, ["practices", str(FIXTURE), "--store",
                                         str(tmp_path / "store")])
    refused = runner.invoke(prescribing, ["practices", str(bad), "--store",
                                          str(tmp_path / "other")])

    assert loaded.exit_code == 0, loaded.output
    assert "practices loaded: 4" in loaded.output
    assert "GP practices (prescribing setting 4): 3" in loaded.output
    assert "active: 3, closed: 1" in loaded.output
    assert refused.exit_code == 1
    assert "row 1, open date (field 11): '1st April'" in refused.output
    assert "Nothing was written" in refused.output
    assert not (tmp_path / "other" / "CURRENT").exists()


def test_synthetic_practice_file_names_the_synthetic_prescribers(tmp_path):
    path = synth.write_epraccur(tmp_path, practices=50, seed=9)
    people = synth.make_practices(50, np.random.default_rng(9))

    practices = read_epraccur(path)

    assert [p.code for p in practices] == [p.code for p in people]
    assert practices[0].display_name == "Riverside Surgery"
    assert len({p.name for p in practices}) == 50
    assert all(p.setting == 4 and p.status == "A" for p in practices)
