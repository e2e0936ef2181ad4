from django.urls import path

from ..views import confirmation as views
from .paths import BASE, ONE

urlpatterns: list = [
    path(ONE + "confirm/", views.service_confirm, name="service-confirm"),
    path(BASE + "stale/", views.service_stale, name="service-stale"),
    path(BASE + "stale/ask-all/", views.service_request_confirmation_all,
         name="service-request-confirmation-all"),
    path(ONE + "ask-to-confirm/", views.service_request_confirmation,
         name="service-request-confirmation"),
    path(BASE + "confirm/<str:token>/", views.service_confirm_link,
         name="service-confirm-link"),
]
