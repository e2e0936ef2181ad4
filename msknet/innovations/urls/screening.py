from django.urls import path

from ..views import screening
from .paths import BASE, ONE

SCREENING = BASE + "screening/"
CRITERION = SCREENING + "criteria/<int:criterion_id>/"

urlpatterns: list = [
    path(SCREENING, screening.screening, name="innovation-screening"),
    path(SCREENING + "ranking.csv", screening.screening_csv,
         name="innovation-screening-csv"),
    path(SCREENING + "criteria/", screening.criteria, name="innovation-criteria"),
    path(CRITERION, screening.criterion_edit, name="innovation-criterion-edit"),
    path(CRITERION + "remove/", screening.criterion_delete,
         name="innovation-criterion-delete"),
    path(SCREENING + "panel/", screening.panel_edit, name="innovation-panel"),
    path(ONE + "score/", screening.score, name="innovation-score"),
    path(ONE + "scores/", screening.scorecards, name="innovation-scorecards"),
    path(ONE + "decision/", screening.decide, name="innovation-decide"),
]
