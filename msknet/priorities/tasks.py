"""Scheduled jobs for nomination rounds: rounds opening and closing by their
dates, and panellists with nominations still to score.

The worker runs them (`msknet worker`). Running one twice tells nobody
twice: each happening has its key (`notifications`).
"""

from __future__ import annotations

from msknet.core.tasks import ScheduledJob

from .notifications import tell_rounds_due

SCHEDULES = (
    ScheduledJob(
        name="msknet: nomination round notices",
        func="msknet.priorities.tasks.tell_about_rounds",
        every="daily",
        at_hour=7,
        at_minute=5,
    ),
)


def tell_about_rounds() -> str:
    told = tell_rounds_due()
    return f"Made {told} nomination round notification{'' if told == 1 else 's'}."
