from django.apps import AppConfig


class CommunicationsConfig(AppConfig):
    name = "msknet.communications"
    label = "communications"
    verbose_name = "Communications"

    def ready(self) -> None:
        from msknet.core.tasks import register_schedule
        from msknet.members.actions.accounts import ERASERS
        from msknet.members.queries_accounts import PERSONAL_DATA_SECTIONS

        from . import news_tasks, tasks
        from .actions import forget_member
        from .news_actions import forget_news_reader
        from .news_queries import personal_data as news_personal_data
        from .queries import personal_data

        for job in (*tasks.SCHEDULES, *news_tasks.SCHEDULES):
            register_schedule(job)

        PERSONAL_DATA_SECTIONS["notifications"] = personal_data
        ERASERS["notifications"] = forget_member
        PERSONAL_DATA_SECTIONS["news"] = news_personal_data
        ERASERS["news"] = forget_news_reader
