"""The import keeps only what the measures use, and still counts every row."""

import csv
import json
from pathlib import Path

import pytest

from msknet.analytics.prescribing import (
    InputError,
    MeasureError,
    Store,
    all_measures,
    compute,
    import_files,
    synth,
)
from msknet.analytics.prescribing.measures import import_prefixes

FIXTURES = Path(__file__).parent / "fixtures" / "prescribing"
EPD = FIXTURES / "EPD_202401.csv"
LIST_SIZES = FIXTURES / "gp-reg-pat-prac-quin-age-jan-24.csv"

pytestmark = pytest.mark.slow


def fixture_rows():
    with EPD.open(newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def write(path, header, body, encoding="utf-8"):
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(body)
    return path


def with_insulin_only_practice(tmp_path):
    """The fixture plus a practice (C82001) that prescribed only insulin."""
    header, body = fixture_rows()
    insulin = list(body[0])
    col = {h: i for i, h in enumerate(header)}
    insulin[col["PRACTICE_CODE"]] = "C82001"
    insulin[col["PRACTICE_NAME"]] = "INSULIN ONLY SURGERY"
    insulin[col["BNF_CODE"]] = "0601011L0AAAAAA"
    insulin[col["BNF_DESCRIPTION"]] = "Insulin lispro 100units/ml solution for injection"
    epd = write(tmp_path / "EPD_202401.csv", header, [*body, insulin, insulin])
    sizes = tmp_path / "sizes.csv"
    sizes.write_text(LIST_SIZES.read_text()
                     + "GP_PRAC_PAT_LIST,01JAN2024,GP,C82001,,LE1 1AA,ALL,ALL,2000\n")
    return epd, sizes


def test_rows_outside_the_measures_are_counted_not_stored(tmp_path):
    epd, sizes = with_insulin_only_practice(tmp_path)
    store = Store(tmp_path / "store")

    summary = import_files(store, [epd], [sizes])

    assert summary.rows_read == 20
    assert summary.rows_kept == 14
    assert summary.rows_outside_measures == 2
    assert summary.rows_read == (summary.rows_kept + summary.rows_outside_measures
                                 + sum(summary.excluded.values()))
    assert "not stored (BNF code in no measure): 2" in summary.lines()
    stored = {r["bnf_code"] for r in _stored(store)}
    assert not any(code.startswith("0601") for code in stored)


def test_a_practice_with_none_of_the_drugs_still_counts_as_zero(tmp_path):
    epd, sizes = with_insulin_only_practice(tmp_path)
    store = Store(tmp_path / "store")
    import_files(store, [epd], [sizes])

    practices = {r["org_code"]: r for r in compute(store, "opioid_ome", "practice").to_records()}
    national = compute(store, "opioid_ome", "national").to_records()[0]

    assert practices["C82001"]["numerator"] == 0
    assert practices["C82001"]["denominator"] == 2000
    assert national["denominator"] == 10000 + 5000 + 2000
    assert national["numerator"] == pytest.approx(21161)


def test_import_prefixes_cover_every_measure():
    prefixes = import_prefixes()

    for measure in all_measures():
        assert all(code.startswith(prefixes) for code in measure.bnf_codes), measure.id
    assert not any(a != b and a.startswith(b) for a in prefixes for b in prefixes)


def test_a_month_imported_before_a_measure_existed_is_refused(tmp_path):
    store = Store(tmp_path / "store")
    import_files(store, [EPD], [LIST_SIZES])
    loads_path = store.version_dir / "loads.json"
    loads = json.loads(loads_path.read_text())
    loads["2024-01"]["bnf_prefixes"] = ["0407"]  # as if NSAIDs had no measure yet
    loads_path.write_text(json.dumps(loads))

    assert compute(store, "opioid_ome", "icb").table.num_rows == 2
    with pytest.raises(MeasureError, match="nsaid_items: months 2024-01 .*import"):
        compute(store, "nsaid_items", "icb")


def test_a_latin1_file_gives_the_same_numbers(tmp_path):
    header, body = fixture_rows()
    col = header.index("PRACTICE_NAME")
    body = [[*r[:col], r[col] + " CAFÉ", *r[col + 1:]] for r in body]
    latin = write(tmp_path / "EPD_latin1.csv", header, body, encoding="latin-1")
    plain, accented = Store(tmp_path / "a"), Store(tmp_path / "b")
    import_files(plain, [EPD], [LIST_SIZES])
    summary = import_files(accented, [latin], [LIST_SIZES])

    assert summary.rows_kept == 14
    assert (compute(accented, "opioid_ome", "practice").to_records()
            == compute(plain, "opioid_ome", "practice").to_records())
    names = {r["practice_name"] for r in _stored(accented, "orgs")}
    assert "THE GABLES SURGERY CAFÉ" in names


def test_a_ragged_row_is_refused_naming_its_line(tmp_path):
    header, body = fixture_rows()
    body[4] = body[4][:10]
    bad = write(tmp_path / "EPD_ragged.csv", header, body)

    with pytest.raises(InputError, match="1 malformed row.*line 6"):
        import_files(Store(tmp_path / "store"), [bad])


def test_measures_equal_a_row_by_row_count_of_the_source(tmp_path):
    files = synth.write_synthetic(tmp_path / "synth", practices=40, months=2, seed=3)
    epd = [f for f in files if f.name.startswith("EPD")]
    sizes = [f for f in files if f.name.startswith("gp-reg")]
    store = Store(tmp_path / "store")
    import_files(store, epd, sizes)

    for measure_id in ("opioid_items", "gabapentinoid_items", "nsaid_items"):
        measure = next(m for m in all_measures() if m.id == measure_id)
        expected: dict[tuple[str, str], int] = {}
        for path in epd:
            with path.open(newline="") as handle:
                for row in csv.DictReader(handle):
                    code, practice = row["BNF_CODE"], row["PRACTICE_CODE"]
                    if (row["UNIDENTIFIED"] == "Y" or practice.endswith("998")
                            or not measure.includes(code)):
                        continue
                    key = (f"{row['YEAR_MONTH'][:4]}-{row['YEAR_MONTH'][4:]}", practice)
                    expected[key] = expected.get(key, 0) + int(row["ITEMS"])
        got = {(r["month"], r["org_code"]): r["numerator"]
               for r in compute(store, measure_id, "practice").to_records()}
        assert {k: v for k, v in got.items() if v} == expected, measure_id


def _stored(store, dataset="epd"):
    import pyarrow.parquet as pq

    return [row for f in store.files(dataset) for row in pq.read_table(f).to_pylist()]
