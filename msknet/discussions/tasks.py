"""Scheduled jobs for discussions: the daily and weekly email digests.

The worker runs them (`msknet worker`); `msknet discussions digest` still
sends them at once from the command line. Running either twice sends
nothing twice (`digests.send_digest`).
"""

from __future__ import annotations

from msknet.core.tasks import ScheduledJob

from .digests import send_digests
from .models import DigestFrequency

SCHEDULES = (
    ScheduledJob(
        name="msknet: daily discussion digests",
        func="msknet.discussions.tasks.send_daily_digests",
        every="daily",
        at_hour=7,
    ),
    ScheduledJob(
        name="msknet: weekly discussion digests",
        func="msknet.discussions.tasks.send_weekly_digests",
        every="weekly",
        weekday=0,
        at_hour=7,
    ),
)


def send_daily_digests() -> str:
    sent = send_digests(frequency=DigestFrequency.DAILY)
    return f"Sent {sent} daily digest{'' if sent == 1 else 's'}."


def send_weekly_digests() -> str:
    sent = send_digests(frequency=DigestFrequency.WEEKLY)
    return f"Sent {sent} weekly digest{'' if sent == 1 else 's'}."
