import pytest

from msknet.communications import actions as notification_actions
from msknet.communications.models import Kind, Notification
from msknet.core.models import AuditEvent
from msknet.discussions import actions
from msknet.discussions.models import (
    DiscussionEvent,
    Follow,
    Mention,
    PostRevision,
)
from msknet.members.actions.accounts import erase_account
from msknet.members.models import Role
from tests.factories.memberships import MembershipFactory
from tests.factories.networks import NetworkFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def aisha(network):
    return MembershipFactory(
        network=network, user__full_name="Aisha Rahman", directory_listed=True
    ).user


def start(network, by, body="How do you taper opioids in primary care?", **kw):
    return actions.start_thread(
        network=network, by=by, title="Tapering opioids", body=body, **kw
    )


def test_start_thread_makes_opening_post_author_follows_and_audits(network, member):
    thread = start(network, member)

    opening = thread.posts.get()
    assert opening.is_opening and opening.author == member
    assert Follow.objects.filter(thread=thread, user=member).exists()
    event = AuditEvent.objects.get(type=DiscussionEvent.THREAD_STARTED)
    assert event.by == member and event.target_id == str(thread.pk)


def test_mention_by_full_name_notifies_the_member(network, member, aisha):
    thread = start(network, member, body="What do you think, @[aisha  RAHMAN]?")

    notification = Notification.objects.get()
    assert notification.user == aisha
    assert notification.kind == Kind.DISCUSSION_MENTION
    opening = thread.posts.get()
    assert notification.key == f"post:{opening.pk}"
    assert notification.url == f"{thread.get_absolute_url()}#post-{opening.pk}"
    assert notification.title == (
        f'{member.display_name} mentioned you in "Tapering opioids"'
    )
    assert notification.body == "What do you think, @Aisha Rahman?"
    assert Mention.objects.get().name == "aisha rahman"


def test_mention_of_nobody_in_the_network_is_refused(network, member):
    outsider = MembershipFactory(network=NetworkFactory(), user__full_name="Bob Hart")

    with pytest.raises(actions.UnknownMention) as refused:
        start(network, member, body=f"Ask @[{outsider.user.full_name}]")

    assert refused.value.names == ["bob hart"]
    assert not Notification.objects.exists()


def test_member_not_listed_in_directory_cannot_be_mentioned(network, member):
    MembershipFactory(
        network=network, user__full_name="Quiet Person", directory_listed=False
    )

    with pytest.raises(actions.UnknownMention):
        start(network, member, body="Ask @[Quiet Person]")


def test_reply_notifies_followers_but_not_its_author(network, member, aisha):
    thread = start(network, member)
    actions.follow_thread(thread=thread, by=aisha)

    reply = actions.post_reply(thread=thread, by=aisha, body="We use a 10% taper.")

    notified = Notification.objects.filter(key=f"post:{reply.pk}")
    assert [(n.user, n.kind) for n in notified] == [(member, Kind.DISCUSSION_REPLY)]


def test_replier_follows_the_thread(network, member, aisha):
    thread = start(network, member)

    actions.post_reply(thread=thread, by=aisha, body="Following with interest.")

    assert Follow.objects.filter(thread=thread, user=aisha).exists()
    second = actions.post_reply(thread=thread, by=member, body="Thanks!")
    assert Notification.objects.get(key=f"post:{second.pk}").user == aisha


def test_follower_who_is_mentioned_gets_one_mention(network, member, aisha):
    thread = start(network, member)
    actions.follow_thread(thread=thread, by=aisha)
    steering = MembershipFactory(network=network, role=Role.STEERING).user

    reply = actions.post_reply(
        thread=thread, by=steering, body="@[Aisha Rahman] agreed"
    )

    kinds = dict(Notification.objects.filter(key=f"post:{reply.pk}").values_list("user", "kind"))
    assert kinds == {
        aisha.pk: Kind.DISCUSSION_MENTION,
        member.pk: Kind.DISCUSSION_REPLY,
    }


def test_follower_who_left_the_network_is_not_notified(network, member, aisha):
    thread = start(network, member)
    actions.follow_thread(thread=thread, by=aisha)
    aisha.memberships.all().delete()

    reply = actions.post_reply(thread=thread, by=member, body="Anyone?")

    assert not Notification.objects.filter(key=f"post:{reply.pk}").exists()


def test_locked_thread_refuses_replies(network, member, lead):
    thread = start(network, member)
    actions.lock_thread(thread=thread, by=lead, reason="Moved to the pathway group")

    with pytest.raises(actions.ThreadLocked):
        actions.post_reply(thread=thread, by=member, body="One more thing")

    assert thread.posts.count() == 1


@pytest.mark.parametrize("reason", ["", "   "])
def test_moderation_needs_a_reason(network, member, lead, reason):
    thread = start(network, member)
    post = thread.posts.get()

    with pytest.raises(actions.ReasonRequired):
        actions.hide_post(post=post, by=lead, reason=reason)
    with pytest.raises(actions.ReasonRequired):
        actions.lock_thread(thread=thread, by=lead, reason=reason)

    post.refresh_from_db()
    thread.refresh_from_db()
    assert not post.is_hidden and not thread.is_locked


def test_hide_and_unhide_record_who_when_and_why(network, member, lead):
    post = start(network, member).posts.get()

    actions.hide_post(post=post, by=lead, reason="Names a patient")
    post.refresh_from_db()
    assert (post.hidden_by, post.hidden_reason) == (lead, "Names a patient")
    assert post.hidden_at is not None

    actions.unhide_post(post=post, by=lead)
    post.refresh_from_db()
    assert not post.is_hidden
    events = AuditEvent.objects.filter(
        target_type="discussions.post", target_id=str(post.pk)
    ).order_by("at", "pk")
    assert [(e.type, e.by) for e in events] == [
        (DiscussionEvent.POST_HIDDEN, lead),
        (DiscussionEvent.POST_UNHIDDEN, lead),
    ]
    assert events[0].data["reason"] == "Names a patient"
    assert events[1].data["hidden_reason"] == "Names a patient"


def test_unlock_is_recorded_and_allows_replies(network, member, lead):
    thread = start(network, member)
    actions.lock_thread(thread=thread, by=lead, reason="Cooling off")

    actions.unlock_thread(thread=thread, by=lead)

    assert AuditEvent.objects.filter(type=DiscussionEvent.THREAD_UNLOCKED).exists()
    actions.post_reply(thread=thread, by=member, body="Back again")


def test_edit_keeps_earlier_text_and_notifies_new_mentions(network, member, aisha):
    post = start(network, member).posts.get()

    actions.edit_post(post=post, by=member, body="Updated: @[Aisha Rahman] can help")

    post.refresh_from_db()
    assert post.edited_at is not None
    assert PostRevision.objects.get().body.startswith("How do you taper")
    assert Notification.objects.get().user == aisha
    assert AuditEvent.objects.filter(type=DiscussionEvent.POST_EDITED).count() == 1


def test_edit_of_opening_post_changes_the_title(network, member):
    thread = start(network, member)

    actions.edit_post(
        post=thread.posts.get(), by=member, body="Same", title="Opioid tapering"
    )

    thread.refresh_from_db()
    assert thread.title == "Opioid tapering"


def test_unfollow_stops_reply_notifications(network, member, aisha):
    thread = start(network, member)
    actions.post_reply(thread=thread, by=aisha, body="Hello")

    assert actions.unfollow_thread(thread=thread, by=aisha)
    reply = actions.post_reply(thread=thread, by=member, body="Hello back")

    assert not Notification.objects.filter(key=f"post:{reply.pk}").exists()


def test_mark_all_read(network, member, aisha):
    start(network, member, body="@[Aisha Rahman] one")
    start(network, member, body="@[Aisha Rahman] two")

    assert notification_actions.mark_all_read(user=aisha, by=aisha) == 2

    assert not Notification.objects.unread().exists()


def test_erased_author_shows_as_former_member(network, member, aisha):
    thread = start(network, aisha, body="My first post")

    erase_account(user=aisha)

    thread.refresh_from_db()
    assert thread.author_name == "Former member"
    assert thread.posts.get().author_name == "Former member"


def test_erasure_removes_the_members_name_from_mentions_and_their_notifications(
    network, member, aisha
):
    thread = start(network, member, body="Ask @[aisha  Rahman] about @[Aisha Rahman]")
    actions.post_reply(thread=thread, by=aisha, body="Happy to help")
    opening = thread.posts.get(is_opening=True)
    actions.edit_post(post=opening, by=member,
                      body="Ask @[Aisha Rahman], she knows")
    assert Notification.objects.filter(user=aisha).exists()
    told_of_her_reply = Notification.objects.get(user=member)
    assert told_of_her_reply.title.startswith("Aisha Rahman replied")

    erase_account(user=aisha)

    opening.refresh_from_db()
    assert opening.body == "Ask @[Former member], she knows"
    assert "Aisha" not in PostRevision.objects.get(post=opening).body
    assert not Notification.objects.filter(user=aisha).exists()
    told_of_her_reply.refresh_from_db()
    assert told_of_her_reply.title == 'Former member replied in "Tapering opioids"'
    assert not Follow.objects.filter(user=aisha).exists()
    assert Mention.objects.get(post=opening).user == aisha  # shown as former member
    assert thread.posts.count() == 2  # her reply stays, by "former member"


def test_data_download_includes_posts_follows_and_notifications(network, member, aisha):
    from msknet.members.queries_accounts import personal_data

    thread = start(network, member, body="Mine, @[Aisha Rahman]")
    actions.edit_post(post=thread.posts.get(), by=member, body="Mine, edited")

    mine = personal_data(member)["discussions"]
    theirs = personal_data(aisha)["notifications"]

    assert mine["posts"][0]["body"] == "Mine, edited"
    assert mine["posts"][0]["earlier_versions"] == ["Mine, @[Aisha Rahman]"]
    assert mine["following"][0]["thread"] == "Tapering opioids"
    assert theirs["notifications"][0]["kind"] == "Someone mentions you in a discussion"
    assert theirs["notification_email_choices"] == []


def test_hiding_a_post_withdraws_its_notifications(network, member, aisha, lead):
    thread = start(network, member)
    reply = actions.post_reply(thread=thread, by=aisha, body="Ask @[Aisha Rahman]")
    assert Notification.objects.filter(key=f"post:{reply.pk}").exists()

    actions.hide_post(post=reply, by=lead, reason="Off topic")

    assert not Notification.objects.filter(key=f"post:{reply.pk}").exists()


def test_editing_a_hidden_post_tells_nobody(network, member, aisha, lead):
    thread = start(network, member)
    reply = actions.post_reply(thread=thread, by=member, body="First go")
    actions.hide_post(post=reply, by=lead, reason="Off topic")

    actions.edit_post(post=reply, by=member, body="Second go, @[Aisha Rahman]")

    assert not Notification.objects.filter(key=f"post:{reply.pk}").exists()
