from django.http import HttpResponse
from django.urls import path

from msknet.core.gate import gate
from msknet.members.permissions import Permission


@gate(Permission.VIEW_DIRECTORY)
def directory(request, network):  # placeholder replaced by the directory module
    return HttpResponse("")


urlpatterns = [path("n/<slug:network_slug>/directory/", directory, name="directory")]
