"""Scheduled jobs for governance: reminding owners of actions due and overdue.

The worker runs them (`msknet worker`). Running one twice tells nobody
twice: each owner hears once per action and due date (`notifications`).
"""

from __future__ import annotations

from msknet.core.tasks import ScheduledJob

from .notifications import tell_actions_due

SCHEDULES = (
    ScheduledJob(
        name="msknet: action reminders",
        func="msknet.governance.tasks.remind_action_owners",
        every="daily",
        at_hour=7,
    ),
)


def remind_action_owners() -> str:
    told = tell_actions_due()
    return f"Made {told} action reminder{'' if told == 1 else 's'}."
