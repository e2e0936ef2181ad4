import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse

from msknet.core.gate import gate
from msknet.members.models import Role
from msknet.members.permissions import (
    OBJECT_RULES,
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


@pytest.fixture
def owner_rule(monkeypatch):
    """An object rule for one permission: the object's owner, or a lead."""

    def rule(user, granted, obj):
        return obj["owner"] == user.pk or Permission.MANAGE_MEMBERS in granted

    monkeypatch.setitem(OBJECT_RULES, Permission.EDIT_NETWORK, rule)


def test_object_rule_answers_for_the_object(network, member, lead, owner_rule):
    mine = {"owner": member.pk}
    theirs = {"owner": lead.pk}

    assert has_permission(member, Permission.EDIT_NETWORK, network, mine)
    assert not has_permission(member, Permission.EDIT_NETWORK, network, theirs)
    assert has_permission(lead, Permission.EDIT_NETWORK, network, mine)


def test_permission_with_an_object_rule_needs_the_object(network, lead, owner_rule):
    with pytest.raises(ValueError, match="against an object"):
        has_permission(lead, Permission.EDIT_NETWORK, network)


def test_gate_loads_the_object_and_hands_it_to_the_view(
    rf, network, member, lead, owner_rule
):
    def load(*, network, kwargs):
        return {"owner": kwargs.pop("owner_pk"), "network": network}

    @gate(Permission.EDIT_NETWORK, load=load, as_="thing")
    def view(request, network, thing):
        return HttpResponse(f"{network.slug} {thing['owner']}")

    request = rf.get("/")
    request.user = member
    response = view(request, network_slug=network.slug, owner_pk=member.pk)
    assert response.content.decode() == f"{network.slug} {member.pk}"

    with pytest.raises(PermissionDenied):
        view(request, network_slug=network.slug, owner_pk=lead.pk)
