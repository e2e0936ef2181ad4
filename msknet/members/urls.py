from msknet.members.views import (
    accounts,
    dashboard,
    directory,
    invitations,
    joining,
    manage,
    networks,
)

urlpatterns = [
    *networks.urlpatterns,
    *joining.urlpatterns,
    *invitations.urlpatterns,
    *accounts.urlpatterns,
    *directory.urlpatterns,
    *dashboard.urlpatterns,
    *manage.urlpatterns,
]
