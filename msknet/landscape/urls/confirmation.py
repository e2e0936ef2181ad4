from django.urls import path

from ..views import confirmation as views
from .paths import ONE

urlpatterns: list = [
    path(ONE + "confirm/", views.service_confirm, name="service-confirm"),
]
