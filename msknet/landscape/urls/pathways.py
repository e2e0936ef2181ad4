from django.urls import path

from ..views import pathways as views
from .paths import LANDSCAPE

urlpatterns: list = [
    path(LANDSCAPE, views.landscape, name="landscape"),
    path(LANDSCAPE + "map.csv", views.map_data, {"fmt": "csv"},
         name="landscape-map-csv"),
    path(LANDSCAPE + "map.json", views.map_data, {"fmt": "json"},
         name="landscape-map-json"),
    path(LANDSCAPE + "variation/", views.variation, name="landscape-variation"),
    path(LANDSCAPE + "variation.csv", views.variation_data,
         {"chart_id": "variation", "fmt": "csv"}, name="landscape-variation-csv"),
    path(LANDSCAPE + "variation.json", views.variation_data,
         {"chart_id": "variation", "fmt": "json"}, name="landscape-variation-json"),
    path(LANDSCAPE + "waits.csv", views.variation_data,
         {"chart_id": "waits", "fmt": "csv"}, name="landscape-waits-csv"),
    path(LANDSCAPE + "waits.json", views.variation_data,
         {"chart_id": "waits", "fmt": "json"}, name="landscape-waits-json"),
    path(LANDSCAPE + "<str:icb_code>/", views.pathway, name="landscape-pathway"),
    path(LANDSCAPE + "<str:icb_code>/pathway.csv", views.pathway_csv,
         name="landscape-pathway-csv"),
]
