from django.apps import AppConfig


class DiscussionsConfig(AppConfig):
    name = "msknet.discussions"
    label = "discussions"
    verbose_name = "Discussions"

    def ready(self) -> None:
        from msknet.members.actions.accounts import ERASERS
        from msknet.members.queries_accounts import PERSONAL_DATA_SECTIONS

        from .actions import forget_member
        from .queries import personal_data

        PERSONAL_DATA_SECTIONS["discussions"] = personal_data
        ERASERS["discussions"] = forget_member
