from django.urls import path, re_path

from .views import cycles, drivers, follows, measures, projects

BASE = "n/<slug:network_slug>/projects/"
PROJECT = BASE + "<int:pk>/"
MEASURE = PROJECT + "measures/<int:measure_pk>/"
CYCLE = PROJECT + "cycles/<int:cycle_pk>/"
NODE = PROJECT + "drivers/<int:node_pk>/"
TWIN = (r"^n/(?P<network_slug>[-a-zA-Z0-9_]+)/projects/(?P<pk>[0-9]+)/measures/"
        r"(?P<measure_pk>[0-9]+)/(?P<chart_id>[-a-z0-9]+)\.(?P<fmt>csv|json)$")

urlpatterns = [
    path(BASE, projects.project_board, name="projects"),
    path(BASE + "new/", projects.project_start, name="project-start"),
    path(BASE + "new/nomination/<int:nomination_pk>/",
         projects.project_start_from_nomination, name="project-start-nomination"),
    path(PROJECT, projects.project_detail, name="project-detail"),
    path(PROJECT + "edit/", projects.project_edit, name="project-edit"),
    path(PROJECT + "team/", projects.project_team, name="project-team"),
    path(PROJECT + "team/<int:member_pk>/remove/", projects.project_team_remove,
         name="project-team-remove"),
    path(PROJECT + "progress/", projects.project_progress, name="project-progress"),
    path(PROJECT + "close/", projects.project_close, name="project-close"),
    path(PROJECT + "follow/", follows.project_follow, name="project-follow"),
    path(PROJECT + "unfollow/", follows.project_unfollow, name="project-unfollow"),
    path(PROJECT + "timeline/", projects.project_timeline, name="project-timeline"),
    path(PROJECT + "drivers/", drivers.project_drivers, name="project-drivers"),
    path(PROJECT + "drivers/new/", drivers.driver_add, name="driver-add"),
    path(NODE + "edit/", drivers.driver_edit, name="driver-edit"),
    path(NODE + "remove/", drivers.driver_remove, name="driver-remove"),
    path(PROJECT + "measures/new/", measures.measure_create, name="measure-create"),
    path(MEASURE, measures.measure_detail, name="measure-detail"),
    path(MEASURE + "follow/", follows.measure_follow, name="measure-follow"),
    path(MEASURE + "unfollow/", follows.measure_unfollow, name="measure-unfollow"),
    path(MEASURE + "edit/", measures.measure_edit, name="measure-edit"),
    path(MEASURE + "data/", measures.measure_data, name="measure-data"),
    path(MEASURE + "data/<int:point_pk>/remove/", measures.measure_point_remove,
         name="measure-point-remove"),
    path(MEASURE + "upload/", measures.measure_upload, name="measure-upload"),
    path(MEASURE + "rebase/", measures.measure_rebase, name="measure-rebase"),
    re_path(TWIN, measures.measure_chart, name="measure-chart"),
    path(PROJECT + "cycles/new/", cycles.cycle_create, name="cycle-create"),
    path(CYCLE, cycles.cycle_detail, name="cycle-detail"),
    path(CYCLE + "edit/", cycles.cycle_edit, name="cycle-edit"),
]
