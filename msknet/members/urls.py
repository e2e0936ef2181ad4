from msknet.members.views import (
    accounts,
    dashboard,
    directory,
    email_change,
    invitations,
    joining,
    manage,
    networks,
    sso,
    two_factor,
)

urlpatterns = [
    *networks.urlpatterns,
    *joining.urlpatterns,
    *invitations.urlpatterns,
    *accounts.urlpatterns,
    *email_change.urlpatterns,
    *two_factor.urlpatterns,
    *sso.urlpatterns,
    *directory.urlpatterns,
    *dashboard.urlpatterns,
    *manage.urlpatterns,
]
