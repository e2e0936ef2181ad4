"""Scheduled jobs for events: reminders the day before.

The worker runs them hourly (`msknet worker`); `msknet events remind` still
sends them at once. Each person is reminded once per event, however often
either runs (`actions.events.send_reminders`).
"""

from __future__ import annotations

from msknet.core.tasks import ScheduledJob

from .actions.events import send_reminders

SCHEDULES = (
    ScheduledJob(
        name="msknet: event reminders",
        func="msknet.community.tasks.remind_registrants",
        every="hourly",
        at_minute=0,
    ),
)


def remind_registrants() -> str:
    sent = send_reminders()
    return f"Sent {sent} reminder{'' if sent == 1 else 's'}."
