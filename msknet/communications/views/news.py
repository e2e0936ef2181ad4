"""News pages: the network's news, feeds, and writing and sending newsletters."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
