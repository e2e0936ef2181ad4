"""Pages for communications."""

from __future__ import annotations

from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from msknet.core.gate import gate
from msknet.members.permissions import Permission

from ..notify import read_preference_token


@csrf_exempt
@gate(Permission.VIEW_PUBLIC)
def notification_email_choice(request: HttpRequest, token: str) -> HttpResponse:
    """Change, from a link in an email, how one kind of notification is emailed."""
    try:
        read_preference_token(token)
    except (signing.BadSignature, ValueError, KeyError) as error:
        raise Http404("This link is not valid.") from error
    return HttpResponse("Not built yet", status=501)


notification_urlpatterns = [
    path(
        "notifications/email/<str:token>/",
        notification_email_choice,
        name="notification-email-choice",
    ),
]
