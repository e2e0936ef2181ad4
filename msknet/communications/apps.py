from django.apps import AppConfig


class CommunicationsConfig(AppConfig):
    name = "msknet.communications"
    label = "communications"
    verbose_name = "Communications"
