from django.urls import path

from ..views import adoption as views
from .paths import BASE, ONE

urlpatterns: list = [
    path(BASE + "spread/", views.spread, name="innovation-spread"),
    path(BASE + "spread.csv", views.spread_csv, name="innovation-spread-csv"),
    path(BASE + "spread/map/", views.spread_map, name="innovation-spread-map"),
    path(BASE + "spread/map.csv", views.spread_map_data, {"fmt": "csv"},
         name="innovation-spread-map-csv"),
    path(BASE + "spread/map.json", views.spread_map_data, {"fmt": "json"},
         name="innovation-spread-map-json"),
    path(ONE + "adoption/", views.adoption_list, name="innovation-adoptions"),
    path(ONE + "adoption/curve.csv", views.adoption_curve_data, {"fmt": "csv"},
         name="innovation-adoption-curve-csv"),
    path(ONE + "adoption/curve.json", views.adoption_curve_data, {"fmt": "json"},
         name="innovation-adoption-curve-json"),
    path(ONE + "adoption/record/", views.adoption_record,
         name="innovation-adoption-record"),
    path(ONE + "adoption/<int:adoption_id>/", views.adoption_detail,
         name="innovation-adoption"),
    path(ONE + "adoption/<int:adoption_id>/project/", views.spread_project,
         name="innovation-spread-project"),
]
