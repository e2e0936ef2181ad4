from django.apps import AppConfig


class PrescribingConfig(AppConfig):
    name = "msknet.prescribing"
    label = "prescribing_web"
    verbose_name = "Prescribing pages"

    def ready(self) -> None:
        from msknet.core.tasks import register_schedule
        from msknet.members.actions.accounts import ERASERS
        from msknet.members.queries_accounts import PERSONAL_DATA_SECTIONS

        from .actions import forget_member
        from .queries import personal_data
        from .tasks import SCHEDULES

        for job in SCHEDULES:
            register_schedule(job)

        PERSONAL_DATA_SECTIONS["prescribing_alerts"] = personal_data
        ERASERS["prescribing_alerts"] = forget_member
