from django.apps import AppConfig


class PrioritiesConfig(AppConfig):
    name = "msknet.priorities"
    label = "priorities"
    verbose_name = "Priorities: nominate, screen, support, decide"
