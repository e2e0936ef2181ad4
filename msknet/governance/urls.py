from .views import decisions, groups, meetings, timeline

urlpatterns = [
    *groups.urlpatterns,
    *meetings.urlpatterns,
    *decisions.urlpatterns,
    *timeline.urlpatterns,
]
