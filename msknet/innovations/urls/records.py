from django.urls import path

from ..views import records as views
from .paths import BASE, ONE

urlpatterns: list = [
    path(BASE, views.innovation_list, name="innovation-list"),
    path(BASE + "catalogue.csv", views.catalogue_download,
         name="innovation-catalogue-csv"),
    path(BASE + "propose/", views.innovation_propose, name="innovation-propose"),
    path(BASE + "suggest/", views.innovation_suggest, name="innovation-suggest"),
    path(BASE + "suggest/sent/", views.innovation_suggest_sent,
         name="innovation-suggest-sent"),
    path(BASE + "review/", views.review_list, name="innovation-review"),
    path(ONE, views.innovation_detail, name="innovation"),
    path(ONE + "review/", views.review_decide, name="innovation-review-decide"),
    path(ONE + "edit/", views.innovation_edit, name="innovation-edit"),
    path(ONE + "stage/", views.innovation_stage, name="innovation-stage"),
    path(ONE + "evidence/add/", views.evidence_add, name="innovation-evidence-add"),
    path(ONE + "evidence/<int:evidence_id>/remove/", views.evidence_remove,
         name="innovation-evidence-remove"),
    path(ONE + "files/add/", views.attachment_add, name="innovation-attachment-add"),
    path(ONE + "files/<int:attachment_id>/", views.attachment_download,
         name="innovation-attachment"),
    path(ONE + "files/<int:attachment_id>/remove/", views.attachment_remove,
         name="innovation-attachment-remove"),
    path(ONE + "measures/add/", views.measure_add, name="innovation-measure-add"),
    path(ONE + "measures/<int:measure_id>/", views.measure_edit,
         name="innovation-measure-edit"),
    path(ONE + "measures/<int:measure_id>/remove/", views.measure_remove,
         name="innovation-measure-remove"),
    path(ONE + "follow/", views.innovation_follow, name="innovation-follow"),
    path(ONE + "unfollow/", views.innovation_unfollow, name="innovation-unfollow"),
]
