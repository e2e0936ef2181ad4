from django.http import HttpResponse
from django.urls import path

from msknet.core.gate import gate
from msknet.members.permissions import Permission


@gate(Permission.MANAGE_INVITATIONS)
def invitation_list(request, network):  # placeholder replaced by invitations
    return HttpResponse("")


urlpatterns = [
    path(
        "n/<slug:network_slug>/manage/invitations/",
        invitation_list,
        name="invitation-list",
    )
]
