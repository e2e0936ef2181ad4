from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "msknet.insights"
    label = "insights"
    verbose_name = "Population health insights"

    def ready(self) -> None:
        from msknet.core.tasks import WORKER_START_HOOKS, register_schedule

        from .tasks import SCHEDULES

        for job in SCHEDULES:
            register_schedule(job)
        # A worker that starts may find imports its predecessor left unfinished.
        WORKER_START_HOOKS.append("msknet.insights.tasks.fail_stalled_imports")
