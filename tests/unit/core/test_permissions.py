import pytest
from django.contrib.auth.models import AnonymousUser

from msknet.members.models import Role
from msknet.members.permissions import (
    Permission,
    has_permission,
    permissions_for,
)
from tests.factories.memberships import MembershipFactory
from tests.factories.networks import NetworkFactory

pytestmark = pytest.mark.django_db

LEAD_ONLY = {
    Permission.DECIDE_JOIN_REQUESTS,
    Permission.MANAGE_INVITATIONS,
    Permission.MANAGE_MEMBERS,
    Permission.EDIT_NETWORK,
}


def test_visitor_may_only_read_public_pages_and_ask_to_join(network):
    granted = permissions_for(AnonymousUser(), network)

    assert granted == {Permission.VIEW_PUBLIC, Permission.REQUEST_TO_JOIN}


def test_signed_in_outsider_has_own_account_but_nothing_in_network(network, outsider):
    granted = permissions_for(outsider, network)

    assert Permission.USE_OWN_ACCOUNT in granted
    assert Permission.VIEW_DIRECTORY not in granted


@pytest.mark.parametrize(
    ("role", "dashboard", "lead_only"),
    [(Role.MEMBER, False, False), (Role.STEERING, True, False), (Role.LEAD, True, True)],
)
def test_roles_grant_their_permissions(network, role, dashboard, lead_only):
    user = MembershipFactory(network=network, role=role).user

    granted = permissions_for(user, network)

    assert Permission.VIEW_DIRECTORY in granted
    assert (Permission.VIEW_NETWORK_DASHBOARD in granted) is dashboard
    assert all((p in granted) is lead_only for p in LEAD_ONLY)


def test_lead_of_one_network_is_nobody_in_another(network, lead):
    other = NetworkFactory()

    assert has_permission(lead, Permission.DECIDE_JOIN_REQUESTS, network)
    assert not has_permission(lead, Permission.VIEW_DIRECTORY, other)


def test_deactivated_lead_loses_everything(network, lead):
    lead.is_active = False
    lead.save()

    assert permissions_for(lead, network) == {
        Permission.VIEW_PUBLIC,
        Permission.REQUEST_TO_JOIN,
    }


def test_network_permission_needs_a_network(lead):
    with pytest.raises(ValueError, match="within a network"):
        has_permission(lead, Permission.VIEW_DIRECTORY)
