"""Communications pages: notifications (`notifications`) and news (`news`)."""

from .news import urlpatterns as news_urlpatterns
from .notifications import notification_urlpatterns

urlpatterns = [*notification_urlpatterns, *news_urlpatterns]
