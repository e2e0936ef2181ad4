from .views import urlpatterns as page_urlpatterns
from .views_alerts import urlpatterns as alert_urlpatterns

# The alert pages come first: "alerts/confirm/<token>/" would otherwise read as
# a measure page (measure "alerts", level "confirm").
urlpatterns = alert_urlpatterns + page_urlpatterns

__all__ = ["urlpatterns"]
