from django.http import HttpResponse
from django.urls import path

from msknet.core.gate import gate
from msknet.members.permissions import Permission


@gate(Permission.VIEW_NETWORK_DASHBOARD)
def dashboard(request, network):  # placeholder replaced by the dashboard module
    return HttpResponse("")


urlpatterns = [
    path("n/<slug:network_slug>/dashboard/", dashboard, name="network-dashboard")
]
