from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "msknet.community"
    label = "community"
    verbose_name = "Events and resources"

    def ready(self) -> None:
        from msknet.members.queries_accounts import PERSONAL_DATA_SECTIONS

        from .queries import personal_data

        PERSONAL_DATA_SECTIONS["events_and_resources"] = personal_data
