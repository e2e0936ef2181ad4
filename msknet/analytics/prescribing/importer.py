"""Import EPD and list-size files into the store, all or nothing.

Each EPD file is read once by DuckDB (streaming, under ``memory_limit`` and
spilling to the store's ``tmp/``): one pass types and checks every row,
counts it by status for the import summary, and keeps only the rows some
measure can use (the BNF prefixes of ``measures/*.toml``), summed to practice
x presentation x month, plus each practice's organisations. Any malformed row
refuses the whole import, naming the rows, before the store changes.
"""

from __future__ import annotations

import csv
import gzip
import io
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from . import layouts
from .errors import InputError
from .measures import import_prefixes
from .sqlfiles import quote_ident, quote_literal, render
from .store import Store, Transaction

EXCLUSION_REASONS = ("unidentified", "non_practice_setting", "bnf_4_10")
MAX_ROWS_NAMED = 10

#: DuckDB limits. Peak memory of an import is about MEMORY_LIMIT plus the
#: Python process (~150 MB); DuckDB spills to the store's tmp/ beyond it.
MEMORY_LIMIT = os.environ.get("MSKNET_DUCKDB_MEMORY_LIMIT", "1GB")


@dataclass
class ImportSummary:
    """What an import read, kept, excluded and replaced."""

    files: list[str] = field(default_factory=list)
    rows_read: int = 0
    rows_kept: int = 0
    excluded: dict[str, int] = field(default_factory=lambda: dict.fromkeys(EXCLUSION_REASONS, 0))
    rows_outside_measures: int = 0
    """Rows that passed the exclusions but have a BNF code no measure uses:
    counted, not stored (``measures.import_prefixes``)."""
    months_loaded: list[str] = field(default_factory=list)
    months_replaced: list[str] = field(default_factory=list)
    list_size_months_loaded: list[str] = field(default_factory=list)
    list_size_months_replaced: list[str] = field(default_factory=list)
    list_size_rows_kept: int = 0

    def lines(self) -> list[str]:
        """The summary as lines of text for the CLI."""
        out = [
            f"files: {len(self.files)}",
            f"rows read: {self.rows_read:,}",
            f"rows kept: {self.rows_kept:,}",
        ]
        out += [f"excluded ({reason}): {n:,}" for reason, n in self.excluded.items()]
        out.append(f"not stored (BNF code in no measure): {self.rows_outside_measures:,}")
        out.append(f"months loaded: {', '.join(self.months_loaded) or '-'}")
        out.append(f"months replaced: {', '.join(self.months_replaced) or '-'}")
        if self.list_size_months_loaded:
            out.append(f"list-size practices kept: {self.list_size_rows_kept:,}")
            out.append(f"list-size months loaded: {', '.join(self.list_size_months_loaded)}")
            out.append(
                "list-size months replaced: "
                f"{', '.join(self.list_size_months_replaced) or '-'}"
            )
        return out


def connect(temp_directory: Path, memory_limit: str = MEMORY_LIMIT) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with bounded memory that spills to ``temp_directory``."""
    temp_directory.mkdir(parents=True, exist_ok=True)
    return duckdb.connect(
        config={
            "memory_limit": memory_limit,
            "temp_directory": str(temp_directory),
            "preserve_insertion_order": False,
        }
    )


def import_files(
    store: Store,
    paths: Sequence[Path | str],
    list_sizes: Sequence[Path | str] = (),
    *,
    dmd: Path | str | None = None,
    on_file: Callable[[str], None] | None = None,
    memory_limit: str = MEMORY_LIMIT,
) -> ImportSummary:
    """Import EPD files and list-size files; replace the months they hold.

    All or nothing: a refused file (:class:`InputError`) or any failure
    leaves the store exactly as it was. ``on_file`` is called after each file
    is staged (for progress bars).
    """
    summary = ImportSummary()
    before_epd = set(store.months("epd"))
    before_ls = set(store.months("list_sizes"))
    with store.transaction() as tx:
        con = connect(tx.directory / "duckdb", memory_limit)
        try:
            epd_months = _stage_epd(con, tx, [Path(p) for p in paths], summary, on_file)
            ls_months = _stage_list_sizes(con, tx, [Path(p) for p in list_sizes], summary,
                                          on_file)
            _finish_epd(con, tx, epd_months)
            if dmd is not None:
                tx.dmd = Path(dmd)
        finally:
            con.close()
    summary.months_loaded = sorted(epd_months)
    summary.months_replaced = sorted(before_epd & set(epd_months))
    summary.list_size_months_loaded = sorted(ls_months)
    summary.list_size_months_replaced = sorted(before_ls & set(ls_months))
    return summary


# -- reading headers -------------------------------------------------------


def _is_parquet(path: Path) -> bool:
    return path.suffix.lower() in (".parquet", ".pq")


def _open_text(path: Path) -> io.TextIOWrapper:
    """A text handle on a plain or gzip CSV (the caller closes it)."""
    if path.suffix.lower() == ".gz":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="latin-1", newline="")
    return path.open(encoding="latin-1", newline="")


def read_header(path: Path) -> list[str]:
    """The column names of a CSV (plain or gzip) or Parquet file."""
    if not path.exists():
        raise InputError(str(path), "no such file")
    if _is_parquet(path):
        import pyarrow.parquet as pq  # only for Parquet input: keeps start-up short

        return list(pq.read_schema(path).names)
    with _open_text(path) as handle:
        first = next(csv.reader(handle), None)
    if not first:
        raise InputError(str(path), "is empty")
    return [c.strip().lstrip("\ufeff") for c in first]


def _scan(path: Path) -> str:
    if _is_parquet(path):
        return f"read_parquet({quote_literal(str(path))})"
    return (
        f"read_csv({quote_literal(str(path))}, header = true, all_varchar = true, "
        "encoding = 'latin-1', auto_detect = true, delim = ',', quote = '\"')"
    )


# -- EPD ---------------------------------------------------------------------


def _in_measures(column: str) -> str:
    """A SQL test that ``column`` (a BNF code) starts with a prefix a measure uses."""
    by_length: dict[int, list[str]] = {}
    for prefix in import_prefixes():
        by_length.setdefault(len(prefix), []).append(quote_literal(prefix))
    tests = [
        f"left({column}, {length}) IN ({', '.join(sorted(codes))})"
        for length, codes in sorted(by_length.items())
    ]
    return "(" + " OR ".join(tests) + ")"


def _epd_source(
    path: Path, header: list[str], layout: layouts.EPDLayout, encoding: str, rejects: str
) -> str:
    """A subquery giving the file's rows under the canonical names epd_groups.sql reads.

    A CSV is read with explicit column types (numbers as DOUBLE), so DuckDB
    parses each field once and converts only the columns asked for; a row
    it cannot type goes to the ``rejects`` table instead of stopping the scan.
    """
    wanted = ("year_month", "practice_code", "practice_name", "pco_code", "icb_code",
              "region_code", "bnf_code", "bnf_description", *layouts.EPD_NUMERIC,
              "unidentified")
    if _is_parquet(path):
        exprs = []
        for name in wanted:
            if name not in layout.columns:
                exprs.append(f"NULL AS {name}")
                continue
            text = f"CAST({quote_ident(layout.columns[name])} AS VARCHAR)"
            if name in layouts.EPD_NUMERIC:
                exprs.append(f"TRY_CAST({text} AS DOUBLE) AS {name}")
            else:
                exprs.append(f"{text} AS {name}")
        scan = f"read_parquet({quote_literal(str(path))})"
        return render("epd_source.sql", columns=", ".join(exprs), scan=scan)
    canonical = {header_name: name for name, header_name in layout.columns.items()}
    types = []
    for i, header_name in enumerate(header):
        name = canonical.pop(header_name, f"_column_{i}")  # pop: first of duplicates
        sql_type = "DOUBLE" if name in layouts.EPD_NUMERIC else "VARCHAR"
        types.append(f"{quote_literal(name)}: {quote_literal(sql_type)}")
    scan = render(
        "epd_read_csv.sql",
        path=quote_literal(str(path)),
        encoding=quote_literal(encoding),
        columns="{" + ", ".join(types) + "}",
        rejects=quote_literal(rejects),
        rejects_scan=quote_literal(rejects + "_scan"),
    )
    exprs = [name if name in layout.columns else f"NULL AS {name}" for name in wanted]
    return render("epd_source.sql", columns=", ".join(exprs), scan=scan)


def _stage_epd_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    header: list[str],
    layout: layouts.EPDLayout,
    target: Path,
    index: int,
) -> list[tuple[int, str]]:
    """The single pass over one file, into ``target``; returns rejected lines.

    A CSV is first read as UTF-8: DuckDB's latin-1 decoding makes a scan
    about 3x slower, and an ASCII file reads the same either way. A file with
    bytes that are not UTF-8 (latin-1 accents) is read again as latin-1.
    """
    rejected: list[tuple[int, str]] = []
    for attempt, encoding in enumerate(("utf-8", "latin-1")):
        rejects = f"epd_rejects_{index}_{attempt}"
        source = _epd_source(path, header, layout, encoding, rejects)
        query = render("epd_groups.sql", source=source, in_measures=_in_measures("bnf_code"))
        _run(con, render("copy_parquet.sql", query=query,
                         target=quote_literal(str(target))), path)
        if _is_parquet(path):
            return []
        rows = con.sql(render("epd_rejects.sql", rejects=quote_ident(rejects))).fetchall()
        if attempt == 1 or not any(str(kind) == "INVALID ENCODING" for _, kind, _ in rows):
            seen: dict[int, str] = {}
            for line, _, message in rows:
                seen.setdefault(int(line), str(message))
            rejected = sorted(seen.items())
            break
    return rejected


def _stage_epd(
    con: duckdb.DuckDBPyConnection,
    tx: Transaction,
    paths: list[Path],
    summary: ImportSummary,
    on_file: Callable[[str], None] | None,
) -> dict[str, list[tuple[Path, Path, str]]]:
    """Stage every EPD file; return month -> [(file, staged groups, layout)]."""
    months: dict[str, list[tuple[Path, Path, str]]] = {}
    status_sql = render("epd_status.sql")
    for index, path in enumerate(paths):
        header = read_header(path)
        layout = layouts.detect_epd_layout(header, str(path))
        staged = tx.directory / f"epd_{index}.parquet"
        rejected = _stage_epd_file(con, path, header, layout, staged, index)
        con.read_parquet(str(staged)).create_view("epd_groups", replace=True)
        con.execute(f"CREATE OR REPLACE TEMP VIEW epd_status AS {status_sql}")
        counts = con.sql(render("epd_counts.sql")).fetchall()
        problems = len(rejected) + sum(int(p or 0) for _, _, _, p in counts)
        if problems:
            rows = _bad_epd_rows(path, layout) or [
                f"line {line}: {message}" for line, message in rejected[:MAX_ROWS_NAMED]
            ]
            raise InputError(
                str(path),
                f"{problems:,} malformed row(s) (file refused, nothing written): "
                + "; ".join(rows),
            )
        for month, status, n, _ in counts:
            month, status, n = str(month), str(status), int(n or 0)
            if n == 0:
                continue
            summary.rows_read += n
            if status == "kept":
                summary.rows_kept += n
            elif status == "outside_measures":
                summary.rows_outside_measures += n
            else:
                summary.excluded[status] = summary.excluded.get(status, 0) + n
            months.setdefault(month, [])
            if not any(p == path for p, _, _ in months[month]):
                months[month].append((path, staged, layout.name))
        summary.files.append(str(path))
        if on_file is not None:
            on_file(str(path))
    for month, entries in months.items():
        found = sorted({name for _, _, name in entries})
        if len(found) > 1:
            detail = ", ".join(f"{p} ({name})" for p, _, name in entries)
            raise InputError(month, f"month has two layouts ({' and '.join(found)}): {detail}")
    return months


def _finish_epd(
    con: duckdb.DuckDBPyConnection,
    tx: Transaction,
    months: dict[str, list[tuple[Path, Path, str]]],
) -> None:
    """Write each month's stored rows, organisations and presentations."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    prefixes = list(import_prefixes())
    for month, entries in sorted(months.items()):
        files = sorted({str(staged) for _, staged, _ in entries})
        con.read_parquet(files).create_view("epd_groups", replace=True)
        for dataset, sql in (("epd", "epd_rows.sql"), ("orgs", "orgs.sql"),
                             ("presentations", "presentations.sql")):
            out = tx.directory / "final" / dataset / month
            out.mkdir(parents=True)
            con.sql(render(sql), params={"month": month}).write_parquet(
                str(out / "data.parquet"), compression="zstd")
            tx.put(dataset, month, out)
        tx.record(month, {
            "files": [str(p) for p, _, _ in entries],
            "layout": entries[0][2],
            "imported_at": now,
            "bnf_prefixes": prefixes,
        })


def _bad_epd_rows(path: Path, layout: layouts.EPDLayout) -> list[str]:
    """Name the first malformed rows (line numbers count the header as line 1)."""
    checks = {f: layout.columns[f] for f in (*layouts.EPD_NUMERIC, "year_month")}
    out: list[str] = []
    for number, row in _rows(path):
        bad = [header for field, header in checks.items()
               if not _valid(field, row.get(header))]
        if not str(row.get(layout.columns["bnf_code"]) or "").strip():
            bad.append(layout.columns["bnf_code"])
        if bad:
            values = ", ".join(f"{h}={row.get(h)!r}" for h in bad)
            out.append(f"{'row' if _is_parquet(path) else 'line'} {number}: {values}")
            if len(out) >= MAX_ROWS_NAMED:
                out.append("...")
                break
    return out


def _valid(field: str, value: object) -> bool:
    text = "" if value is None else str(value).strip()
    if field == "year_month":
        digits = text.removesuffix(".0").replace("-", "").replace("/", "")
        return len(digits) == 6 and digits.isdigit()
    try:
        float(text)
    except ValueError:
        return False
    return True


def _rows(path: Path) -> Iterator[tuple[int, dict[str, object]]]:
    """Rows with their line (CSV, header = 1) or row number (Parquet, from 1)."""
    if _is_parquet(path):
        number = 0
        import pyarrow.parquet as pq

        for batch in pq.ParquetFile(path).iter_batches(batch_size=65536):
            for row in batch.to_pylist():
                number += 1
                yield number, row
        return
    with _open_text(path) as handle:
        reader = csv.DictReader(handle)
        for number, row in enumerate(reader, start=2):
            yield number, dict(row)


# -- list sizes --------------------------------------------------------------


def _stage_list_sizes(
    con: duckdb.DuckDBPyConnection,
    tx: Transaction,
    paths: list[Path],
    summary: ImportSummary,
    on_file: Callable[[str], None] | None,
) -> list[str]:
    seen: dict[str, Path] = {}
    for index, path in enumerate(paths):
        columns = layouts.check_list_size_layout(read_header(path), str(path))
        slots = {f"c_{name}": quote_ident(header) for name, header in columns.items()}
        slots["gp_only"] = (
            f"upper(trim(CAST({slots['c_ORG_TYPE']} AS VARCHAR))) IN ('GP', 'GP_PRACTICE')"
            if "ORG_TYPE" in columns
            else "TRUE"
        )
        slots["source"] = _scan(path)
        staging = tx.directory / f"list_sizes_{index}"
        query = render("list_size_stage.sql", **slots)
        _run(con, render("copy_partitioned.sql", query=query,
                         target=quote_literal(str(staging))), path)
        counts = _counts(con, staging)
        problems = sum(n for (_, status), n in counts.items() if status == "problem")
        if problems:
            raise InputError(
                str(path),
                f"{problems:,} malformed row(s) (file refused, nothing written): "
                + "; ".join(_bad_list_size_rows(path, columns)),
            )
        for (month, status), n in sorted(counts.items()):
            if status != "kept":
                continue
            if month in seen and seen[month] != path:
                raise InputError(str(path), f"list sizes for {month} also in {seen[month]}")
            seen[month] = path
            summary.list_size_rows_kept += n
            tx.put("list_sizes", month, staging / f"month={month}" / "status=kept")
        summary.files.append(str(path))
        if on_file is not None:
            on_file(str(path))
    return sorted(seen)


def _bad_list_size_rows(path: Path, columns: dict[str, str]) -> list[str]:
    out: list[str] = []
    for number, row in _rows(path):
        value = str(row.get(columns["NUMBER_OF_PATIENTS"]) or "").strip()
        date = str(row.get(columns["EXTRACT_DATE"]) or "").strip()
        bad = [] if value.isdigit() else [f"NUMBER_OF_PATIENTS={value!r}"]
        if not any(ch.isdigit() for ch in date):
            bad.append(f"EXTRACT_DATE={date!r}")
        if bad:
            out.append(f"line {number}: {', '.join(bad)}")
        if len(out) >= MAX_ROWS_NAMED:
            break
    return out or ["EXTRACT_DATE is not a recognised date"]


# -- helpers -------------------------------------------------------------------


def _run(con: duckdb.DuckDBPyConnection, sql: str, path: Path) -> None:
    try:
        con.execute(sql)
    except duckdb.Error as exc:
        raise InputError(str(path), f"could not be read: {exc}") from exc


def _counts(con: duckdb.DuckDBPyConnection, staging: Path) -> dict[tuple[str, str], int]:
    files = sorted(str(p) for p in staging.rglob("*.parquet"))
    if not files:
        return {}
    con.read_parquet(files).create_view("staging", replace=True)
    return {
        (str(month), str(status)): int(n)
        for month, status, n in con.sql(render("staged_counts.sql")).fetchall()
    }
