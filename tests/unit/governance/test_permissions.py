from datetime import date

import pytest

from msknet.governance import actions
from msknet.members.models import Role
from msknet.members.permissions import Permission, has_permission
from tests.factories.governance import make_group, make_meeting
from tests.factories.memberships import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def chair(network):
    return MembershipFactory(network=network, role=Role.MEMBER).user


@pytest.fixture
def meeting(network, chair, member):
    return make_meeting(make_group(network, chair=chair, members=[member]))


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("chair", True), ("lead", True), ("member", False), ("steering", False),
     ("outsider", False)],
)
def test_only_the_chair_and_leads_record_meetings(request, network, meeting, who,
                                                  allowed):
    user = request.getfixturevalue(who)

    assert has_permission(user, Permission.RUN_GROUP_MEETINGS, network, meeting) is allowed


def test_chair_of_one_group_does_not_run_another(network, chair):
    other = make_group(network, name="Opioid reduction group")

    assert not has_permission(chair, Permission.RUN_GROUP_MEETINGS, network, other)


@pytest.mark.parametrize(("who", "allowed"),
                         [("lead", True), ("steering", False), ("chair", False)])
def test_only_leads_approve_terms(request, network, who, allowed):
    user = request.getfixturevalue(who)

    assert has_permission(user, Permission.APPROVE_TERMS, network) is allowed


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("member", True), ("chair", True), ("lead", True), ("steering", False)],
)
def test_owner_and_those_running_the_group_update_an_action(request, network, meeting,
                                                            who, allowed):
    owner = request.getfixturevalue("member")
    action = actions.record_action(meeting=meeting, by=None, owner=owner,
                                   description="Share", due_on=date(2025, 4, 1))
    user = request.getfixturevalue(who)

    assert has_permission(user, Permission.UPDATE_ACTION, network, action) is allowed
