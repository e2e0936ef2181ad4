"""Synthetic EPD and list-size files in the published layouts.

Real ICB and region codes (``msknet/members/data/icbs.csv``), synthetic
sub-ICB codes (``X`` + two characters) and practice codes; real opioid,
gabapentinoid and NSAID presentations (brand and generic, tablets, liquids,
patches) with realistic pack sizes; list sizes log-normal around 9,000; the
North East and Yorkshire region prescribes more opioids. Deterministic for a
seed. Written in batches of practices, so memory does not grow with size.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from . import layouts

ICBS_CSV = Path(__file__).resolve().parents[2] / "members" / "data" / "icbs.csv"

#: (BNF code, description, pack sizes, items per 1,000 patients a month,
#: opioid?). Rates are rough national orders of magnitude.
CATALOGUE: tuple[tuple[str, str, tuple[float, ...], float, bool], ...] = (
    ("0407010F0AAAAAA", "Co-codamol 30mg/500mg tablets", (30, 100, 60), 6.0, True),
    ("0407010F0AAABAB", "Co-codamol 8mg/500mg tablets", (30, 100), 1.5, True),
    ("0407010F0AAAHAH", "Co-codamol 30mg/500mg capsules", (30, 100), 2.0, True),
    ("0407010F0BBAAAA", "Zapain 30mg/500mg tablets", (100,), 0.4, True),
    ("0407010F0BCAAAA", "Solpadol 30mg/500mg effervescent tablets", (100,), 0.3, True),
    ("0407010N0AAAAAA", "Co-dydramol 10mg/500mg tablets", (30, 100), 0.8, True),
    ("0407020C0AAAAAA", "Codeine 30mg tablets", (28, 56, 100), 3.0, True),
    ("0407020C0AAABAB", "Codeine 15mg tablets", (28, 56), 0.8, True),
    ("0407020C0AAAEAE", "Codeine 25mg/5ml oral solution", (100, 500), 0.1, True),
    ("040702040AAAAAA", "Tramadol 50mg capsules", (30, 100), 3.5, True),
    ("040702040AAAFAF", "Tramadol 100mg modified-release tablets", (60,), 0.5, True),
    ("040702040BBAAAA", "Zydol 50mg capsules", (100,), 0.1, True),
    ("0407020G0AAAAAA", "Dihydrocodeine 30mg tablets", (28, 100), 0.9, True),
    ("0407020Q0AAAGAG", "Morphine sulfate 10mg/5ml oral solution", (100, 300, 500), 1.6, True),
    ("0407020Q0AAAVAV", "Morphine sulfate 10mg modified-release tablets", (60,), 0.6, True),
    ("0407020Q0BBAAAA", "Oramorph 10mg/5ml oral solution", (100, 300), 0.3, True),
    ("0407020Q0BCAAAA", "MST Continus 30mg tablets", (60,), 0.2, True),
    ("0407020Q0BDAAAA", "Zomorph 60mg modified-release capsules", (60,), 0.1, True),
    ("0407020Q0BEAAAA", "MXL 90mg capsules", (28,), 0.05, True),
    ("0407020ADAAAAAA", "Oxycodone 5mg capsules", (56,), 0.7, True),
    ("0407020ADAAAKAK", "Oxycodone 5mg/5ml oral solution", (250,), 0.2, True),
    ("0407020ADAAACAC", "Oxycodone 20mg modified-release tablets", (56,), 0.3, True),
    ("0407020ADBBAAAA", "OxyContin 40mg modified-release tablets", (56,), 0.1, True),
    ("0407020ADBCAAAA", "Longtec 10mg modified-release tablets", (56,), 0.15, True),
    ("0407020AGBBAAAA", "Palexia SR 50mg tablets", (56,), 0.2, True),
    ("0407020A0AAAAAA", "Fentanyl 12micrograms/hour transdermal patches", (5,), 0.2, True),
    ("0407020A0AAABAB", "Fentanyl 25micrograms/hour transdermal patches", (5, 10), 0.4, True),
    ("0407020A0AAACAC", "Fentanyl 50micrograms/hour transdermal patches", (5, 10), 0.2, True),
    ("0407020A0BBAAAA", "Matrifen 75micrograms/hour transdermal patches", (5,), 0.05, True),
    ("0407020B0AAAQAQ", "Buprenorphine 5micrograms/hour seven day transdermal patches",
     (4,), 0.5, True),
    ("0407020B0BBACAC", "BuTrans 10micrograms/hour transdermal patches", (4,), 0.4, True),
    ("0407020B0BCAAAA", "Butec 20micrograms/hour transdermal patches", (4,), 0.2, True),
    ("0407020B0BDAAAA", "Transtec 35micrograms/hour transdermal patches", (4, 8), 0.05, True),
    ("0407020B0AAAXAX", "Buprenorphine 52.5micrograms/hour transdermal patches",
     (8,), 0.03, True),
    ("0408010G0AAABAB", "Gabapentin 300mg capsules", (100,), 4.0, False),
    ("0408010G0AAACAC", "Gabapentin 600mg tablets", (100,), 1.0, False),
    ("0408010AEAAABAB", "Pregabalin 75mg capsules", (56,), 3.0, False),
    ("0408010AEAAAFAF", "Pregabalin 150mg capsules", (56,), 1.5, False),
    ("0408010AEAAAPAP", "Pregabalin 20mg/ml oral solution sugar free", (473,), 0.05, False),
    ("1001010J0AAADAD", "Ibuprofen 400mg tablets", (24, 84), 3.0, False),
    ("1001010P0AAAEAE", "Naproxen 500mg tablets", (28, 56), 4.0, False),
    ("1001010C0AAACAC", "Diclofenac sodium 50mg gastro-resistant tablets", (28, 84), 0.8, False),
    ("1001010AHAAABAB", "Etoricoxib 60mg tablets", (28,), 0.5, False),
    ("0410030C0AAAAAA", "Methadone 1mg/ml oral solution sugar free", (500,), 0.6, False),
    ("0410030A0AAABAB", "Buprenorphine 8mg sublingual tablets", (28, 7), 0.4, False),
)

FILLER_CHAPTERS = ("0101", "0103", "0205", "0206", "0212", "0301", "0403", "0601",
                   "0602", "0603", "0704", "0906", "1302", "1106", "0501")

#: Opioid prescribing relative to England by NHS region (North East highest).
REGION_OPIOID_EFFECT = {"Y63": 1.45, "Y62": 1.25, "Y60": 1.05, "Y58": 1.0,
                        "Y61": 0.9, "Y59": 0.85, "Y56": 0.65}


#: Synthetic practice names: a place and a kind of practice (40 x 8 unique).
NAME_PLACES = (
    "Riverside", "Park View", "Oakwood", "Castle", "Market Street", "Church Lane",
    "Millbrook", "Hillside", "Valley", "Station Road", "Northgate", "Abbey",
    "Elm Tree", "Westfield", "Priory", "Beacon", "Harbour", "Moorland",
    "Bridge Street", "Greenbank", "Ashfield", "Brookside", "Cedar House",
    "Eastgate", "Fernlea", "Grange", "Heathfield", "Kingsway", "Laurel Bank",
    "Meadowside", "Newbridge", "Orchard", "Queens Road", "Rosewood", "Southview",
    "Thornbury", "Upton", "Willow Tree", "Woodlands", "Yew Tree",
)
NAME_KINDS = (
    "Surgery", "Medical Centre", "Medical Practice", "Health Centre",
    "Family Practice", "Group Practice", "Partnership", "Doctors",
)


def practice_name(index: int) -> str:
    """The ``index``-th synthetic practice's name, in ODS capitals."""
    place = NAME_PLACES[index % len(NAME_PLACES)]
    kind = NAME_KINDS[(index // len(NAME_PLACES)) % len(NAME_KINDS)]
    return f"{place} {kind}".upper()


@dataclass(frozen=True, slots=True)
class Practice:
    code: str
    name: str
    sub_icb: str
    icb: str
    icb_name: str
    region: str
    region_name: str
    list_size: int
    opioid_effect: float


def _read_icbs() -> list[dict[str, str]]:
    with ICBS_CSV.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def make_practices(n: int, rng: np.random.Generator) -> list[Practice]:
    """``n`` synthetic practices spread over the real ICBs."""
    icbs = _read_icbs()
    sub_icbs: dict[str, list[str]] = {}
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
    used: set[str] = set()
    for icb in icbs:
        count = int(rng.integers(1, 5))
        codes: list[str] = []
        while len(codes) < count:
            code = "X" + "".join(rng.choice(list(alphabet), 2))
            if code not in used:
                used.add(code)
                codes.append(code)
        sub_icbs[icb["icb_ods_code"]] = codes
    numbers = rng.choice(90000, size=n, replace=False) + 10000
    letters = rng.choice(list("ABCDEFGHJKLMNP"), size=n)
    sizes = np.clip(rng.lognormal(np.log(9000), 0.55, size=n), 1200, 60000).astype(int)
    practices = []
    for i in range(n):
        icb = icbs[int(rng.integers(len(icbs)))]
        region = icb["nhs_region_code"]
        effect = REGION_OPIOID_EFFECT.get(region, 1.0) * float(rng.lognormal(0, 0.3))
        practices.append(Practice(
            code=f"{letters[i]}{numbers[i]:05d}",
            name=practice_name(i),
            sub_icb=str(rng.choice(sub_icbs[icb["icb_ods_code"]])),
            icb=icb["icb_ods_code"],
            icb_name=icb["icb_name"].upper(),
            region=region,
            region_name=icb["nhs_region_name"].upper(),
            list_size=int(sizes[i]),
            opioid_effect=effect,
        ))
    return practices


def _catalogue(rows_per_practice: int) -> tuple[list[tuple[str, str, float, float, bool]], int]:
    """Flatten the catalogue to one entry per pack size, then add filler."""
    flat = [
        (code, text, float(pack), rate / len(packs), opioid)
        for code, text, packs, rate, opioid in CATALOGUE
        for pack in packs
    ]
    filler = max(0, rows_per_practice - len(flat))
    for i in range(filler):
        chapter = FILLER_CHAPTERS[i % len(FILLER_CHAPTERS)]
        code = f"{chapter}010Z{i:04d}AA"[:15]
        flat.append((code, f"Synthetic presentation {i + 1} 10mg tablets",
                     float((28, 56, 84, 100)[i % 4]), 2.5, False))
    return flat, filler


def write_synthetic(
    out: Path,
    *,
    practices: int,
    months: int,
    seed: int = 1,
    start: str = "2024-01",
    rows_per_practice: int = 150,
    layout: str = layouts.EPD_SNOMED,
    gzip: bool = False,
) -> list[Path]:
    """Write ``months`` EPD files and list-size files to ``out``; return them."""
    rng = np.random.default_rng(seed)
    out.mkdir(parents=True, exist_ok=True)
    people = make_practices(practices, rng)
    flat, _ = _catalogue(rows_per_practice)
    year, month = (int(x) for x in start.split("-"))
    written: list[Path] = []
    for m in range(months):
        y, mo = year + (month - 1 + m) // 12, (month - 1 + m) % 12 + 1
        stamp = f"{y}{mo:02d}"
        drift = 1 + 0.002 * m
        suffix = ".csv.gz" if gzip else ".csv"
        name = {"epd": f"EPD_{stamp}", "epd_snomed": f"EPD_SNOMED_{stamp}",
                "epd_snomed_renamed": f"EPD_SNOMED_{stamp}"}[layout]
        path = out / f"{name}{suffix}"
        _write_epd_month(path, people, flat, rng, stamp, drift, layout)
        written.append(path)
        written.append(_write_list_sizes(out, people, rng, y, mo, drift))
    return written


def write_epraccur(out: Path, *, practices: int, seed: int = 1) -> Path:
    """``epraccur.csv`` for the practices ``write_synthetic`` makes with the
    same ``practices`` and ``seed``: the ODS layout, 27 fields, no heading."""
    out.mkdir(parents=True, exist_ok=True)
    people = make_practices(practices, np.random.default_rng(seed))
    path = out / "epraccur.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL)
        for i, p in enumerate(people):
            row = [""] * 27
            row[0], row[1], row[2], row[3] = p.code, p.name, p.region, p.icb
            row[4], row[7], row[9] = "1 HIGH STREET", "SYNTHETIC TOWN", "ZZ99 3WZ"
            row[10] = f"{1974 + i % 40}0401"
            row[12], row[13], row[14] = "A", "B", p.sub_icb
            row[15], row[23], row[25] = "20220701", p.sub_icb, "4"
            writer.writerow(row)
    return path


def _columns(layout: str) -> list[str]:
    renamed = layout == layouts.EPD_SNOMED_RENAMED
    cols = [
        "YEAR_MONTH", "REGIONAL_OFFICE_NAME", "REGIONAL_OFFICE_CODE", "ICB_NAME",
        "ICB_CODE", "PCO_NAME", "PCO_CODE", "PRACTICE_NAME", "PRACTICE_CODE",
        "ADDRESS_1", "ADDRESS_2", "ADDRESS_3", "ADDRESS_4", "POSTCODE",
        "BNF_CHEMICAL_SUBSTANCE_CODE" if renamed else "BNF_CHEMICAL_SUBSTANCE",
        "BNF_CHEMICAL_SUBSTANCE" if renamed else "CHEMICAL_SUBSTANCE_BNF_DESCR",
        "BNF_PRESENTATION_CODE" if renamed else "BNF_CODE",
        "BNF_PRESENTATION_NAME" if renamed else "BNF_DESCRIPTION",
        "BNF_CHAPTER_PLUS_CODE", "QUANTITY", "ITEMS", "TOTAL_QUANTITY",
        "ADQ_USAGE" if renamed else "ADQUSAGE", "NIC", "ACTUAL_COST", "UNIDENTIFIED",
    ]
    if layout != layouts.EPD:
        cols.append("SNOMED_CODE")
    return cols


def _write_epd_month(
    path: Path,
    people: list[Practice],
    flat: list[tuple[str, str, float, float, bool]],
    rng: np.random.Generator,
    stamp: str,
    drift: float,
    layout: str,
) -> None:
    codes = pa.array([f[0] for f in flat])
    texts = pa.array([f[1] for f in flat])
    packs = np.array([f[2] for f in flat])
    rates = np.array([f[3] for f in flat])
    opioid = np.array([f[4] for f in flat])
    columns = _columns(layout)
    options = pacsv.WriteOptions(include_header=True, quoting_style="needed")
    sink = pa.CompressedOutputStream(str(path), "gzip") if path.suffix == ".gz" else None
    target = sink if sink is not None else str(path)
    schema = pa.schema([(c, pa.string()) for c in columns])
    with pacsv.CSVWriter(target, schema, write_options=options) as writer:
        batch = 250
        for start in range(0, len(people), batch):
            group = people[start:start + batch]
            size = np.array([p.list_size for p in group], dtype=float) * drift
            effect = np.array([p.opioid_effect for p in group])
            expected = size[:, None] / 1000 * rates[None, :]
            expected = np.where(opioid[None, :], expected * effect[:, None], expected)
            items = rng.poisson(expected)
            pi, ci = np.nonzero(items)
            n_items = items[pi, ci]
            # Extra rows: unidentified prescribers and a dummy ...998 code.
            table = _epd_table(group, pi, ci, n_items, codes, texts, packs, stamp,
                               layout, rng)
            writer.write_table(table.cast(schema))
        extra = _excluded_rows(people[0], codes, texts, packs, stamp, layout)
        writer.write_table(extra.cast(schema))
    if sink is not None:
        sink.close()


def _epd_table(
    group: list[Practice],
    pi: np.ndarray,
    ci: np.ndarray,
    n_items: np.ndarray,
    codes: pa.Array,
    texts: pa.Array,
    packs: np.ndarray,
    stamp: str,
    layout: str,
    rng: np.random.Generator,
    practice_codes: list[str] | None = None,
    unidentified: str = "N",
) -> pa.Table:
    n = len(pi)
    idx = pa.array(pi)
    cidx = pa.array(ci)

    def per_practice(values: list[str]) -> pa.Array:
        return pc.take(pa.array(values), idx)

    code_col = pc.take(codes, cidx)
    qty = packs[ci]
    total = qty * n_items
    nic = np.round(total * rng.uniform(0.02, 0.6, size=n), 2)
    blank = pa.nulls(n, pa.string())
    data = {
        "YEAR_MONTH": pa.array(np.full(n, int(stamp))).cast(pa.string()),
        "REGIONAL_OFFICE_NAME": per_practice([p.region_name for p in group]),
        "REGIONAL_OFFICE_CODE": per_practice([p.region for p in group]),
        "ICB_NAME": per_practice([p.icb_name for p in group]),
        "ICB_CODE": per_practice([p.icb for p in group]),
        "PCO_NAME": per_practice([f"{p.icb_name} - {p.sub_icb}" for p in group]),
        "PCO_CODE": per_practice([f"{p.sub_icb}00" for p in group]),
        "PRACTICE_NAME": per_practice([p.name for p in group]),
        "PRACTICE_CODE": per_practice(practice_codes or [p.code for p in group]),
        "ADDRESS_1": per_practice(["1 HIGH STREET"] * len(group)),
        "ADDRESS_2": blank, "ADDRESS_3": blank, "ADDRESS_4": blank,
        "POSTCODE": per_practice(["ZZ99 3WZ"] * len(group)),
        "chem": pc.utf8_slice_codeunits(code_col, 0, 9),
        "chemname": pc.utf8_slice_codeunits(pc.take(texts, cidx), 0, 12),
        "code": code_col,
        "text": pc.take(texts, cidx),
        "BNF_CHAPTER_PLUS_CODE": pc.utf8_slice_codeunits(code_col, 0, 2),
        "QUANTITY": pa.array(qty).cast(pa.string()),
        "ITEMS": pa.array(n_items).cast(pa.string()),
        "TOTAL_QUANTITY": pa.array(total).cast(pa.string()),
        "adq": pa.array(np.round(total / 30, 3)).cast(pa.string()),
        "NIC": pa.array(nic).cast(pa.string()),
        "ACTUAL_COST": pa.array(np.round(nic * 0.93, 2)).cast(pa.string()),
        "UNIDENTIFIED": pa.array([unidentified] * n),
    }
    columns = _columns(layout)
    arrays = list(data.values())
    if layout != layouts.EPD:
        arrays.append(pa.array(np.full(n, 3e16, dtype=np.int64) + ci).cast(pa.string()))
    return pa.table(dict(zip(columns, arrays, strict=True)))


def _excluded_rows(
    practice: Practice,
    codes: pa.Array,
    texts: pa.Array,
    packs: np.ndarray,
    stamp: str,
    layout: str,
) -> pa.Table:
    rng = np.random.default_rng(int(stamp))
    ci = np.arange(min(10, len(packs)))
    pi = np.zeros(len(ci), dtype=int)
    first = _epd_table([practice], pi, ci, np.ones(len(ci), dtype=int), codes, texts,
                       packs, stamp, layout, rng, practice_codes=["-"], unidentified="Y")
    second = _epd_table([practice], pi, ci, np.ones(len(ci), dtype=int), codes, texts,
                        packs, stamp, layout, rng,
                        practice_codes=[practice.code[:3] + "998"])
    return pa.concat_tables([first, second])


def _write_list_sizes(
    out: Path, people: list[Practice], rng: np.random.Generator, y: int, mo: int,
    drift: float,
) -> Path:
    months = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT",
              "NOV", "DEC")
    path = out / f"gp-reg-pat-prac-all-{y}{mo:02d}.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["PUBLICATION", "EXTRACT_DATE", "ORG_TYPE", "ORG_CODE",
                         "ONS_CODE", "POSTCODE", "SEX", "AGE_GROUP_5",
                         "NUMBER_OF_PATIENTS"])
        date = f"01{months[mo - 1]}{y}"
        for p in people:
            size = int(p.list_size * drift * rng.uniform(0.998, 1.002))
            male = int(size * rng.uniform(0.47, 0.52))
            for sex, n in (("ALL", size), ("MALE", male), ("FEMALE", size - male)):
                writer.writerow(["GP_PRAC_PAT_LIST", date, "GP", p.code, "",
                                 "ZZ99 3WZ", sex, "ALL", n])
    return path
