from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    name = "msknet.improvement"
    label = "improvement"
    verbose_name = "Quality improvement projects"
