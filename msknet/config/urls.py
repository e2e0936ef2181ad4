from django.urls import include, path

from msknet.api import api
from msknet.core import views as core_views

urlpatterns = [
    path("", include("msknet.members.urls")),
    path("", include("msknet.insights.urls")),
    path("", include("msknet.prescribing.urls")),
    path("", include("msknet.governance.urls")),
    path("", include("msknet.priorities.urls")),
    path("", include("msknet.improvement.urls")),
    path("", include("msknet.innovations.urls")),
    path("", include("msknet.landscape.urls")),
    path("", include("msknet.surveys.urls")),
    path("", include("msknet.community.urls")),
    path("", include("msknet.discussions.urls")),
    path("", include("msknet.communications.views")),
    path("api/", api.urls),
    path("accessibility/", core_views.accessibility, name="accessibility"),
    path("privacy/", core_views.privacy, name="privacy"),
    path("healthz", core_views.healthz, name="healthz"),
]

handler403 = "msknet.core.views.permission_denied"
handler404 = "msknet.core.views.page_not_found"
handler500 = "msknet.core.views.server_error"
