from django.apps import AppConfig


class CommunicationsConfig(AppConfig):
    name = "msknet.communications"
    label = "communications"
    verbose_name = "Communications"

    def ready(self) -> None:
        from msknet.core.tasks import register_schedule

        from . import news_tasks, tasks

        for job in (*tasks.SCHEDULES, *news_tasks.SCHEDULES):
            register_schedule(job)
