import pytest
from django.contrib.auth.models import AnonymousUser

from msknet.community.models import Visibility
from msknet.members.permissions import Permission, has_permission
from tests.factories.community import EventFactory, ResourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(network, member):
    return {
        "public": EventFactory(network=network, visibility=Visibility.PUBLIC),
        "members": EventFactory(network=network, visibility=Visibility.MEMBERS),
        "own": EventFactory(network=network, organiser=member),
    }


@pytest.mark.parametrize(
    ("who", "public", "members"),
    [("visitor", True, False), ("outsider", True, False), ("member", True, True)],
)
def test_who_sees_which_events(request, network, events, who, public, members):
    user = AnonymousUser() if who == "visitor" else request.getfixturevalue(who)

    assert has_permission(user, Permission.VIEW_EVENT, network, events["public"]) is public
    assert has_permission(user, Permission.VIEW_EVENT, network, events["members"]) is members


def test_anyone_signed_in_registers_for_public_events_members_for_the_rest(
    network, events, outsider, member
):
    assert has_permission(outsider, Permission.REGISTER_FOR_EVENT, network, events["public"])
    assert not has_permission(outsider, Permission.REGISTER_FOR_EVENT, network,
                              events["members"])
    assert has_permission(member, Permission.REGISTER_FOR_EVENT, network, events["members"])
    assert not has_permission(AnonymousUser(), Permission.REGISTER_FOR_EVENT, network,
                              events["public"])


def test_organisers_manage_their_own_events_and_leads_every_event(
    network, events, member, lead, steering
):
    assert has_permission(member, Permission.MANAGE_EVENT, network, events["own"])
    assert not has_permission(member, Permission.MANAGE_EVENT, network, events["members"])
    assert not has_permission(steering, Permission.MANAGE_EVENT, network, events["members"])
    assert has_permission(lead, Permission.MANAGE_EVENT, network, events["members"])


def test_organiser_who_left_the_network_no_longer_manages(network, events, member):
    member.memberships.all().delete()
    member.__dict__.pop("_msknet_roles", None)

    assert not has_permission(member, Permission.MANAGE_EVENT, network, events["own"])


def test_steering_and_leads_arrange_events_members_do_not(network, member, steering, lead):
    assert not has_permission(member, Permission.CREATE_EVENT, network)
    assert has_permission(steering, Permission.CREATE_EVENT, network)
    assert has_permission(lead, Permission.CREATE_EVENT, network)


def test_members_add_resources_and_change_only_their_own(network, member, steering, lead):
    mine = ResourceFactory(network=network, created_by=member)
    theirs = ResourceFactory(network=network, created_by=steering)

    assert has_permission(member, Permission.ADD_RESOURCE, network)
    assert has_permission(member, Permission.EDIT_RESOURCE, network, mine)
    assert not has_permission(member, Permission.EDIT_RESOURCE, network, theirs)
    assert has_permission(lead, Permission.EDIT_RESOURCE, network, theirs)


def test_members_only_resources_are_hidden_from_visitors(network, member):
    public = ResourceFactory(network=network, visibility=Visibility.PUBLIC)
    private = ResourceFactory(network=network, visibility=Visibility.MEMBERS)

    assert has_permission(AnonymousUser(), Permission.VIEW_RESOURCE, network, public)
    assert not has_permission(AnonymousUser(), Permission.VIEW_RESOURCE, network, private)
    assert has_permission(member, Permission.VIEW_RESOURCE, network, private)

