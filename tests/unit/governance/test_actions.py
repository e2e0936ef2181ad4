from datetime import date

import pytest
from django.db import IntegrityError

from msknet.core.models import AuditEvent
from msknet.governance import actions
from msknet.governance.models import (
    ActionStatus,
    GovernanceEvent,
    GroupKind,
    GroupRole,
    TermsStatus,
)
from msknet.members.models import Role
from tests.factories.governance import make_group, make_meeting
from tests.factories.memberships import MembershipFactory

pytestmark = pytest.mark.django_db


def test_steering_group_starts_with_steering_members_and_leads(network, steering, lead,
                                                                 member):
    group = make_group(network, name="Steering group", kind=GroupKind.STEERING)

    assert set(group.members.all()) == {steering, lead}


def test_new_chair_takes_over_and_old_chair_stays_a_member(network, member, steering):
    group = make_group(network, chair=member)

    actions.set_group_member(group=group, by=None, user=steering, role=GroupRole.CHAIR)

    assert group.chair == steering
    assert group.memberships.get(user=member).role == GroupRole.MEMBER


def test_outsider_cannot_join_a_group(network, outsider):
    group = make_group(network)

    with pytest.raises(actions.NotANetworkMember):
        actions.set_group_member(group=group, by=None, user=outsider)


def test_terms_draft_is_edited_in_place_until_approved(network, lead):
    group = make_group(network)
    v1 = actions.save_terms_draft(group=group, by=lead, text="Purpose\nOne")
    again = actions.save_terms_draft(group=group, by=lead, text="Purpose\nTwo")
    assert (again.pk, again.number) == (v1.pk, 1)

    actions.approve_terms(terms=again, by=lead, approved_on=date(2025, 1, 8),
                          approved_by_group="Steering group")
    v2 = actions.save_terms_draft(group=group, by=lead, text="Purpose\nThree")

    v1.refresh_from_db()
    assert v1.status == TermsStatus.APPROVED and v1.text == "Purpose\nTwo"
    assert v1.approval_recorded_by == lead
    assert v2.number == 2 and v2.is_draft


def test_approved_terms_cannot_be_approved_again(network, lead):
    group = make_group(network)
    terms = actions.save_terms_draft(group=group, by=lead, text="Purpose")
    actions.approve_terms(terms=terms, by=lead, approved_on=date(2025, 1, 8),
                          approved_by_group="Steering group")

    with pytest.raises(actions.TermsNotDraft):
        actions.approve_terms(terms=terms, by=lead, approved_on=date(2025, 2, 8),
                              approved_by_group="Steering group")


def test_decisions_are_numbered_per_network_and_year(network, lead):
    meeting = make_meeting(make_group(network))

    first = actions.record_decision(meeting=meeting, by=lead, text="One")
    second = actions.record_decision(meeting=meeting, by=lead, text="Two")
    next_year = actions.record_decision(meeting=meeting, by=lead, text="Three",
                                        decided_on=date(2026, 1, 14))

    assert [first.reference, second.reference, next_year.reference] == [
        "D-2025-001", "D-2025-002", "D-2026-001"]


def test_action_owner_marks_action_done_with_audit_event(network, lead, member):
    meeting = make_meeting(make_group(network))
    action = actions.record_action(meeting=meeting, by=lead, owner=member,
                                   description="Share the data", due_on=date(2025, 4, 1))

    actions.set_action_status(action=action, by=member, status=ActionStatus.DONE)

    action.refresh_from_db()
    assert action.status == ActionStatus.DONE and action.closed_at is not None
    event = AuditEvent.objects.filter(type=GovernanceEvent.ACTION_STATUS_CHANGED).get()
    assert event.by == member and event.data["previous"] == "open"


def test_open_action_past_its_date_is_overdue(network, lead, member):
    meeting = make_meeting(make_group(network))
    action = actions.record_action(meeting=meeting, by=lead, owner=member,
                                   description="Share", due_on=date(2025, 4, 1))

    assert action.is_overdue(today=date(2025, 4, 2))
    assert not action.is_overdue(today=date(2025, 4, 1))
    actions.set_action_status(action=action, by=member, status=ActionStatus.CANCELLED)
    assert not action.is_overdue(today=date(2025, 4, 2))


def test_attendance_is_only_for_group_members(network, lead):
    other = MembershipFactory(network=network, role=Role.MEMBER).user
    meeting = make_meeting(make_group(network, chair=lead))

    with pytest.raises(actions.NotANetworkMember):
        actions.record_attendance(meeting=meeting, by=lead,
                                  statuses={other.pk: "present"})


def test_a_network_has_one_steering_group(network):
    make_group(network, name="Steering group", kind=GroupKind.STEERING)

    with pytest.raises(IntegrityError):
        make_group(network, name="Second steering group", kind=GroupKind.STEERING)
