from msknet.members.views import (
    accounts,
    dashboard,
    directory,
    invitations,
    joining,
    manage,
    networks,
    sso,
)

urlpatterns = [
    *networks.urlpatterns,
    *joining.urlpatterns,
    *invitations.urlpatterns,
    *accounts.urlpatterns,
    *sso.urlpatterns,
    *directory.urlpatterns,
    *dashboard.urlpatterns,
    *manage.urlpatterns,
]
