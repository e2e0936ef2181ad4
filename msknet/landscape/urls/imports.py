from django.urls import path  # noqa: F401

from .paths import BASE, LANDSCAPE, ONE  # noqa: F401

urlpatterns: list = []
