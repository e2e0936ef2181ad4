from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "msknet.surveys"
    label = "surveys"
    verbose_name = "Surveys: hearing professionals, patients and attendees"
