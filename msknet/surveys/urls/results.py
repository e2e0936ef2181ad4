from django.urls import path

from ..views import results as views
from .paths import ONE

QUESTION = ONE + "questions/<int:question_id>/"
THEME = QUESTION + "themes/<int:theme_id>/"

urlpatterns: list = [
    path(ONE + "results/", views.survey_results, name="survey-results"),
    path(ONE + "results.csv", views.survey_results_data, {"fmt": "csv"},
         name="survey-results-csv"),
    path(ONE + "results.json", views.survey_results_data, {"fmt": "json"},
         name="survey-results-json"),
    path(ONE + "crosstab/", views.survey_crosstab, name="survey-crosstab"),
    path(ONE + "crosstab.csv", views.survey_crosstab_data, {"fmt": "csv"},
         name="survey-crosstab-csv"),
    path(ONE + "crosstab.json", views.survey_crosstab_data, {"fmt": "json"},
         name="survey-crosstab-json"),
    path(QUESTION + "themes/", views.survey_themes, name="survey-themes"),
    path(QUESTION + "themes/add/", views.survey_theme_add, name="survey-theme-add"),
    path(THEME, views.survey_theme_edit, name="survey-theme-edit"),
    path(THEME + "remove/", views.survey_theme_remove, name="survey-theme-remove"),
    path(QUESTION + "code/", views.survey_code, name="survey-code"),
    path(ONE + "responses.csv", views.survey_responses_csv,
         name="survey-responses-csv"),
    path(ONE + "summary/", views.survey_summary, name="survey-summary"),
    path(ONE + "summary/share/", views.survey_share, name="survey-share"),
    path(ONE + "summary/unshare/", views.survey_unshare, name="survey-unshare"),
]
