from django.urls import path

from ..views import answering as views
from .paths import BASE, ONE

urlpatterns: list = [
    path(BASE, views.survey_list, name="survey-list"),
    path(BASE + "link/<str:token>/", views.survey_by_link, name="survey-by-link"),
    path(ONE, views.survey_start, name="survey-start"),
    path(ONE + "section/<int:position>/", views.survey_section, name="survey-section"),
    path(ONE + "check/", views.survey_check, name="survey-check"),
    path(ONE + "done/", views.survey_done, name="survey-done"),
]
