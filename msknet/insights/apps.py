from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "msknet.insights"
    label = "insights"
    verbose_name = "Population health insights"
