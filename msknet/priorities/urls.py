from django.urls import path

from .views import nominations, rounds, screening, strategic

BASE = "n/<slug:network_slug>/priorities/"
ROUND = BASE + "rounds/<int:round_id>/"
STRATEGIC = "n/<slug:network_slug>/strategic-priorities/"
STRATEGIC_ONE = STRATEGIC + "<int:priority_id>/"
NOMINATION = ROUND + "nominations/<int:nomination_id>/"

urlpatterns = [
    path(BASE, rounds.round_list, name="priorities"),
    path(BASE + "terms/", rounds.terms_edit, name="priorities-terms"),
    path(BASE + "rounds/new/", rounds.round_create, name="priorities-round-create"),
    path(ROUND, rounds.round_detail, name="priorities-round"),
    path(ROUND + "edit/", rounds.round_edit, name="priorities-round-edit"),
    path(ROUND + "close/", rounds.round_close, name="priorities-round-close"),
    path(ROUND + "close-screening/", rounds.screening_close,
         name="priorities-screening-close"),
    path(ROUND + "criteria/", rounds.criteria, name="priorities-criteria"),
    path(ROUND + "criteria/<int:criterion_id>/", rounds.criterion_edit,
         name="priorities-criterion-edit"),
    path(ROUND + "criteria/<int:criterion_id>/remove/", rounds.criterion_delete,
         name="priorities-criterion-delete"),
    path(ROUND + "panel/", rounds.panel_edit, name="priorities-panel"),
    path(ROUND + "nominate/", nominations.nominate, name="priorities-nominate"),
    path(ROUND + "screening/", screening.screening, name="priorities-screening"),
    path(ROUND + "results/", screening.results, name="priorities-results"),
    path(ROUND + "portfolio/", screening.portfolio, name="priorities-portfolio"),
    path(NOMINATION, nominations.nomination_detail, name="priorities-nomination"),
    path(NOMINATION + "edit/", nominations.nomination_edit,
         name="priorities-nomination-edit"),
    path(NOMINATION + "support/", nominations.support, name="priorities-support"),
    path(NOMINATION + "withdraw-support/", nominations.support_withdraw,
         name="priorities-support-withdraw"),
    path(NOMINATION + "comment/", nominations.comment, name="priorities-comment"),
    path(NOMINATION + "score/", screening.score, name="priorities-score"),
    path(NOMINATION + "decide/", nominations.decide, name="priorities-decide"),
    path(STRATEGIC, strategic.priority_list, name="strategic-priorities"),
    path(STRATEGIC + "coverage/", strategic.priority_coverage,
         name="strategic-priorities-coverage"),
    path(STRATEGIC + "new/", strategic.priority_create,
         name="strategic-priorities-create"),
    path(STRATEGIC_ONE + "edit/", strategic.priority_edit,
         name="strategic-priorities-edit"),
    path(STRATEGIC_ONE + "retire/", strategic.priority_retire,
         name="strategic-priorities-retire"),
    path(STRATEGIC_ONE + "reinstate/", strategic.priority_reinstate,
         name="strategic-priorities-reinstate"),
    path(STRATEGIC_ONE + "move/", strategic.priority_move,
         name="strategic-priorities-move"),
]
