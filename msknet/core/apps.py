from django.apps import AppConfig
from django.db.models.signals import post_migrate


def declare_schedules(sender: AppConfig, using: str = "default", **kwargs: object) -> None:
    """After `migrate`: the scheduled jobs the apps declare, in the database."""
    from .tasks import sync_schedules

    if using == "default":
        sync_schedules()


class CoreConfig(AppConfig):
    name = "msknet.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        post_migrate.connect(declare_schedules, sender=self)
