"""Who scores, who sees scores, who decides: the object rules in the gate."""

import pytest

from msknet.members.models import Role
from msknet.members.permissions import Permission, has_permission
from msknet.priorities import actions
from tests.factories.memberships import MembershipFactory
from tests.factories.priorities import (
    NominationFactory,
    in_screening,
    round_with_criteria,
    score_all,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def round(network, lead):
    return in_screening(round_with_criteria(network, by=lead))


@pytest.fixture
def nomination(round, member):
    return NominationFactory(round=round, nominated_by=member)


def may(user, permission, obj):
    return has_permission(user, permission, obj.round.network if hasattr(
        obj, "round") else obj.network, obj)


def test_without_a_named_panel_the_steering_group_and_leads_score(
        round, member, steering, lead, outsider):
    assert may(steering, Permission.SCORE_NOMINATIONS, round)
    assert may(lead, Permission.SCORE_NOMINATIONS, round)
    assert not may(member, Permission.SCORE_NOMINATIONS, round)
    assert not may(outsider, Permission.SCORE_NOMINATIONS, round)


def test_a_named_panel_alone_scores(round, member, steering, lead):
    actions.set_panel(round=round, by=lead, panellists=[member])

    assert may(member, Permission.SCORE_NOMINATIONS, round)
    assert not may(steering, Permission.SCORE_NOMINATIONS, round)
    assert not may(lead, Permission.SCORE_NOMINATIONS, round)


def test_a_panellist_who_leaves_the_network_no_longer_scores(round, lead, network):
    membership = MembershipFactory(network=network, role=Role.MEMBER)
    actions.set_panel(round=round, by=lead, panellists=[membership.user])
    membership.delete()

    assert not may(membership.user, Permission.SCORE_NOMINATIONS, round)


def test_panellist_sees_others_scores_only_after_scoring(nomination, steering, lead):
    other = MembershipFactory(network=nomination.round.network,
                              role=Role.STEERING).user
    score_all(nomination, other, 4)

    assert not may(steering, Permission.SEE_NOMINATION_SCORES, nomination)
    score_all(nomination, steering, 2)
    assert may(steering, Permission.SEE_NOMINATION_SCORES, nomination)


def test_lead_sees_scores_after_scoring_or_once_screening_closes(
        nomination, steering, lead):
    score_all(nomination, steering, 4)
    assert not may(lead, Permission.SEE_NOMINATION_SCORES, nomination)

    actions.close_screening(round=nomination.round, by=lead)

    assert may(lead, Permission.SEE_NOMINATION_SCORES, nomination)


def test_lead_off_a_named_panel_sees_scores_only_when_screening_closes(
        nomination, member, lead):
    actions.set_panel(round=nomination.round, by=lead, panellists=[member])
    score_all(nomination, member, 4)

    assert may(member, Permission.SEE_NOMINATION_SCORES, nomination)
    assert not may(lead, Permission.SEE_NOMINATION_SCORES, nomination)
    actions.close_screening(round=nomination.round, by=lead)
    assert may(lead, Permission.SEE_NOMINATION_SCORES, nomination)


def test_members_never_see_scores(nomination, member, lead):
    actions.close_screening(round=nomination.round, by=lead)

    assert not may(member, Permission.SEE_NOMINATION_SCORES, nomination)


def test_only_leads_decide(network, member, steering, lead):
    assert has_permission(lead, Permission.DECIDE_NOMINATIONS, network)
    assert not has_permission(steering, Permission.DECIDE_NOMINATIONS, network)
    assert not has_permission(member, Permission.DECIDE_NOMINATIONS, network)


def test_only_the_nominator_edits_and_only_while_open(network, lead, member, steering):
    round = round_with_criteria(network, by=lead, title="Open round")
    nomination = NominationFactory(round=round, nominated_by=member)

    assert may(member, Permission.EDIT_NOMINATION, nomination)
    assert not may(steering, Permission.EDIT_NOMINATION, nomination)
    in_screening(round)
    assert not may(member, Permission.EDIT_NOMINATION, nomination)
