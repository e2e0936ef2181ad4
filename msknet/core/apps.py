from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "msknet.core"
    label = "core"
    verbose_name = "Core"
