from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "msknet.surveys"
    label = "surveys"
    verbose_name = "Surveys: hearing professionals, patients and attendees"

    def ready(self) -> None:
        from msknet.core.tasks import register_schedule

        from .tasks import SCHEDULES

        for job in SCHEDULES:
            register_schedule(job)
