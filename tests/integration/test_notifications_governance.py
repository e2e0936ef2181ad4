"""Governance tells people what needs them: actions given to them, due and
overdue; papers for their groups' meetings; terms of reference to approve."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from msknet.communications.models import (
    Delivery,
    Kind,
    Notification,
    NotificationPreference,
)
from msknet.governance import actions
from msknet.governance.models import ActionStatus
from msknet.governance.tasks import remind_action_owners
from msknet.members.models import Role
from tests.factories.governance import make_group, make_meeting, pdf_upload
from tests.factories.memberships import MembershipFactory

pytestmark = pytest.mark.django_db


def told(kind):
    return sorted(Notification.objects.filter(kind=kind).values_list("user_id", flat=True))


@pytest.fixture
def chair(network):
    return MembershipFactory(network=network, role=Role.MEMBER).user


@pytest.fixture
def group(network, chair, member):
    return make_group(network, chair=chair, members=[member])


@pytest.fixture
def meeting(group):
    return make_meeting(group)


def give_action(meeting, *, by, owner, due_in_days=30, text="Draft the back pain "
                "pathway audit"):
    return actions.record_action(
        meeting=meeting, by=by, owner=owner, description=text,
        due_on=timezone.localdate() + timedelta(days=due_in_days),
    )


# An action is given to someone ---------------------------------------------


def test_the_owner_of_a_new_action_is_told_and_emailed_a_link_to_it(
    client, meeting, chair, member, steering, sent_on_commit
):
    with sent_on_commit():
        action = give_action(meeting, by=chair, owner=member)

    assert told(Kind.ACTION_ASSIGNED) == [member.pk]
    notification = Notification.objects.get(kind=Kind.ACTION_ASSIGNED)
    assert notification.key == f"action:{action.pk}:assigned:{member.pk}"
    assert notification.title.startswith("Action for you, due ")
    assert notification.title.endswith(
        ": Draft the back pain pathway audit (Back pain pathway group)")
    [email] = mail.outbox
    assert email.to == [member.email]
    link = f"{settings.SITE_URL}{meeting.get_absolute_url()}#action-{action.pk}"
    assert link in email.body
    client.force_login(member)
    page = client.get(meeting.get_absolute_url())
    assert f'id="action-{action.pk}"' in page.content.decode()


def test_an_action_one_gives_oneself_tells_nobody(meeting, chair):
    give_action(meeting, by=chair, owner=chair)

    assert told(Kind.ACTION_ASSIGNED) == []


def test_an_owner_who_chose_never_is_told_on_the_site_only(
    meeting, chair, member, sent_on_commit
):
    NotificationPreference.objects.create(
        user=member, kind=Kind.ACTION_ASSIGNED, delivery=Delivery.NEVER)

    with sent_on_commit():
        give_action(meeting, by=chair, owner=member)

    assert told(Kind.ACTION_ASSIGNED) == [member.pk]
    assert mail.outbox == []


# Due and overdue ------------------------------------------------------------


def test_owners_are_reminded_once_of_open_actions_due_within_three_days(
    meeting, chair, member, steering, sent_on_commit
):
    due = give_action(meeting, by=chair, owner=member, due_in_days=3)
    give_action(meeting, by=chair, owner=steering, due_in_days=4, text="Not yet")
    done = give_action(meeting, by=chair, owner=chair, due_in_days=1, text="Done")
    actions.set_action_status(action=done, by=chair, status=ActionStatus.DONE)

    with sent_on_commit():
        remind_action_owners()
        remind_action_owners()

    assert told(Kind.ACTION_DUE_SOON) == [member.pk]
    notification = Notification.objects.get(kind=Kind.ACTION_DUE_SOON)
    assert notification.key == f"action:{due.pk}:due:{due.due_on.isoformat()}"
    assert notification.title == (
        "Action due in 3 days: Draft the back pain pathway audit "
        "(Back pain pathway group)")
    [email] = mail.outbox
    assert email.to == [member.email]
    assert f"{settings.SITE_URL}{due.get_absolute_url()}" in email.body
    assert told(Kind.ACTION_OVERDUE) == []


def test_an_action_due_today_says_so(meeting, chair, member):
    give_action(meeting, by=chair, owner=member, due_in_days=0)

    remind_action_owners()

    assert Notification.objects.get(kind=Kind.ACTION_DUE_SOON).title.startswith(
        "Action due today: ")


def test_owners_are_told_once_when_an_open_action_falls_overdue(
    meeting, chair, member, steering
):
    overdue = give_action(meeting, by=chair, owner=member, due_in_days=-1)
    give_action(meeting, by=chair, owner=steering, due_in_days=-60, text="Long ago")
    cancelled = give_action(meeting, by=chair, owner=chair, due_in_days=-2)
    actions.set_action_status(action=cancelled, by=chair,
                              status=ActionStatus.CANCELLED)

    remind_action_owners()
    remind_action_owners()

    assert told(Kind.ACTION_OVERDUE) == [member.pk]
    notification = Notification.objects.get(kind=Kind.ACTION_OVERDUE)
    assert notification.key == (
        f"action:{overdue.pk}:overdue:{overdue.due_on.isoformat()}")
    assert notification.title.startswith("Action overdue since ")
    assert told(Kind.ACTION_DUE_SOON) == []


def test_an_owner_who_chose_never_for_overdue_actions_gets_no_email(
    meeting, chair, member, sent_on_commit
):
    NotificationPreference.objects.create(
        user=member, kind=Kind.ACTION_OVERDUE, delivery=Delivery.NEVER)
    give_action(meeting, by=chair, owner=member, due_in_days=-1)

    with sent_on_commit():
        remind_action_owners()

    assert told(Kind.ACTION_OVERDUE) == [member.pk]
    assert mail.outbox == []


# Papers ---------------------------------------------------------------------


def test_the_groups_members_are_told_once_when_papers_go_up(
    client, network, meeting, chair, member, steering, sent_on_commit
):
    item = actions.save_agenda_item(meeting=meeting, by=chair, title="Audit plan")
    other_group_member = MembershipFactory(network=network).user
    make_group(network, members=[other_group_member], name="Hip and knee group")

    with sent_on_commit():
        actions.add_paper(item=item, by=chair, upload=pdf_upload("plan.pdf"))
        actions.add_paper(item=item, by=chair, upload=pdf_upload("budget.pdf"))

    assert told(Kind.PAPERS_PUBLISHED) == [member.pk]
    notification = Notification.objects.get(kind=Kind.PAPERS_PUBLISHED)
    assert notification.title == (
        "Papers for Quarterly meeting on 12 March 2025 (Back pain pathway group)")
    assert notification.key == (
        f"meeting:{meeting.pk}:papers:{timezone.localdate().isoformat()}")
    [email] = mail.outbox
    assert email.to == [member.email]
    assert f"{settings.SITE_URL}{meeting.get_absolute_url()}" in email.body
    client.force_login(member)
    assert "plan.pdf" in client.get(meeting.get_absolute_url()).content.decode()


def test_a_member_who_chose_never_for_papers_gets_no_email(
    meeting, chair, member, sent_on_commit
):
    NotificationPreference.objects.create(
        user=member, kind=Kind.PAPERS_PUBLISHED, delivery=Delivery.NEVER)
    item = actions.save_agenda_item(meeting=meeting, by=chair, title="Audit plan")

    with sent_on_commit():
        actions.add_paper(item=item, by=chair, upload=pdf_upload())

    assert told(Kind.PAPERS_PUBLISHED) == [member.pk]
    assert mail.outbox == []


# Terms of reference ---------------------------------------------------------


def test_those_who_may_approve_terms_are_told_once_per_version(
    client, network, group, chair, lead, steering, member, sent_on_commit
):
    other_lead = MembershipFactory(network=network, role=Role.LEAD).user

    with sent_on_commit():
        terms = actions.save_terms_draft(group=group, by=chair, text="Purpose",
                                         change_summary="First version")
        actions.save_terms_draft(group=group, by=chair, text="Purpose, quorum")

    assert told(Kind.TOR_FOR_APPROVAL) == sorted([lead.pk, other_lead.pk])
    notification = Notification.objects.get(kind=Kind.TOR_FOR_APPROVAL, user=lead)
    assert notification.key == f"terms:{terms.pk}:approval"
    assert notification.title == (
        "Terms of reference version 1 for approval: Back pain pathway group")
    assert sorted(email.to[0] for email in mail.outbox) == sorted(
        [lead.email, other_lead.email])
    link = f"{settings.SITE_URL}{terms.get_absolute_url()}"
    assert all(link in email.body for email in mail.outbox)
    client.force_login(lead)
    assert client.get(terms.get_absolute_url()).status_code == 200


def test_the_next_version_is_news_again_but_not_to_the_lead_who_drafted_it(
    network, group, chair, lead
):
    other_lead = MembershipFactory(network=network, role=Role.LEAD).user
    first = actions.save_terms_draft(group=group, by=chair, text="Purpose")
    actions.approve_terms(terms=first, by=lead, approved_on=timezone.localdate(),
                          approved_by_group="Steering group")

    second = actions.save_terms_draft(group=group, by=lead, text="Purpose, quorum")

    assert sorted(
        Notification.objects.filter(key=f"terms:{second.pk}:approval")
        .values_list("user_id", flat=True)
    ) == [other_lead.pk]


def test_an_approver_who_chose_never_is_told_on_the_site_only(
    group, chair, lead, sent_on_commit
):
    NotificationPreference.objects.create(
        user=lead, kind=Kind.TOR_FOR_APPROVAL, delivery=Delivery.NEVER)

    with sent_on_commit():
        actions.save_terms_draft(group=group, by=chair, text="Purpose")

    assert told(Kind.TOR_FOR_APPROVAL) == [lead.pk]
    assert mail.outbox == []
