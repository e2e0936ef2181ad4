"""Sending prescribing alerts for a month of data: one email per subscription
whose organisation changed.

For each level with subscriptions, each measure is computed once over the
store and each organisation's percentile series run through the CUSUM
(``msknet.analytics.prescribing.alerts``); a subscription whose organisation
signalled in the month gets one email listing every measure that did. A
subscription is marked with the month it was checked and alerted for, in
the same transaction, so running a month twice sends nothing twice.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from msknet.analytics import prescribing as rx
from msknet.analytics.prescribing import alerts
from msknet.core import emails

from . import actions, queries
from .models import AlertSubscription

#: Months of each measure's history an alert shows.
HISTORY_MONTHS = 12


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
    sent = 0
    for subscription in subscriptions:
        changed = found.get((subscription.level, subscription.org_code), [])
        if record_checked(subscription=subscription, month=month, alerted=bool(changed)):
            changes = [MeasureChange(m, c, measure_url(subscription, m))
                       for m, c in changed]
            transaction.on_commit(partial(send_alert, subscription_pk=subscription.pk,
                                          month=month, changes=changes))
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


def send_alert(*, subscription_pk: int, month: str, changes: list[MeasureChange]) -> None:
    subscription = AlertSubscription.objects.active().select_related("network").filter(
        pk=subscription_pk).first()
    if subscription is None or not changes:
        return
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
    )
