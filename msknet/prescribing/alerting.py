"""Sending prescribing alerts for a month of data: one email per subscription
whose organisation changed.

For each level with subscriptions, each measure is computed once over the
store and each organisation's percentile series run through the CUSUM
(``msknet.analytics.prescribing.alerts``); a subscription whose organisation
signalled in the month gets one email listing every measure that did. A
subscription is marked with the month it was checked and alerted for, in
the same transaction, so running a month twice sends nothing twice.

Each measure in an alert carries the chart its page shows (the
organisation's value against England's deciles), drawn as a PNG by
vl-convert and shown inline; an email whose chart cannot be drawn goes
without it.
"""

from __future__ import annotations

import copy
import logging
from collections import defaultdict
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

import vl_convert
from django.conf import settings
from django.db import transaction
from django.urls import reverse

from msknet.analytics import prescribing as rx
from msknet.analytics.prescribing import alerts
from msknet.core import emails
from msknet.core.charts import NHS_TEXT, Chart

from . import actions, charts, queries
from .models import AlertSubscription

logger = logging.getLogger(__name__)

#: Months of each measure's history an alert shows.
HISTORY_MONTHS = 12
#: Months an alert's chart draws, and its size in CSS pixels, title and
#: legend included, drawn at that size (at twice it, each picture was 2.5
#: times the bytes).
CHART_MONTHS = 24
CHART_WIDTH = 600
CHART_HEIGHT = 400
CHART_SCALE = 1


def ordinal(number: float) -> str:
    """47.6 -> "48th"; 1 -> "1st"; 12 -> "12th"."""
    n = round(number)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


@dataclass(frozen=True)
class MeasureChange:
    """One measure that changed for an organisation, as an alert shows it."""

    measure: rx.Measure
    change: alerts.OrgChange
    url: str
    chart_cid: str = ""
    """The content id of its chart in the email; empty when there is none."""
    chart_alt: str = ""

    @property
    def direction(self) -> str:
        return "rose" if self.change.signal.direction == "up" else "fell"

    @property
    def from_percentile(self) -> str:
        return ordinal(self.change.signal.from_percentile)

    @property
    def to_percentile(self) -> str:
        return ordinal(self.change.signal.to_percentile)

    @property
    def history(self) -> list[tuple[str, float | None, str]]:
        """The last HISTORY_MONTHS months: month, value, percentile ("" if none)."""
        return [(m.month, m.value,
                 ordinal(m.percentile) if m.percentile is not None else "")
                for m in self.change.history[-HISTORY_MONTHS:]]


@dataclass(frozen=True)
class Picture:
    """A measure's chart as the email shows it."""

    png: bytes
    alt: str


#: The charts drawn for one organisation in a month, by (level, org code,
#: month, measure id): kept while the alerts about that organisation are sent.
Drawn = dict[tuple[str, str, str, str], Picture | None]


def chart_spec(chart: Chart, title: str, subtitle: str) -> dict[str, Any]:
    """The page's chart spec made for a picture: a fixed width, a title, a
    legend of one line per series (the page's runs across, wider than an
    email), a white background. Its data are all in the spec."""
    spec = copy.deepcopy(chart.spec)
    spec["width"], spec["height"] = CHART_WIDTH, CHART_HEIGHT
    spec["autosize"] = {"type": "fit", "contains": "padding"}
    spec["padding"] = 8
    spec["title"] = {"text": title, "subtitle": subtitle, "anchor": "start",
                     "fontSize": 17, "subtitleFontSize": 15, "subtitleColor": NHS_TEXT,
                     "offset": 12}
    spec["config"] = {**spec.get("config", {}), "background": "#ffffff"}
    for layer in spec.get("layer", []):
        for channel in layer.get("encoding", {}).values():
            if isinstance(channel, dict) and isinstance(channel.get("legend"), dict):
                channel["legend"].update(direction="vertical", columns=1)
    return spec


def draw_chart(measure: rx.Measure, level: str, org_code: str, month: str
               ) -> Picture | None:
    """The decile chart of the measure's page for the organisation, its last
    CHART_MONTHS months to `month`, as PNG; None, with a warning logged, if
    it cannot be drawn."""
    try:
        page = queries.measure_page(queries.store(), measure, level, org_code)
        if page is None:
            return None
        series = [r for r in page.series if r.month <= month][-CHART_MONTHS:]
        if not series:
            return None
        page = replace(page, series=series)
        chart = charts.decile_chart(page, queries.LEVELS[level])
        first = queries.month_date(series[0].month).strftime("%B %Y")
        last = queries.month_date(series[-1].month).strftime("%B %Y")
        spec = chart_spec(chart, measure.title,
                          f"{page.org_name} against England's deciles, {first} to {last}")
        png = vl_convert.vegalite_to_png(spec, scale=CHART_SCALE, allowed_base_urls=[])
    except Exception:  # an alert without its chart is better than no alert
        logger.warning("Could not draw the %s chart for %s %s in %s", measure.id,
                       level, org_code, month, exc_info=True)
        return None
    alt = (f"{measure.title} at {page.org_name}, {first} to {last}. "
           f"{chart.description}")
    return Picture(png, alt)


def with_charts(changes: list[MeasureChange], *, level: str, org_code: str,
                month: str, drawn: Drawn) -> tuple[list[MeasureChange],
                                                   list[tuple[str, bytes]]]:
    """The changes with their charts' content ids and alt text, and the
    pictures to attach; a chart that could not be drawn is left out.

    `drawn` holds the charts of the organisation last alerted, and no other,
    so that alerts sent one organisation after another draw each chart once
    and hold no more than one organisation's pictures."""
    if drawn and next(iter(drawn))[:3] != (level, org_code, month):
        drawn.clear()
    shown, images = [], []
    for c in changes:
        key = (level, org_code, month, c.measure.id)
        if key not in drawn:
            drawn[key] = draw_chart(c.measure, level, org_code, month)
        picture = drawn[key]
        if picture is None:
            shown.append(c)
            continue
        cid = f"{c.measure.id}-{org_code.lower()}-{month}@msknet"
        shown.append(replace(c, chart_cid=cid, chart_alt=picture.alt))
        images.append((cid, picture.png))
    return shown, images


def latest_month() -> str | None:
    store = queries.store()
    months = store.months("epd") if queries.has_data(store) else []
    return months[-1] if months else None


def due(month: str) -> list[AlertSubscription]:
    """Confirmed subscriptions not yet checked for `month`."""
    return list(
        AlertSubscription.objects.active()
        .exclude(last_checked_month__gte=month)
        .select_related("network")
        .order_by("pk")
    )


def changes_for(subscriptions: list[AlertSubscription], month: str
                ) -> dict[tuple[str, str], list[tuple[rx.Measure, alerts.OrgChange]]]:
    """The measures that signalled in `month`, by (level, org code), for the
    organisations these subscriptions are about."""
    store = queries.store()
    wanted: dict[str, set[str]] = defaultdict(set)
    for s in subscriptions:
        wanted[s.level].add(s.org_code)
    found: dict[tuple[str, str], list[tuple[rx.Measure, alerts.OrgChange]]] = (
        defaultdict(list))
    for level, codes in sorted(wanted.items()):
        for measure in rx.all_measures():
            rows = alerts.percentile_rows(store, measure.id, level)
            for code, change in alerts.changes_in_month(rows, month, codes).items():
                found[(level, code)].append((measure, change))
    return found


def measure_url(subscription: AlertSubscription, measure: rx.Measure) -> str:
    return settings.SITE_URL + reverse("prescribing-measure", args=[
        subscription.network.slug, measure.id, subscription.level, subscription.org_code])


class NoSuchMonth(ValueError):
    """The store holds no prescribing data for the month asked for."""


def send_alerts(*, month: str | None = None) -> int:
    """Email every confirmed subscription whose organisation changed in
    `month` (default the store's latest); how many emails were queued.

    Raises NoSuchMonth for a month the store does not hold, so that no
    subscription is marked checked for a month it was never checked for.
    """
    if month is None:
        month = latest_month()
        if month is None:
            return 0
    store = queries.store()
    if not queries.has_data(store) or month not in store.months("epd"):
        raise NoSuchMonth(f"There is no prescribing data for {month}.")
    subscriptions = due(month)
    if not subscriptions:
        return 0
    found = changes_for(subscriptions, month)
    drawn: Drawn = {}
    sent = 0
    # One organisation's subscriptions together, so its charts are drawn once.
    for subscription in sorted(subscriptions, key=lambda s: (s.level, s.org_code, s.pk)):
        changed = found.get((subscription.level, subscription.org_code), [])
        if record_checked(subscription=subscription, month=month, alerted=bool(changed)):
            changes = [MeasureChange(m, c, measure_url(subscription, m))
                       for m, c in changed]
            transaction.on_commit(partial(send_alert, subscription_pk=subscription.pk,
                                          month=month, changes=changes, drawn=drawn))
            sent += 1
    return sent


@transaction.atomic
def record_checked(*, subscription: AlertSubscription, month: str, alerted: bool) -> bool:
    """Mark the subscription checked (and alerted, if so) for `month`;
    whether an alert is to be sent: not if another run got there first."""
    still_due = (
        AlertSubscription.objects.select_for_update().active()
        .filter(pk=subscription.pk).exclude(last_checked_month__gte=month)
    )
    fields = {"last_checked_month": month}
    if alerted:
        fields["last_alerted_month"] = month
    return bool(still_due.update(**fields)) and alerted


def send_alert(*, subscription_pk: int, month: str, changes: list[MeasureChange],
               drawn: Drawn | None = None) -> None:
    """Email one subscription its alert; `drawn` keeps the charts of the
    organisation alerted just before (see `with_charts`)."""
    subscription = AlertSubscription.objects.active().select_related("network").filter(
        pk=subscription_pk).first()
    if subscription is None or not changes:
        return
    changes, images = with_charts(changes, level=subscription.level,
                                  org_code=subscription.org_code, month=month,
                                  drawn={} if drawn is None else drawn)
    unsubscribe = actions.unsubscribe_url(subscription)
    emails.send_templated(
        "prescribing/email/alert",
        to=subscription.email,
        context={
            "network": subscription.network,
            "subscription": subscription,
            "org_name": actions.organisation_name(subscription.level,
                                                  subscription.org_code),
            "level_name": queries.LEVELS[subscription.level],
            "month": month,
            "month_name": queries.month_date(month).strftime("%B %Y"),
            "changes": changes,
            "unsubscribe_url": unsubscribe,
        },
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
        inline_images=images,
    )
