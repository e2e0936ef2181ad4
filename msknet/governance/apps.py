from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "msknet.governance"
    label = "governance"
    verbose_name = "Governance: groups, meetings, decisions and actions"

    def ready(self) -> None:
        from msknet.core.tasks import register_schedule

        from .tasks import SCHEDULES

        for job in SCHEDULES:
            register_schedule(job)
