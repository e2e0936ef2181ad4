"""Who may change a project: its team and the network's leads."""

import pytest
from django.contrib.auth.models import AnonymousUser

from msknet.members.models import Role
from msknet.members.permissions import Permission, has_permission
from tests.factories.improvement import (
    MeasureFactory,
    QIProjectFactory,
    TeamMemberFactory,
)
from tests.factories.memberships import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(network):
    return QIProjectFactory(network=network)


@pytest.mark.parametrize("role", [Role.MEMBER, Role.STEERING, Role.LEAD])
def test_members_read_projects(network, role):
    user = MembershipFactory(network=network, role=role).user

    assert has_permission(user, Permission.VIEW_QI_PROJECTS, network)


def test_visitors_and_outsiders_do_not_read_projects(network, outsider):
    assert not has_permission(AnonymousUser(), Permission.VIEW_QI_PROJECTS, network)
    assert not has_permission(outsider, Permission.VIEW_QI_PROJECTS, network)


@pytest.mark.parametrize("permission", [Permission.EDIT_QI_PROJECT,
                                        Permission.CLOSE_QI_PROJECT])
def test_team_members_and_leads_change_and_close_a_project(network, project,
                                                           permission, lead, member,
                                                           steering):
    teammate = MembershipFactory(network=network, role=Role.MEMBER).user
    TeamMemberFactory(project=project, user=teammate)
    measure = MeasureFactory(project=project)

    assert has_permission(lead, permission, network, project)
    assert has_permission(teammate, permission, network, project)
    assert has_permission(teammate, permission, network, measure)  # via .project
    assert not has_permission(member, permission, network, project)
    assert not has_permission(steering, permission, network, project)


def test_a_team_member_who_left_the_network_no_longer_edits(network, project):
    membership = MembershipFactory(network=network, role=Role.MEMBER)
    TeamMemberFactory(project=project, user=membership.user)
    membership.delete()

    assert not has_permission(membership.user, Permission.EDIT_QI_PROJECT, network,
                              project)


def test_only_leads_start_projects(network, lead, steering, member):
    assert has_permission(lead, Permission.START_QI_PROJECT, network)
    assert not has_permission(steering, Permission.START_QI_PROJECT, network)
    assert not has_permission(member, Permission.START_QI_PROJECT, network)


def test_a_lead_of_another_network_does_not_edit(network, project):
    other_lead = MembershipFactory(role=Role.LEAD).user

    assert not has_permission(other_lead, Permission.EDIT_QI_PROJECT, network,
                              project)
