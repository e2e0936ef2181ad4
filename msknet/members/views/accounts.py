from django.contrib.auth import views as auth_views
from django.urls import path

from msknet.core.gate import gate, public
from msknet.members.permissions import Permission


@gate(Permission.USE_OWN_ACCOUNT)
def account(request):  # placeholder replaced by the accounts module
    from django.http import HttpResponse

    return HttpResponse("")


urlpatterns = [
    path("account/sign-in/", public(auth_views.LoginView.as_view()), name="sign-in"),
    path("account/sign-out/", public(auth_views.LogoutView.as_view()), name="sign-out"),
    path("account/", account, name="account"),
    path(
        "account/set-password/<uidb64>/<token>/",
        public(auth_views.PasswordResetConfirmView.as_view()),
        name="set-password",
    ),
]
