"""Scheduled jobs for improvement: telling measure keepers their data is overdue.

The worker runs them (`msknet worker`). Running one twice tells nobody
twice: each keeper hears once per measure and missing period
(`notifications`).
"""

from __future__ import annotations

from django.utils import timezone

from msknet.core.tasks import ScheduledJob

from .notifications import tell_overdue_data

SCHEDULES = (
    ScheduledJob(
        name="msknet: measures with overdue data",
        func="msknet.improvement.tasks.tell_measure_keepers",
        every="daily",
        at_hour=7,
        at_minute=15,
    ),
)


def tell_measure_keepers() -> str:
    told = tell_overdue_data(today=timezone.localdate())
    return f"Made {told} overdue-data notification{'' if told == 1 else 's'}."
