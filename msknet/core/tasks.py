"""Background work: one way to queue a task, and the jobs that run on a schedule.

django-q2 runs them with the database as its queue (docs/decisions/0010):
`msknet worker` takes tasks from the `django_q_ormq` table, and several
workers may run at once, since each task is claimed by one of them. Under
pytest tasks run at once in the caller (`Q_CLUSTER["sync"]`), so tests see
their effects; pass `sync=False` to queue one for a real worker.

Rules for a task: it is a module-level function named by its dotted path,
takes ids and plain values (never model instances), and is safe to run
twice, since a task whose worker died is handed out again.

A task tagged with a network (`network=`) that fails for good is shown to
that network's leads with its error (`failed_tasks`); the rest are listed
for the site's administrators by `msknet tasks failed`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

NETWORK_GROUP = "network-{pk}"


def group_for(network_pk: int | None) -> str | None:
    return NETWORK_GROUP.format(pk=network_pk) if network_pk else None


def enqueue(
    func: str,
    /,
    *args: Any,
    network_pk: int | None = None,
    name: str | None = None,
    keep_result: bool = True,
    sync: bool | None = None,
    **kwargs: Any,
) -> str:
    """Queue `func(*args, **kwargs)` for a worker; the task's id.

    `keep_result=False` keeps nothing of a task that succeeds (its arguments
    may hold a sign-in link); a failure is always kept, with its error.
    """
    from django_q.tasks import async_task

    options: dict[str, Any] = {"save": keep_result}
    group = group_for(network_pk)
    if group:
        options["group"] = group
    if name:
        options["task_name"] = name
    if sync is not None:
        options["sync"] = sync
    return async_task(func, *args, q_options=options, **kwargs)


def enqueue_later(
    func: str,
    /,
    *,
    delay: timedelta,
    network_pk: int | None = None,
    keep_result: bool = True,
    **kwargs: Any,
) -> None:
    """Queue `func(**kwargs)` to run once after `delay` (a retry's back-off).

    The keyword values must be plain literals (text, numbers, None): they are
    kept as written until the worker's scheduler queues the task.
    """
    from django_q.models import Schedule

    options: dict[str, Any] = {"save": keep_result}
    group = group_for(network_pk)
    if group:
        options["group"] = group
    Schedule.objects.create(
        func=func,
        kwargs=repr({**kwargs, "q_options": options}),
        schedule_type=Schedule.ONCE,
        next_run=timezone.now() + delay,
    )


# Scheduled jobs -------------------------------------------------------------


@dataclass(frozen=True)
class ScheduledJob:
    """A job each app declares beside its code (in its AppConfig.ready()).

    `every` is one of "minutes" (with `minutes`), "hourly" (at `at_minute`),
    "daily" (at `at_hour`:`at_minute`, local time) or "weekly" (on `weekday`,
    0 for Monday, at that time). The first run is the next such moment.
    """

    name: str
    func: str
    every: str
    minutes: int | None = None
    at_hour: int = 0
    at_minute: int = 0
    weekday: int = 0


SCHEDULED_JOBS: dict[str, ScheduledJob] = {}


def register_schedule(job: ScheduledJob) -> ScheduledJob:
    SCHEDULED_JOBS[job.name] = job
    return job


def schedule_type(job: ScheduledJob) -> str:
    from django_q.models import Schedule

    return {
        "minutes": Schedule.MINUTES,
        "hourly": Schedule.HOURLY,
        "daily": Schedule.DAILY,
        "weekly": Schedule.WEEKLY,
    }[job.every]


def first_run(job: ScheduledJob, now: datetime) -> datetime:
    local = timezone.localtime(now)
    if job.every == "minutes":
        return local + timedelta(minutes=job.minutes or 1)
    if job.every == "hourly":
        candidate = local.replace(minute=job.at_minute, second=0, microsecond=0)
        return candidate if candidate > local else candidate + timedelta(hours=1)
    candidate = local.replace(
        hour=job.at_hour, minute=job.at_minute, second=0, microsecond=0
    )
    if job.every == "weekly":
        candidate += timedelta(days=(job.weekday - candidate.weekday()) % 7)
        return candidate if candidate > local else candidate + timedelta(days=7)
    return candidate if candidate > local else candidate + timedelta(days=1)


def sync_schedules(jobs: Iterable[ScheduledJob] | None = None) -> int:
    """Make the schedule table match the declared jobs; how many changed.

    A job keeps its next run when only its timing is unchanged; a job no
    longer declared is removed. Run by `migrate` (a single process on each
    deploy), so two workers starting at once never declare a job twice.
    """
    from django.db import transaction
    from django_q.models import Schedule

    declared = {job.name: job for job in (SCHEDULED_JOBS.values() if jobs is None else jobs)}
    changed = 0
    now = timezone.now()
    with transaction.atomic():
        existing = {
            s.name: s
            for s in Schedule.objects.select_for_update().filter(
                name__startswith="msknet:"
            )
        }
        for name, schedule in existing.items():
            if name not in declared:
                schedule.delete()
                changed += 1
        for name, job in declared.items():
            kind = schedule_type(job)
            schedule = existing.get(name)
            if (
                schedule is not None
                and schedule.func == job.func
                and schedule.schedule_type == kind
                and schedule.minutes == job.minutes
            ):
                continue
            if schedule is None:
                schedule = Schedule(name=name)
            schedule.func = job.func
            schedule.schedule_type = kind
            schedule.minutes = job.minutes
            schedule.repeats = -1
            schedule.next_run = first_run(job, now)
            schedule.save()
            changed += 1
    return changed


# What leads see ---------------------------------------------------------------


def failed_tasks(network_pk: int | None) -> QuerySet[Any]:
    """Tasks that failed for good, newest first: a network's, or (None) those
    tied to no network."""
    from django_q.models import Failure

    failures = Failure.objects.order_by("-stopped")
    if network_pk is None:
        return failures.exclude(group__startswith="network-")
    return failures.filter(group=group_for(network_pk))


def short_error(result: Any) -> str:
    """The last line of a failed task's error (django-q2 keeps the traceback)."""
    lines = [line for line in str(result or "").strip().splitlines() if line.strip()]
    return lines[-1].strip() if lines else "No error was recorded."


# Worker start-up --------------------------------------------------------------

#: Dotted paths of functions run once when `msknet worker` starts, before it
#: takes tasks (an app registers them in its AppConfig.ready()).
WORKER_START_HOOKS: list[str] = []


def on_worker_start() -> None:
    from django.utils.module_loading import import_string

    for path in WORKER_START_HOOKS:
        import_string(path)()
