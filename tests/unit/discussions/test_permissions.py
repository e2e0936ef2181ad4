import pytest

from msknet.discussions import actions
from msknet.members.permissions import Permission, has_permission
from tests.factories.memberships import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(network, member):
    thread = actions.start_thread(network=network, by=member, title="T", body="Hi")
    return thread.posts.get()


def test_members_read_and_take_part_outsiders_and_visitors_do_not(
    network, member, steering, outsider
):
    for user in (member, steering):
        assert has_permission(user, Permission.VIEW_DISCUSSIONS, network)
        assert has_permission(user, Permission.TAKE_PART_IN_DISCUSSIONS, network)
    assert not has_permission(outsider, Permission.VIEW_DISCUSSIONS, network)
    assert not has_permission(outsider, Permission.TAKE_PART_IN_DISCUSSIONS, network)


def test_only_leads_moderate(network, member, steering, lead):
    assert has_permission(lead, Permission.MODERATE_DISCUSSIONS, network)
    assert not has_permission(steering, Permission.MODERATE_DISCUSSIONS, network)
    assert not has_permission(member, Permission.MODERATE_DISCUSSIONS, network)


def test_only_the_author_edits_a_post(network, member, lead, post):
    assert has_permission(member, Permission.EDIT_DISCUSSION_POST, network, post)
    assert not has_permission(lead, Permission.EDIT_DISCUSSION_POST, network, post)


def test_author_who_left_cannot_edit(network, member, post):
    member.memberships.all().delete()
    member.__dict__.pop("_msknet_roles", None)

    assert not has_permission(member, Permission.EDIT_DISCUSSION_POST, network, post)


def test_hidden_post_or_locked_thread_cannot_be_edited(network, member, lead, post):
    actions.lock_thread(thread=post.thread, by=lead, reason="Closed")
    post.thread.refresh_from_db()
    assert not has_permission(member, Permission.EDIT_DISCUSSION_POST, network, post)

    actions.unlock_thread(thread=post.thread, by=lead)
    actions.hide_post(post=post, by=lead, reason="Off topic")
    post.refresh_from_db()
    post.thread.refresh_from_db()
    assert not has_permission(member, Permission.EDIT_DISCUSSION_POST, network, post)


def test_lead_of_another_network_cannot_moderate_here(network):
    other_lead = MembershipFactory(role="lead").user

    assert not has_permission(other_lead, Permission.MODERATE_DISCUSSIONS, network)
