from django.apps import AppConfig


class PrioritiesConfig(AppConfig):
    name = "msknet.priorities"
    label = "priorities"
    verbose_name = "Priorities: nominate, screen, support, decide"

    def ready(self) -> None:
        from msknet.core.tasks import register_schedule

        from .tasks import SCHEDULES

        for job in SCHEDULES:
            register_schedule(job)
