"""Importing EPD and list-size files: layouts, refusals, atomic replacement."""

import csv
import gzip
from pathlib import Path

import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from msknet.analytics.prescribing import InputError, Store, compute, import_files

FIXTURES = Path(__file__).parent / "fixtures" / "prescribing"
EPD = FIXTURES / "EPD_202401.csv"
LIST_SIZES = FIXTURES / "gp-reg-pat-prac-quin-age-jan-24.csv"

pytestmark = pytest.mark.slow


def rewrite(path, target, change=None, rename=None, month=None, drop=None, snomed=False):
    """Copy the fixture EPD with edits: change(row_index, row) -> row."""
    with path.open(newline="") as handle:
        rows = list(csv.reader(handle))
    header = [rename.get(h, h) for h in rows[0]] if rename else rows[0]
    body = rows[1:]
    if snomed:
        header = [*header, "SNOMED_CODE"]
        body = [[*r, "3000000000000000"] for r in body]
    if month:
        body = [[month, *r[1:]] for r in body]
    if change:
        body = [change(i, r) for i, r in enumerate(body)]
    if drop:
        keep = [i for i, h in enumerate(header) if h != drop]
        header = [header[i] for i in keep]
        body = [[r[i] for i in keep] for r in body]
    opener = gzip.open if str(target).endswith(".gz") else open
    with opener(target, "wt", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(body)
    return target


def snapshot(store):
    return {
        str(p.relative_to(store.path)): p.read_bytes()
        for p in sorted(store.path.rglob("*"))
        if p.is_file() and ".lock" not in p.name
    }


def test_import_summary_counts_exclusions(tmp_path):
    summary = import_files(Store(tmp_path), [EPD], [LIST_SIZES])

    assert summary.rows_read == 18
    assert summary.rows_kept == 14
    assert summary.excluded == {"unidentified": 1, "non_practice_setting": 2, "bnf_4_10": 1}
    assert summary.months_loaded == ["2024-01"]
    assert summary.list_size_months_loaded == ["2024-01"]


def test_renamed_gzip_and_parquet_layouts_give_the_same_numbers(tmp_path):
    renamed = rewrite(EPD, tmp_path / "EPD_SNOMED_202401.csv.gz",
                      rename={"BNF_CODE": "BNF_PRESENTATION_CODE",
                              "BNF_DESCRIPTION": "BNF_PRESENTATION_NAME",
                              "ADQUSAGE": "ADQ_USAGE"},
                      month="2024-01", snomed=True)
    parquet = tmp_path / "EPD_202401.parquet"
    pq.write_table(pacsv.read_csv(EPD), parquet)
    values = []
    for source in (EPD, renamed, parquet):
        store = Store(tmp_path / source.name.replace(".", "_"))
        import_files(store, [source], [LIST_SIZES])
        values.append(compute(store, "opioid_ome", "region").to_records())

    assert values[0] == values[1] == values[2]
    assert values[0][0]["numerator"] == pytest.approx(21161)


def test_missing_column_is_refused_and_nothing_written(tmp_path):
    bad = rewrite(EPD, tmp_path / "EPD_bad.csv", drop="TOTAL_QUANTITY")
    store = Store(tmp_path / "store")

    with pytest.raises(InputError, match="missing column.*TOTAL_QUANTITY"):
        import_files(store, [bad], [LIST_SIZES])

    assert store.months("epd") == [] and store.months("list_sizes") == []


def test_text_in_a_quantity_is_refused_naming_the_rows(tmp_path):
    store = Store(tmp_path / "store")
    import_files(store, [EPD], [LIST_SIZES])
    before = snapshot(store)
    bad = rewrite(EPD, tmp_path / "EPD_bad.csv",
                  change=lambda i, r: r[:19] + ["twenty"] + r[20:] if i == 2 else r)

    with pytest.raises(InputError) as caught:
        import_files(store, [bad])

    # Row 3 of the data is line 4 of the file (the header is line 1).
    assert "line 4: QUANTITY='twenty'" in str(caught.value)
    assert snapshot(store) == before


def test_a_month_in_two_layouts_is_refused(tmp_path):
    renamed = rewrite(EPD, tmp_path / "EPD_renamed.csv",
                      rename={"BNF_CODE": "BNF_PRESENTATION_CODE"}, snomed=True)
    store = Store(tmp_path / "store")

    with pytest.raises(InputError, match="2024-01: month has two layouts"):
        import_files(store, [EPD, renamed], [LIST_SIZES])

    assert store.months("epd") == []


def test_republished_month_replaces_the_earlier_load(tmp_path):
    store = Store(tmp_path / "store")
    import_files(store, [EPD], [LIST_SIZES])
    doubled = rewrite(EPD, tmp_path / "EPD_202401_v2.csv",
                      change=lambda i, r: r[:20] + [str(int(r[20]) * 2),
                                                    str(float(r[21]) * 2)] + r[22:])

    summary = import_files(store, [doubled])

    assert summary.months_replaced == ["2024-01"]
    region = compute(store, "opioid_ome", "region").to_records()
    assert region[0]["numerator"] == pytest.approx(2 * 21161)


def test_interrupted_import_leaves_the_store_as_it_was(tmp_path, monkeypatch):
    store = Store(tmp_path / "store")
    import_files(store, [EPD], [LIST_SIZES])
    before = snapshot(store)
    february = rewrite(EPD, tmp_path / "EPD_202402.csv", month="202402")
    republished = rewrite(EPD, tmp_path / "EPD_202401.csv",
                          change=lambda i, r: r[:20] + ["99"] + r[21:])

    def crash(self, building):
        raise OSError("disk full (injected)")

    monkeypatch.setattr(Store, "_before_switch", crash)
    with pytest.raises(OSError, match="injected"):
        import_files(store, [february, republished])

    assert snapshot(store) == before
    assert store.months("epd") == ["2024-01"]
    assert not list((store.path / "tmp").iterdir())


def test_month_without_list_sizes_uses_the_latest_earlier_extract(tmp_path):
    store = Store(tmp_path / "store")
    february = rewrite(EPD, tmp_path / "EPD_202402.csv", month="202402")
    import_files(store, [EPD, february], [LIST_SIZES])

    rows = compute(store, "opioid_ome", "practice").to_records()

    assert [(r["month"], r["org_code"], r["denominator"]) for r in rows] == [
        ("2024-01", "A81001", 10000), ("2024-01", "B86010", 5000),
        ("2024-02", "A81001", 10000), ("2024-02", "B86010", 5000),
    ]


def test_list_size_file_with_text_is_refused(tmp_path):
    bad = tmp_path / "sizes.csv"
    bad.write_text(LIST_SIZES.read_text().replace(",10000", ",ten thousand"))

    with pytest.raises(InputError, match="line 2: NUMBER_OF_PATIENTS='ten thousand'"):
        import_files(Store(tmp_path / "store"), [], [bad])
