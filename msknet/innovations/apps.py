from django.apps import AppConfig


class InnovationsConfig(AppConfig):
    name = "msknet.innovations"
    label = "innovations"
    verbose_name = "Innovations: find, assess, adopt and spread"
