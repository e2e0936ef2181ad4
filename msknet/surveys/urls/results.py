from django.urls import path  # noqa: F401

from .paths import BASE, ONE  # noqa: F401

urlpatterns: list = []
