from django.apps import AppConfig


class PrescribingConfig(AppConfig):
    name = "msknet.prescribing"
    label = "prescribing_web"
    verbose_name = "Prescribing pages"

    def ready(self) -> None:
        from msknet.core.tasks import register_schedule

        from .tasks import SCHEDULES

        for job in SCHEDULES:
            register_schedule(job)
