from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    name = "msknet.improvement"
    label = "improvement"
    verbose_name = "Quality improvement projects"

    def ready(self) -> None:
        from msknet.core.tasks import register_schedule

        from .tasks import SCHEDULES

        for job in SCHEDULES:
            register_schedule(job)
