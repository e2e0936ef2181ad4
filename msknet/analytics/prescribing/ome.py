"""Oral morphine equivalence (OME) of BNF presentations.

Each presentation gets ``ome_mg_per_unit``: mg of oral morphine in one unit of
EPD ``TOTAL_QUANTITY`` (a tablet, capsule, suppository, ampoule, patch, spray
dose, or one ml of a liquid), and ``daily_ome_mg`` for regular long-acting
presentations (the dose a day implied by taking them as labelled). Strengths
come from a dm+d extract when one is supplied (:func:`load_dmd_extract`),
otherwise from the BNF description. The method and its deviations from
OpenPrescribing are in ``docs/methods/prescribing-ome.md``.

    >>> p = presentation_strength("0407020Q0AAAAAA", "Morphine sulfate 10mg/5ml oral solution")
    >>> p.substance, p.route, p.mg_per_unit, p.ome_mg_per_unit
    ('Morphine sulfate', 'oral', 2.0, 2.0)
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

#: BNF chemical-substance code (9 characters) -> dm+d substance name in the
#: OME table. Combination products count only their opioid (first strength).
CHEMICAL_SUBSTANCES: dict[str, str] = {
    "0407010F0": "Codeine phosphate",  # co-codamol
    "0407010N0": "Dihydrocodeine tartrate",  # co-dydramol
    "0407010Q0": "Dextropropoxyphene",  # co-proxamol
    "0407020A0": "Fentanyl",
    "0407020B0": "Buprenorphine",
    "0407020C0": "Codeine phosphate",
    "0407020G0": "Dihydrocodeine tartrate",
    "0407020K0": "Diamorphine hydrochloride",
    "0407020L0": "Meptazinol",
    "0407020M0": "Methadone hydrochloride",
    "0407020Q0": "Morphine sulfate",
    "0407020AD": "Oxycodone hydrochloride",
    "0407020AF": "Oxycodone hydrochloride",  # oxycodone/naloxone
    "0407020AG": "Tapentadol",
    "040702040": "Tramadol hydrochloride",
}

#: Fallback by name in the description, for chemical codes not listed above.
KEYWORD_SUBSTANCES: tuple[tuple[str, str], ...] = (
    ("hydromorphone", "Hydromorphone hydrochloride"),
    ("pethidine", "Pethidine hydrochloride"),
    ("pentazocine", "Pentazocine hydrochloride"),
    ("dipipanone", "Dipipanone hydrochloride"),
    ("papaveretum", "Papaveretum"),
    ("alfentanil", "Alfentanil"),
    ("nalbuphine", "Nalbuphine hydrochloride"),
    ("dextromoramide", "Dextromoramide"),
    ("oxycodone", "Oxycodone hydrochloride"),
    ("tapentadol", "Tapentadol"),
    ("tramadol", "Tramadol hydrochloride"),
    ("dihydrocodeine", "Dihydrocodeine tartrate"),
    ("co-dydramol", "Dihydrocodeine tartrate"),
    ("co-codamol", "Codeine phosphate"),
    ("codeine", "Codeine phosphate"),
    ("diamorphine", "Diamorphine hydrochloride"),
    ("morphine", "Morphine sulfate"),
    ("fentanyl", "Fentanyl"),
    ("buprenorphine", "Buprenorphine"),
    ("methadone", "Methadone hydrochloride"),
    ("meptazinol", "Meptazinol"),
)

#: Substances whose table rows use a base-substance name.
_BASE_NAMES = {
    "Pentazocine hydrochloride": {"injection": "Pentazocine", "rectal": "Pentazocine"},
}

#: Hours one patch delivers its hourly strength (Opioids Aware; OpenPrescribing).
FENTANYL_PATCH_HOURS = 72.0
BUPRENORPHINE_7_DAY = frozenset({5.0, 10.0, 15.0, 20.0})
BUPRENORPHINE_96_HOUR = frozenset({35.0, 52.5, 70.0})

_LIQUID = re.compile(
    r"oral solution|oral suspension|liquid|linctus|syrup|oral drops|mixture|elixir"
)
_MR = re.compile(
    r"modified[- ]release|prolonged[- ]release|continus|\bmxl\b|\bsr\b|\bxl\b"
    r"|\bcr\b|retard|24 ?hr|24 hour|once daily|12 ?hour|onexila"
)
_ONCE_DAILY = re.compile(r"\bmxl\b|\bxl\b|24 ?hr|24 hour|once daily|onexila")
_STRENGTH = re.compile(
    r"(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>mg|micrograms?|mcg|g)\b"
    r"(?:\s*/\s*(?P<den>\d+(?:\.\d+)?)?\s*(?P<dunit>ml|hour|hr|h|dose|mg|micrograms?|g)\b)?"
)
_UNIT_MG = {"mg": 1.0, "microgram": 0.001, "micrograms": 0.001, "mcg": 0.001, "g": 1000.0}


@dataclass(frozen=True, slots=True)
class OMEFactor:
    """One row of the OME table: mg oral morphine per mg of substance."""

    substance: str
    route: str
    multiplier: float


@dataclass(frozen=True, slots=True)
class Presentation:
    """How much opioid one unit of a presentation holds, and its OME.

    ``mg_per_unit`` is mg of opioid per unit of TOTAL_QUANTITY; for patches it
    is the mg delivered over one patch's wear time. ``problem`` says why a
    field is None.
    """

    bnf_code: str
    description: str
    substance: str | None
    route: str | None
    mg_per_unit: float | None
    ome_mg_per_unit: float | None
    daily_ome_mg: float | None
    long_acting: bool
    source: str
    problem: str | None = None


@cache
def ome_factors() -> dict[tuple[str, str], float]:
    """The OME multipliers of ``data/opioid_ome.csv`` by (substance, route)."""
    text = (
        resources.files("msknet.analytics.prescribing")
        .joinpath("data/opioid_ome.csv")
        .read_text(encoding="utf-8")
    )
    return {
        (row["substance_name"], row["route_form"]): float(row["ome_multiplier"])
        for row in csv.DictReader(text.splitlines())
    }


@cache
def ome_factors_by_code() -> dict[tuple[str, str], float]:
    """The OME multipliers by (dm+d substance code, route), for dm+d extracts."""
    text = (
        resources.files("msknet.analytics.prescribing")
        .joinpath("data/opioid_ome.csv")
        .read_text(encoding="utf-8")
    )
    return {
        (row["dmd_substance_code"], row["route_form"]): float(row["ome_multiplier"])
        for row in csv.DictReader(text.splitlines())
    }


def substance_of(bnf_code: str, description: str) -> str | None:
    """The opioid a presentation contains, by BNF chemical code then by name."""
    known = CHEMICAL_SUBSTANCES.get(bnf_code[:9])
    if known:
        return known
    lower = description.lower()
    for word, name in KEYWORD_SUBSTANCES:
        if word in lower:
            return name
    return None


def route_of(description: str) -> str:
    """The OME table's simplified route for a BNF description."""
    lower = description.lower()
    if "patch" in lower or "transdermal" in lower:
        return "transdermal"
    if "injection" in lower or "infusion" in lower:
        return "injection"
    if "suppositor" in lower:
        return "rectal"
    if "nasal" in lower:
        return "nasal"
    if "buccal" in lower:
        return "buccal"
    if "sublingual" in lower or "lozenge" in lower or "oromucosal" in lower:
        # dm+d calls these tablet.sublingual; the table has no sublingual row,
        # so they take the oromucosal factor (a documented deviation).
        return "oromucosal"
    return "oral"


def _factor(substance: str, route: str) -> float | None:
    name = _BASE_NAMES.get(substance, {}).get(route, substance)
    return ome_factors().get((name, route))


def patch_hours(substance: str, mcg_per_hour: float) -> float | None:
    """Wear time in hours of one patch, or None when no rule covers it."""
    if substance == "Fentanyl":
        return FENTANYL_PATCH_HOURS
    if substance == "Buprenorphine":
        if mcg_per_hour in BUPRENORPHINE_7_DAY:
            return 168.0
        if mcg_per_hour in BUPRENORPHINE_96_HOUR:
            return 96.0
    return None


def parse_strength(description: str, route: str) -> tuple[float | None, str | None]:
    """mg of the first-named ingredient per unit of quantity, from the text.

    Returns ``(mg, basis)`` where basis is ``"unit"``, ``"ml"``, ``"hour"`` or
    ``"dose"``; ``(None, None)`` when the text gives no usable strength.
    """
    lower = description.lower()
    match = _STRENGTH.search(lower)
    if match is None:
        return None, None
    mg = float(match["num"]) * _UNIT_MG[match["unit"]]
    dunit = match["dunit"]
    den = float(match["den"]) if match["den"] else 1.0
    if dunit in ("hour", "hr", "h"):
        return mg / den, "hour"
    if dunit == "dose":
        return mg, "dose"
    if dunit == "ml":
        if route == "injection" and match["den"]:
            # "10mg/1ml solution for injection ampoules": one ampoule of den ml.
            return mg, "unit"
        if route == "injection":
            return None, None  # mg/ml without a unit-dose size needs dm+d
        return mg / den, "ml"
    if _LIQUID.search(lower) and dunit is None:
        return None, None  # a liquid without a per-ml strength
    return mg, "unit"


def presentation_strength(
    bnf_code: str,
    description: str,
    dmd: Mapping[str, list[DmdIngredient]] | None = None,
) -> Presentation:
    """The opioid content and OME of one presentation."""
    if dmd is not None and bnf_code in dmd:
        return _from_dmd(bnf_code, description, dmd[bnf_code])
    substance = substance_of(bnf_code, description)
    route = route_of(description)
    lower = description.lower()
    long_acting = route == "transdermal" or (route == "oral" and bool(_MR.search(lower)))

    def fail(problem: str) -> Presentation:
        return Presentation(
            bnf_code, description, substance, route, None, None, None,
            long_acting, "description", problem,
        )

    if substance is None:
        return fail("no opioid named by BNF code or description")
    factor = _factor(substance, route)
    if factor is None:
        return fail(f"no OME factor for {substance} ({route})")
    mg, basis = parse_strength(description, route)
    if mg is None or basis is None:
        return fail("no strength in the description")
    daily: float | None = None
    if basis == "hour":
        hours = patch_hours(substance, mg * 1000)
        if hours is None:
            return fail(f"no patch rule for {substance} {mg * 1000:g} micrograms/hour")
        daily = mg * 24 * factor
        mg = mg * hours
    elif long_acting:
        daily = mg * factor * (1 if _ONCE_DAILY.search(lower) else 2)
    return Presentation(
        bnf_code, description, substance, route, mg, mg * factor,
        None if daily is None else round(daily, 9), long_acting, "description",
    )


def plain_strength(description: str) -> float | None:
    """mg per unit (tablet, capsule, ml) of a single-ingredient presentation.

    Used for the gabapentinoid mg measures.
    """
    mg, basis = parse_strength(description, route_of(description))
    return mg if basis in ("unit", "ml") else None


# --- dm+d extracts -------------------------------------------------------

DMD_COLUMNS = (
    "bnf_code",
    "substance_code",
    "route",
    "strength_numerator_mg",
    "strength_denominator",
    "strength_denominator_unit",
    "udfs",
)


@dataclass(frozen=True, slots=True)
class DmdIngredient:
    """One VMP ingredient strength (dm+d VPI), flattened.

    ``substance_code`` is ``COALESCE(BS_SUBID, ISID)``; ``route`` the
    simplified route of the VMP's form (``tablet.oral`` -> ``oral``);
    ``strength_denominator_unit`` is ``ml``, ``hour`` or empty; ``udfs`` the
    unit-dose form size (ml per ampoule) for injections.
    """

    substance_code: str
    route: str
    strength_numerator_mg: float
    strength_denominator: float | None
    strength_denominator_unit: str
    udfs: float | None


def generic_bnf_code(bnf_code: str) -> str:
    """The generic-equivalent BNF code (OpenPrescribing's VMP mapping)."""
    if len(bnf_code) != 15:
        return bnf_code
    return bnf_code[:9] + "AA" + bnf_code[-2:] + bnf_code[-2:]


def load_dmd_extract(path: Path) -> dict[str, list[DmdIngredient]]:
    """Read a flattened dm+d VPI extract (CSV with :data:`DMD_COLUMNS`).

    Keys are generic BNF codes; a branded presentation is looked up by its
    generic code, as OpenPrescribing does.
    """
    out: dict[str, list[DmdIngredient]] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in DMD_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{path}: missing dm+d column(s): {', '.join(missing)}")
        for row in reader:
            out.setdefault(generic_bnf_code(row["bnf_code"].strip()), []).append(
                DmdIngredient(
                    substance_code=row["substance_code"].strip(),
                    route=row["route"].strip(),
                    strength_numerator_mg=float(row["strength_numerator_mg"]),
                    strength_denominator=_optional(row["strength_denominator"]),
                    strength_denominator_unit=row["strength_denominator_unit"].strip(),
                    udfs=_optional(row["udfs"]),
                )
            )
    return out


class _DmdLookup(dict[str, list[DmdIngredient]]):
    """dm+d ingredients looked up by generic BNF code."""

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and super().__contains__(generic_bnf_code(key))

    def __getitem__(self, key: str) -> list[DmdIngredient]:
        return super().__getitem__(generic_bnf_code(key))


def dmd_lookup(extract: Mapping[str, list[DmdIngredient]]) -> _DmdLookup:
    """Wrap a loaded extract so branded codes find their generic VMP."""
    return _DmdLookup(extract)


def _optional(text: str | None) -> float | None:
    text = (text or "").strip()
    return float(text) if text else None


def _from_dmd(bnf_code: str, description: str, ingredients: list[DmdIngredient]) -> Presentation:
    factors = ome_factors_by_code()
    lower = description.lower()
    total_mg = 0.0
    total_ome = 0.0
    daily = 0.0
    matched = False
    route = ingredients[0].route if ingredients else None
    long_acting = route == "transdermal" or (route == "oral" and bool(_MR.search(lower)))
    for ing in ingredients:
        factor = factors.get((ing.substance_code, ing.route))
        if factor is None:
            continue  # e.g. paracetamol in co-codamol
        matched = True
        mg = ing.strength_numerator_mg
        unit = ing.strength_denominator_unit
        if unit == "hour":
            per_hour = mg / (ing.strength_denominator or 1.0)
            name = "Fentanyl" if ing.substance_code == "373492002" else "Buprenorphine"
            hours = patch_hours(name, round(per_hour * 1000, 6))
            if hours is None:
                continue
            mg = per_hour * hours
            daily += per_hour * 24 * factor
        elif unit == "ml":
            mg = mg / (ing.strength_denominator or 1.0)
            if ing.route == "injection":
                mg *= ing.udfs or 1.0
        elif long_acting:
            daily += mg * factor * (1 if _ONCE_DAILY.search(lower) else 2)
        total_mg += mg
        total_ome += mg * factor
    if not matched:
        return Presentation(
            bnf_code, description, None, route, None, None, None, long_acting, "dmd",
            "no dm+d ingredient in the OME table",
        )
    return Presentation(
        bnf_code, description, None, route, total_mg, total_ome,
        round(daily, 9) if long_acting else None, long_acting, "dmd",
    )


def classify(
    presentations: Iterable[tuple[str, str]],
    dmd: Mapping[str, list[DmdIngredient]] | None = None,
) -> list[Presentation]:
    """:func:`presentation_strength` for each ``(bnf_code, description)``."""
    lookup = dmd_lookup(dmd) if dmd is not None else None
    return [presentation_strength(code, text, lookup) for code, text in presentations]
