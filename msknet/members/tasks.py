"""Scheduled jobs for members: reminding leads of join requests left waiting.

The worker runs them (`msknet worker`). Running one twice tells nobody
twice: each lead hears about a waiting request once (`notifications`).
"""

from __future__ import annotations

from msknet.core.tasks import ScheduledJob

from .notifications import tell_join_requests_waiting

SCHEDULES = (
    ScheduledJob(
        name="msknet: join requests waiting",
        func="msknet.members.tasks.remind_leads_of_waiting_requests",
        every="daily",
        at_hour=7,
        at_minute=10,
    ),
)


def remind_leads_of_waiting_requests() -> str:
    told = tell_join_requests_waiting()
    return f"Made {told} notification{'' if told == 1 else 's'} of waiting join requests."
