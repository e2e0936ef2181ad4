from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "msknet.community"
    label = "community"
    verbose_name = "Events and resources"

    def ready(self) -> None:
        from msknet.core.tasks import register_schedule
        from msknet.members.queries_accounts import PERSONAL_DATA_SECTIONS

        from .queries import personal_data
        from .tasks import SCHEDULES

        for job in SCHEDULES:
            register_schedule(job)

        PERSONAL_DATA_SECTIONS["events_and_resources"] = personal_data
