from django.apps import AppConfig


class LandscapeConfig(AppConfig):
    name = "msknet.landscape"
    label = "landscape"
    verbose_name = "Landscape: MSK services and pathways"
