"""Scheduled jobs for surveys: emailing event feedback surveys.

Every 15 minutes the worker emails each open feedback survey whose event has
ended to the event's attendees, once (`actions.answering.send_feedback_surveys`
marks the survey sent in the same transaction that queues the emails).
"""

from __future__ import annotations

from msknet.core.tasks import ScheduledJob

from .actions.answering import send_feedback_surveys

SCHEDULES = (
    ScheduledJob(
        name="msknet: event feedback surveys",
        func="msknet.surveys.tasks.send_event_feedback",
        every="minutes",
        minutes=15,
    ),
)


def send_event_feedback() -> str:
    sent = send_feedback_surveys()
    return f"Emailed {sent} feedback survey{'' if sent == 1 else 's'}."
