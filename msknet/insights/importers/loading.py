"""From a parsed file to the database: find or plan indicators and areas, fill in
limits, then write every value in one transaction.

`resolve` only reads the database and adds problems; `prepare` reads the saved
values and works out what to create, update and remove; `write` writes that,
inside one transaction, and is only called for a file without problems.
Comparing happens before the transaction so that, on SQLite, a long file
holds the single write lock only while its rows are written
(`msknet.insights.actions.process_import`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils.text import slugify

from msknet.analytics import phe
from msknet.members.models import Network

from ..models import (
    Area,
    AreaType,
    ImportRun,
    Indicator,
    IndicatorValue,
    PeriodType,
    Polarity,
    SourceKind,
    ValueType,
)
from .metadata import known_fingertips_indicators
from .rows import VALUE_FIELDS, IndicatorSpec, ParsedFile, ValueRow, same

#: Areas seeded from the reference geography; a file cannot add to these.
SEEDED_TYPES = {AreaType.ENGLAND, AreaType.REGION, AreaType.ICB}
#: How many updated or removed values the change record lists one by one.
MAX_CHANGE_DETAILS = 500
#: Relative tolerance when checking Value against Count / Denominator.
INFER_TOLERANCE = 0.01
INFERABLE = (
    (ValueType.PROPORTION, 100.0, "%"),
    (ValueType.PROPORTION, 1.0, "proportion"),
    (ValueType.RATE, 1000.0, "per 1,000"),
    (ValueType.RATE, 100000.0, "per 100,000"),
)


@dataclass
class Plan:
    """Everything `apply` needs: resolved objects keyed as the rows name them."""

    kind: str
    rows: list[ValueRow]
    indicators: dict[str, Indicator]  # unsaved when new
    areas: dict[str, Area]  # unsaved when new
    new_areas: list[Area] = field(default_factory=list)


def infer_value_type(rows: list[ValueRow]) -> tuple[str, float, str]:
    """What an unknown Fingertips indicator measures, if its rows prove it.

    Every row with a value, a count and a positive denominator must have
    value = count / denominator × m for the same m (1 % tolerance), and for
    proportions no count above its denominator. Otherwise (a standardised
    rate, say, or no counts at all) the type is "unknown" and no limits are
    ever computed for it.
    """
    checked = [r for r in rows if r.value is not None and r.count is not None
               and r.denominator]
    for value_type, multiplier, unit in INFERABLE if checked else ():
        fits = all(
            abs(r.value - r.count / r.denominator * multiplier)  # type: ignore[operator]
            <= INFER_TOLERANCE * max(abs(r.value), 1e-9)  # type: ignore[arg-type]
            for r in checked
        )
        if fits and (value_type != ValueType.PROPORTION
                     or all(r.count <= r.denominator for r in checked)):  # type: ignore[operator]
            return value_type, multiplier, unit
    return ValueType.UNKNOWN, 1.0, ""


def unique_slug(name: str, taken: set[str]) -> str:
    base = slugify(name)[:70] or "indicator"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def period_type(spec: IndicatorSpec) -> str:
    if len(spec.period_types) == 1 and next(iter(spec.period_types)) in PeriodType.values:
        return next(iter(spec.period_types))
    return PeriodType.OTHER


def resolve_indicators(parsed: ParsedFile, kind: str,
                       network: Network | None = None) -> dict[str, Indicator]:
    """The indicators a file names. A local file names shared indicators or
    its network's own local ones, never another network's."""
    found: dict[str, Indicator] = {}
    if kind == SourceKind.FINGERTIPS:
        ids = [s.fingertips_id for s in parsed.indicators.values()]
        by_id = {i.fingertips_id: i for i in Indicator.objects.filter(fingertips_id__in=ids)}
        for key, spec in parsed.indicators.items():
            if spec.fingertips_id in by_id:
                found[key] = by_id[spec.fingertips_id]
        return found
    keys = list(parsed.indicators)
    by_name = Q()
    for key in keys:
        by_name |= Q(name__iexact=key)
    mine = Q(network__isnull=True) | Q(network=network) if network else Q(
        network__isnull=True)
    known = list(Indicator.objects.filter(mine).filter(Q(slug__in=keys) | by_name))
    for key, spec in parsed.indicators.items():
        matches = [i for i in known if i.slug == key] or [
            i for i in known if i.name.lower() == key.lower()
        ]
        if len(matches) == 1:
            found[key] = matches[0]
        elif len(matches) > 1:
            parsed.problem(spec.first_row, "indicator",
                           f"More than one indicator is called {key!r}: use its slug")
        elif spec.value_type is None:
            parsed.problem(spec.first_row, "indicator",
                           f"msknet has no indicator {key!r}. Use an indicator's slug or "
                           "name, or give value_type (and optionally multiplier, unit "
                           "and polarity) to create it")
    return found


def new_indicators(
    parsed: ParsedFile, kind: str, found: dict[str, Indicator],
    network: Network | None = None,
) -> dict[str, Indicator]:
    """Indicators the file creates: a local file uploaded in a network creates
    that network's own; the rest are shared."""
    taken = set(Indicator.objects.values_list("slug", flat=True))
    made: dict[str, Indicator] = {}
    for key, spec in parsed.indicators.items():
        if key in found or (kind == SourceKind.LOCAL and spec.value_type is None):
            continue
        polarity, method = spec.polarity or Polarity.NO_JUDGEMENT, ""
        known = (known_fingertips_indicators().get(spec.fingertips_id)  # type: ignore[arg-type]
                 if kind == SourceKind.FINGERTIPS else None)
        if known is not None:
            # Fingertips exports carry no metadata: use what msknet ships.
            value_type, multiplier, unit = known.value_type, known.multiplier, known.unit
            polarity, method, source = known.polarity, known.method, known.source
        elif kind == SourceKind.FINGERTIPS:
            value_type, multiplier, unit = infer_value_type(
                [r for r in parsed.rows if r.indicator_key == key]
            )
            source = "Fingertips (OHID), imported from an indicator-data file"
        else:
            value_type = spec.value_type or ValueType.UNKNOWN
            multiplier = spec.multiplier or {"proportion": 100.0, "rate": 100000.0}.get(
                value_type, 1.0
            )
            unit = spec.unit or ("%" if value_type == ValueType.PROPORTION
                                 and multiplier == 100 else
                                 f"per {multiplier:,.0f}" if value_type == ValueType.RATE
                                 else "")
            source = "Local figures, imported from a CSV file"
        made[key] = Indicator(
            fingertips_id=spec.fingertips_id,
            name=spec.name,
            slug=unique_slug(spec.name, taken),
            value_type=value_type,
            multiplier=multiplier,
            unit=unit,
            polarity=polarity,
            source=source,
            method=method,
            period_type=period_type(spec),
            network=network if kind == SourceKind.LOCAL else None,
        )
    return made


def area_lookup(codes: set[str]) -> dict[str, Area]:
    """Areas by code, also by ICB ODS code and NHS region Y-code (local files)."""
    areas = Area.objects.filter(
        Q(code__in=codes) | Q(icb__ods_code__in=codes) | Q(region__code__in=codes)
    ).select_related("icb", "region")
    found: dict[str, Area] = {}
    for area in areas:
        for alias in (area.code, area.icb and area.icb.ods_code,
                      area.region and area.region.code):
            if alias in codes:
                found[alias] = area
    return found


def resolve_areas(parsed: ParsedFile, kind: str) -> tuple[dict[str, Area], list[Area]]:
    codes = {r.area_code for r in parsed.rows}
    if kind == SourceKind.FINGERTIPS:
        codes |= {s.parent_code for s in parsed.areas.values() if s.parent_code}
    found = area_lookup(codes)
    new: dict[str, Area] = {}
    if kind == SourceKind.FINGERTIPS:
        for code, spec in parsed.areas.items():
            if code in found:
                if found[code].area_type != spec.area_type:
                    parsed.problem(spec.first_row, "Area Type",
                                   f"msknet lists {code} as "
                                   f"{found[code].get_area_type_display()}, not "
                                   f"{AreaType(spec.area_type).label}")
            elif spec.area_type not in SEEDED_TYPES:
                new[code] = Area(code=code, name=spec.name, area_type=spec.area_type)
        for code, area in new.items():
            parent_code = parsed.areas[code].parent_code
            parent = found.get(parent_code) or new.get(parent_code)
            if parent_code and parent is None:
                parsed.problem(parsed.areas[code].first_row, "Parent Code",
                               f"msknet does not know the parent area {parent_code}")
            area.parent = parent
    for row in parsed.rows:
        if row.area_code not in found and row.area_code not in new:
            field_name = "Area Code" if kind == SourceKind.FINGERTIPS else "area_code"
            parsed.problem(row.row, field_name,
                           f"msknet does not know the area {row.area_code}: use the ONS "
                           "code of England, an NHS region or an ICB (or an ICB's ODS "
                           "code)")
    return {**found, **new}, list(new.values())


def computes_limits(indicator: Indicator) -> bool:
    """Whether msknet computes the indicator's limits from count and denominator.

    Proportions (Wilson) and crude rates (exact or Byar's) only: a directly
    standardised rate's limits need its age-specific counts, so they are only
    ever taken as the source gives them.
    """
    return indicator.value_type in (ValueType.PROPORTION, ValueType.RATE) and (
        "standardised" not in indicator.method.lower()
    )


@dataclass(frozen=True)
class Limits:
    value: float
    lower_95: float
    upper_95: float
    lower_998: float
    upper_998: float


def limits_from_counts(indicator: Indicator, count: float, denominator: float) -> Limits:
    """The value and its 95% and 99.8% limits; the caller has checked that the
    indicator `computes_limits`, the denominator is positive and, for a
    proportion, the count is no more than the denominator."""
    if indicator.value_type == ValueType.PROPORTION:
        estimate = phe.proportion(count, denominator, confidence=(0.95, 0.998),
                                  multiplier=indicator.multiplier)
    else:
        estimate = phe.rate(count, denominator, confidence=(0.95, 0.998),
                            multiplier=indicator.multiplier)
    lower: Any = estimate.lower
    upper: Any = estimate.upper
    return Limits(value=float(estimate.value),  # type: ignore[arg-type]
                  lower_95=lower[0], lower_998=lower[1],
                  upper_95=upper[0], upper_998=upper[1])


def counts_problem(indicator: Indicator, count: float, denominator: float
                   ) -> tuple[str, str] | None:
    """("count" or "denominator", what is wrong) when limits cannot be computed."""
    if denominator <= 0:
        return "denominator", "The denominator must be more than 0 to compute limits"
    if indicator.value_type == ValueType.PROPORTION and count > denominator:
        return "count", (f"The count ({count:g}) is more than the denominator "
                         f"({denominator:g})")
    return None


def fill_limits(parsed: ParsedFile, indicators: dict[str, Indicator], kind: str) -> None:
    """Compute values and limits from count and denominator where they are missing."""
    field_names = (
        {"count": "Count", "denominator": "Denominator"}
        if kind == SourceKind.FINGERTIPS else {"count": "count", "denominator": "denominator"}
    )
    for row in parsed.rows:
        indicator = indicators.get(row.indicator_key)
        if indicator is None or row.count is None or row.denominator is None:
            continue
        if not computes_limits(indicator):
            continue
        if row.lower_95 is not None and row.upper_95 is not None:
            continue
        if row.value is None and kind == SourceKind.FINGERTIPS:
            continue  # suppressed in the source: keep it suppressed
        problem = counts_problem(indicator, row.count, row.denominator)
        if problem is not None:
            parsed.problem(row.row, field_names[problem[0]], problem[1])
            continue
        limits = limits_from_counts(indicator, row.count, row.denominator)
        if row.value is None:
            row.value = limits.value
        row.lower_95, row.lower_998 = limits.lower_95, limits.lower_998
        row.upper_95, row.upper_998 = limits.upper_95, limits.upper_998
        row.limits_computed = True


def fill_saved_limits(indicator: Indicator) -> tuple[int, int]:
    """Compute the missing limits of an indicator's saved values, as an import
    would have had it known the value type; (filled, left) where `left` counts
    values whose counts cannot give limits (a count above its denominator, say).

    Values without a value stay as they are: a blank Fingertips value is
    suppressed, and stays suppressed. Call inside a transaction.
    """
    if not computes_limits(indicator):
        return 0, 0
    missing = indicator.values.filter(
        Q(lower_95__isnull=True) | Q(upper_95__isnull=True),
        value__isnull=False, count__isnull=False, denominator__isnull=False,
    )
    filled: list[IndicatorValue] = []
    left = 0
    for saved in missing.iterator(chunk_size=2000):
        assert saved.count is not None and saved.denominator is not None
        if counts_problem(indicator, saved.count, saved.denominator) is not None:
            left += 1
            continue
        limits = limits_from_counts(indicator, saved.count, saved.denominator)
        saved.lower_95, saved.lower_998 = limits.lower_95, limits.lower_998
        saved.upper_95, saved.upper_998 = limits.upper_95, limits.upper_998
        saved.limits_computed = True
        filled.append(saved)
    IndicatorValue.objects.bulk_update(
        filled, ["lower_95", "upper_95", "lower_998", "upper_998", "limits_computed"],
        batch_size=500,
    )
    return len(filled), left


def resolve(parsed: ParsedFile, kind: str, network: Network | None = None
            ) -> Plan | None:
    """The plan for a parsed file (uploaded in `network`, or from the command
    line), or None with its problems recorded."""
    if parsed.problems:
        return None
    found = resolve_indicators(parsed, kind, network)
    indicators = {**found, **new_indicators(parsed, kind, found, network)}
    areas, new_areas = resolve_areas(parsed, kind)
    fill_limits(parsed, indicators, kind)
    if parsed.problems:
        parsed.problems.sort(key=lambda p: (p.row or 0))
        return None
    return Plan(kind=kind, rows=parsed.rows, indicators=indicators, areas=areas,
                new_areas=new_areas)


# -- writing ----------------------------------------------------------------


def describe(value: IndicatorValue | ValueRow, area_code: str) -> dict[str, str]:
    return {"area": area_code, "sex": value.sex, "age": value.age,
            "category_type": value.category_type, "category": value.category}


def save_new_areas(plan: Plan) -> None:
    pending = list(plan.new_areas)
    while pending:  # parents before children
        ready = [a for a in pending if a.parent is None or a.parent.pk is not None]
        if not ready:
            raise ValueError("The new areas' parents form a loop")
        for area in ready:
            area.save()
            pending.remove(area)


#: Rows per INSERT or UPDATE statement while writing.
WRITE_BATCH = 500


@dataclass
class Writes:
    """What `prepare` found to write, and what it read to find it."""

    creates: list[IndicatorValue]
    updates: list[IndicatorValue]
    removes: list[int]
    record: list[dict[str, Any]]
    counts: dict[str, int]
    seen: frozenset[tuple[int, int | None]]  # (pk, import run) of values read


def prepare(plan: Plan, run: ImportRun) -> Writes:
    """Compare the plan with the saved values (reads only: call it outside the
    writing transaction, so a long file holds no write lock while compared)."""
    by_scope: dict[tuple[Any, ...], list[ValueRow]] = defaultdict(list)
    for row in plan.rows:
        by_scope[scope_of(plan, row)].append(row)
    seen = saved_versions(plan)  # before reading them: a change between shows
    existing = existing_values(plan, set(by_scope))
    counts = {"created": 0, "updated": 0, "unchanged": 0, "removed": 0}
    creates: list[IndicatorValue] = []
    updates: list[IndicatorValue] = []
    removes: list[int] = []
    record: list[dict[str, Any]] = []
    details = 0
    for scope, rows in sorted(by_scope.items(), key=lambda item: scope_sort(plan, item)):
        current = existing.pop(scope, {})
        entry = scope_entry(plan, scope, rows[0])
        for row in rows:
            indicator = plan.indicators[row.indicator_key]
            area = plan.areas[row.area_code]
            key = (area.code, row.period, row.sex, row.age, row.category_type,
                   row.category)
            old = current.pop(key, None)
            if old is None:
                creates.append(IndicatorValue(
                    indicator=indicator, area=area, period=row.period,
                    period_sortable=row.period_sortable, period_start=row.period_start,
                    period_end=row.period_end, sex=row.sex, age=row.age,
                    category_type=row.category_type, category=row.category,
                    limits_computed=row.limits_computed, import_run=run,
                    **{f: getattr(row, f) for f in VALUE_FIELDS},
                ))
                entry["created"] += 1
                continue
            changed = {f: [getattr(old, f), getattr(row, f)] for f in VALUE_FIELDS
                       if not same(getattr(old, f), getattr(row, f))}
            if not changed:
                entry["unchanged"] += 1
                continue
            for f in VALUE_FIELDS:
                setattr(old, f, getattr(row, f))
            old.limits_computed = row.limits_computed
            old.import_run = run
            updates.append(old)
            entry["updated"] += 1
            if details < MAX_CHANGE_DETAILS:
                entry["changes"].append({**describe(row, area.code), "fields": changed})
                details += 1
        for gone in current.values():
            removes.append(gone.pk)
            entry["removed"] += 1
            if details < MAX_CHANGE_DETAILS:
                entry["changes"].append({**describe(gone, gone.area.code), "removed": {
                    f: getattr(gone, f) for f in VALUE_FIELDS}})
                details += 1
        for name in counts:
            counts[name] += entry[name]
        record.append(entry)
    return Writes(creates=creates, updates=updates, removes=removes, record=record,
                  counts=counts, seen=seen)


def saved_versions(plan: Plan) -> frozenset[tuple[int, int | None]]:
    """(pk, import run) of every saved value of the file's indicators and
    periods: any import that adds, changes (setting its run) or removes one
    changes this."""
    indicator_ids = [i.pk for i in plan.indicators.values() if i.pk is not None]
    periods = {row.period for row in plan.rows}
    return frozenset(IndicatorValue.objects.filter(
        indicator_id__in=indicator_ids, period__in=periods,
    ).values_list("pk", "import_run_id"))


def unchanged_since(plan: Plan, writes: Writes) -> bool:
    """Whether the values `prepare` read are still as it read them."""
    return saved_versions(plan) == writes.seen


def write(plan: Plan, writes: Writes, run: ImportRun) -> dict[str, int]:
    """Write what `prepare` found (call inside a transaction); fills run's counts.

    Only batched INSERT, UPDATE and DELETE statements run here, so the write
    lock is held for as short a time as the file's changes allow.
    """
    for indicator in plan.indicators.values():
        if indicator.pk is None:
            indicator.save()
    save_new_areas(plan)
    IndicatorValue.objects.bulk_create(writes.creates, batch_size=WRITE_BATCH)
    IndicatorValue.objects.bulk_update(
        writes.updates, [*VALUE_FIELDS, "limits_computed", "import_run"],
        batch_size=WRITE_BATCH,
    )
    for start in range(0, len(writes.removes), WRITE_BATCH):
        IndicatorValue.objects.filter(
            pk__in=writes.removes[start:start + WRITE_BATCH]).delete()
    run.rows_created = writes.counts["created"]
    run.rows_updated = writes.counts["updated"]
    run.rows_unchanged = writes.counts["unchanged"]
    run.rows_removed = writes.counts["removed"]
    run.changes = writes.record
    return writes.counts


def scope_of(plan: Plan, row: ValueRow) -> tuple[Any, ...]:
    """What a file's rows replace: a Fingertips file its indicator × area type ×
    period; a local file its indicator × area × period."""
    indicator = plan.indicators[row.indicator_key]
    area = plan.areas[row.area_code]
    where = area.area_type if plan.kind == SourceKind.FINGERTIPS else area.code
    # By slug and area code: new indicators and areas have no pk until written.
    return (indicator.slug, where, row.period)


def scope_sort(plan: Plan, item: tuple[tuple[Any, ...], list[ValueRow]]) -> tuple[Any, ...]:
    scope, rows = item
    return (scope[0], str(scope[1]), rows[0].period_sortable)


def scope_entry(plan: Plan, scope: tuple[Any, ...], row: ValueRow) -> dict[str, Any]:
    indicator = plan.indicators[row.indicator_key]
    area = plan.areas[row.area_code]
    entry: dict[str, Any] = {
        "indicator": indicator.name,
        "indicator_slug": indicator.slug,
        "period": row.period,
        "created": 0, "updated": 0, "unchanged": 0, "removed": 0,
        "changes": [],
    }
    if plan.kind == SourceKind.FINGERTIPS:
        entry["area_type"] = area.area_type
    else:
        entry["area"] = area.code
    return entry


def existing_values(
    plan: Plan, scopes: set[tuple[Any, ...]]
) -> dict[tuple[Any, ...], dict[tuple[Any, ...], IndicatorValue]]:
    slugs = {i.pk: i.slug for i in plan.indicators.values() if i.pk is not None}
    periods = {s[2] for s in scopes}
    found: dict[tuple[Any, ...], dict[tuple[Any, ...], IndicatorValue]] = defaultdict(dict)
    values = IndicatorValue.objects.filter(
        indicator_id__in=slugs, period__in=periods
    ).select_related("area")
    for value in values.iterator(chunk_size=2000):
        where = (value.area.area_type if plan.kind == SourceKind.FINGERTIPS
                 else value.area.code)
        scope = (slugs[value.indicator_id], where, value.period)
        if scope in scopes:
            key = (value.area.code, value.period, value.sex, value.age,
                   value.category_type, value.category)
            found[scope][key] = value
    return found
