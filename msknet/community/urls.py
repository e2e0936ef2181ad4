from .views import events, resources

urlpatterns = [*events.urlpatterns, *resources.urlpatterns]
