from django.urls import path

from ..views import services as views
from .paths import BASE, ONE

urlpatterns: list = [
    path(BASE, views.service_directory, name="service-directory"),
    path(BASE + "add/", views.service_add, name="service-add"),
    path(ONE, views.service_detail, name="service"),
    path(ONE + "edit/", views.service_edit, name="service-edit"),
    path(ONE + "withdraw/", views.service_withdraw, name="service-withdraw"),
    path(ONE + "restore/", views.service_restore, name="service-restore"),
    path(ONE + "activity.csv", views.service_activity_data, {"fmt": "csv"},
         name="service-activity-csv"),
    path(ONE + "activity.json", views.service_activity_data, {"fmt": "json"},
         name="service-activity-json"),
    path(ONE + "activity/add/", views.service_activity_add,
         name="service-activity-add"),
    path(ONE + "activity/<int:activity_id>/remove/", views.service_activity_remove,
         name="service-activity-remove"),
    path(ONE + "workforce.csv", views.service_workforce_data, {"fmt": "csv"},
         name="service-workforce-csv"),
    path(ONE + "workforce.json", views.service_workforce_data, {"fmt": "json"},
         name="service-workforce-json"),
    path(ONE + "workforce/add/", views.service_workforce_add,
         name="service-workforce-add"),
    path(ONE + "workforce/<int:workforce_id>/remove/", views.service_workforce_remove,
         name="service-workforce-remove"),
]
