"""Background work for prescribing alerts.

`send_alerts` is queued when a month of prescribing data is imported through
the site (`msknet prescribing import`) and can be run by hand (`msknet
prescribing alerts --month YYYY-MM`). The daily jobs catch a month loaded
any other way and forget addresses never confirmed. Each is safe to run
twice: a subscription is marked with the month it was checked for.
"""

from __future__ import annotations

from msknet.core.tasks import ScheduledJob

from . import actions, alerting

SCHEDULES = (
    ScheduledJob(
        name="msknet: prescribing alerts for new data",
        func="msknet.prescribing.tasks.send_alerts",
        every="daily",
        at_hour=6,
    ),
    ScheduledJob(
        name="msknet: forget unconfirmed prescribing alert addresses",
        func="msknet.prescribing.tasks.forget_stale_subscriptions",
        every="daily",
        at_hour=3,
    ),
)


def send_alerts(month: str | None = None) -> str:
    """Alert the subscriptions whose organisation changed in `month` (default:
    the latest month of data)."""
    sent = alerting.send_alerts(month=month)
    return f"Sent {sent} prescribing alert{'' if sent == 1 else 's'}."


def forget_stale_subscriptions() -> str:
    deleted = actions.forget_stale()
    return f"Deleted {deleted} prescribing alert subscription{'' if deleted == 1 else 's'}."
