from django.apps import AppConfig


class PrescribingConfig(AppConfig):
    name = "msknet.prescribing"
    label = "prescribing_web"
    verbose_name = "Prescribing pages"
