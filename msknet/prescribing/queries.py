"""What the prescribing pages read: the Parquet store, through the engine.

Nothing is cached between requests: each page runs its measure once over the
store (one DuckDB pass over the practice rows, rolled up to the levels it
needs), so a new import shows on the next visit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings

from msknet.analytics import prescribing as rx
from msknet.analytics import spc
from msknet.analytics.prescribing import practices as rx_practices
from msknet.analytics.prescribing.engine import aggregate
from msknet.members.models import ICB, Network

#: The levels with measure pages, and what each organisation is called.
LEVELS = {
    "icb": "integrated care board",
    "sub_icb": "sub-ICB location",
    "practice": "practice",
}
ENGLAND = "E92000001"
OVERVIEW_MEASURE = "opioid_ome"
#: Fewer monthly values than this give no useful process limits.
SPC_MIN_POINTS = 12
#: The percentile each practice is compared with for its potential reduction.
TARGET_PERCENTILE = 10.0
REDUCTIONS_SHOWN = 50


def store() -> rx.Store:
    """The site's prescribing store: ``$MSKNET_DATA_DIR/prescribing``."""
    return rx.Store(Path(settings.DATA_DIR) / "prescribing")


def has_data(s: rx.Store) -> bool:
    """Whether the store holds prescribing months and list sizes to measure."""
    return bool(s.months("epd")) and bool(s.months("list_sizes"))


def month_date(month: str) -> date:
    year, mo = month.split("-")
    return date(int(year), int(mo), 1)


@dataclass(frozen=True)
class Levels:
    """One measure over the whole store, at the levels a page needs."""

    measure: rx.Measure
    practices: Any  # pyarrow table from practice_values: with parent codes
    results: dict[str, rx.MeasureResult]


def measure_levels(s: rx.Store, measure: rx.Measure, levels: tuple[str, ...]) -> Levels:
    practices, unvalued = rx.practice_values(s, measure)
    results = {
        level: rx.MeasureResult(measure, level, aggregate(practices, measure, level),
                                unvalued)
        for level in levels
    }
    return Levels(measure, practices, results)


def icb_names(codes: set[str] | list[str]) -> dict[str, str]:
    return dict(ICB.objects.filter(ods_code__in=list(codes)).values_list("ods_code", "name"))


def practice_names(s: rx.Store) -> dict[str, str]:
    """Practice names by code, from the ODS practice file loaded into the store
    (``msknet prescribing practices``); empty if none was loaded."""
    return rx_practices.practice_names(s)


def practice_label(code: str, names: dict[str, str]) -> str:
    """"Name (CODE)", or the code alone for a practice without a known name."""
    return f"{names[code]} ({code})" if code in names else code


def org_name(level: str, code: str, practices: dict[str, str] | None = None) -> str:
    if level == "icb":
        return icb_names([code]).get(code, code)
    if level == "sub_icb":
        return f"Sub-ICB location {code}"
    return (practices or {}).get(code, f"Practice {code}")


def network_icbs(network: Network) -> list[ICB]:
    return list(network.icbs.order_by("name"))


# The measure page ---------------------------------------------------------------

@dataclass(frozen=True)
class MonthRow:
    month: str
    numerator: float
    denominator: float
    value: float | None
    deciles: dict[str, float | None]  # p10 ... p90 of the level in England


@dataclass
class MeasurePage:
    measure: rx.Measure
    level: str
    org_code: str
    org_name: str
    parent_icb: str | None
    series: list[MonthRow]
    xmr: spc.XmRChart | None
    xmr_months: list[str]
    funnel: list[rx.FunnelPoint]
    funnel_month: str | None
    funnel_baseline: float | None
    latest: MonthRow | None
    funnel_dispersion: Any = None  # phe.Overdispersion, or None
    funnel_tau2: float = 0.0
    """Between-organisation variance the funnel limits add; 0 for Poisson limits."""

    @property
    def funnel_adjusted(self) -> bool:
        """Whether the funnel's limits are widened for over-dispersion."""
        return self.funnel_tau2 > 0


DECILES = tuple(f"p{p}" for p in range(10, 100, 10))


def measure_page(s: rx.Store, measure: rx.Measure, level: str, org_code: str
                 ) -> MeasurePage | None:
    """The organisation's figures, or None if the store has no such organisation."""
    levels = measure_levels(s, measure, (level,))
    result = levels.results[level]
    own = [r for r in result.to_records() if r["org_code"] == org_code]
    if not own:
        return None
    by_month = {row["month"]: row for row in rx.deciles(result).to_pylist()}
    series = [
        MonthRow(r["month"], r["numerator"], r["denominator"], r["value"],
                 {d: by_month.get(r["month"], {}).get(d) for d in DECILES})
        for r in own
    ]
    valued = [r for r in series if r.value is not None]
    xmr = None
    if len(valued) >= SPC_MIN_POINTS:
        xmr = spc.xmr([r.value for r in valued], [f"{r.month}-01" for r in valued],
                      improvement=measure.improvement)
    found = rx.funnel(result)
    parent = None
    if level == "practice":
        table = levels.practices
        codes = table["practice_code"].to_pylist()
        parent = table["icb_code"][codes.index(org_code)].as_py()
    names = practice_names(s) if level == "practice" else {}
    return MeasurePage(
        measure=measure, level=level, org_code=org_code,
        org_name=org_name(level, org_code, names), parent_icb=parent, series=series,
        xmr=xmr,
        xmr_months=[r.month for r in valued],
        funnel=found.points if found else [],
        funnel_month=found.month if found else None,
        funnel_baseline=found.baseline if found else None,
        latest=series[-1],
        funnel_dispersion=found.dispersion if found else None,
        funnel_tau2=found.tau2 if found else 0.0,
    )


# The overview -------------------------------------------------------------------

@dataclass(frozen=True)
class ICBLatest:
    icb: ICB
    month: str | None
    value: float | None
    numerator: float | None
    denominator: float | None

    @property
    def in_store(self) -> bool:
        return self.month is not None


@dataclass
class Overview:
    measure: rx.Measure
    month: str
    england: float | None
    icbs: list[ICBLatest]
    reductions: list[rx.Reduction]
    reductions_total: float
    practices_counted: int
    target: float | None
    practice_names: dict[str, str] | None = None

    @property
    def named_reductions(self) -> list[tuple[rx.Reduction, str]]:
        """The reductions shown, each with its practice as "Name (CODE)"."""
        return [(r, practice_label(r.org_code, self.practice_names or {}))
                for r in self.reductions]


def overview(s: rx.Store, network: Network, measure_id: str = OVERVIEW_MEASURE
             ) -> Overview:
    measure = rx.load_measure(measure_id)
    levels = measure_levels(s, measure, ("practice", "icb", "national"))
    month = max(levels.results["national"].table["month"].to_pylist())
    england = next((r["value"] for r in levels.results["national"].to_records()
                    if r["month"] == month), None)
    icb_rows = {r["org_code"]: r for r in levels.results["icb"].to_records()
                if r["month"] == month}
    icbs = []
    for icb in network_icbs(network):
        row = icb_rows.get(icb.ods_code)
        icbs.append(ICBLatest(icb, month if row else None, row and row["value"],
                              row and row["numerator"], row and row["denominator"]))
    wanted = {icb.ods_code for icb in network_icbs(network)}
    table = levels.practices
    practice_codes = {
        p for p, i, m in zip(table["practice_code"].to_pylist(),
                             table["icb_code"].to_pylist(),
                             table["month"].to_pylist(), strict=True)
        if i in wanted and m == month
    }
    reductions = rx.potential_reductions(levels.results["practice"], practice_codes,
                                         month=month, percentile=TARGET_PERCENTILE)
    return Overview(
        measure=measure, month=month, england=england, icbs=icbs,
        reductions=reductions[:REDUCTIONS_SHOWN],
        reductions_total=sum(r.potential_reduction for r in reductions),
        practices_counted=len(reductions),
        target=reductions[0].target_value if reductions else None,
        practice_names=practice_names(s),
    )


# Personal data -------------------------------------------------------------------

def personal_data(user: Any) -> list[dict[str, Any]]:
    """The prescribing alert subscriptions made with `user`'s address, for
    their data download."""
    from .models import AlertSubscription

    return [
        {
            "network": s.network.name,
            "organisation": f"{LEVELS[s.level]} {s.org_code}",
            "asked_at": s.created_at.isoformat(),
            "confirmed_at": s.confirmed_at.isoformat() if s.confirmed_at else None,
            "unsubscribed_at": (s.unsubscribed_at.isoformat()
                                if s.unsubscribed_at else None),
        }
        for s in AlertSubscription.objects.filter(email__iexact=user.email)
        .select_related("network").order_by("created_at", "pk")
    ]
