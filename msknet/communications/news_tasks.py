"""Background and scheduled work for news: sending newsletters and announcements."""

from __future__ import annotations

from msknet.core.tasks import ScheduledJob

SCHEDULES: tuple[ScheduledJob, ...] = ()
