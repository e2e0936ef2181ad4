from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "msknet.members"
    label = "members"
    verbose_name = "Members and networks"

    def ready(self) -> None:
        from msknet.core.tasks import register_schedule

        from .actions import two_factor
        from .actions.accounts import ERASERS
        from .queries_accounts import PERSONAL_DATA_SECTIONS
        from .tasks import SCHEDULES

        for job in SCHEDULES:
            register_schedule(job)

        PERSONAL_DATA_SECTIONS["two_factor_authentication"] = two_factor.personal_data
        ERASERS["two_factor_authentication"] = two_factor.forget_devices
