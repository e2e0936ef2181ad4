from django.urls import path

from ..views import imports as views
from .paths import BASE

urlpatterns: list = [
    path(BASE + "export.csv", views.service_export_csv, name="service-export-csv"),
    path(BASE + "import/", views.service_import, name="service-import"),
]
