"""The discussion pages, through the test client (the notifications pages are
tested in test_notifications_pages.py)."""

import pytest
from django.urls import reverse

from msknet.communications.models import Notification
from msknet.discussions import actions
from msknet.discussions.models import Follow, Post, Thread
from tests.factories.memberships import MembershipFactory
from tests.factories.networks import NetworkFactory
from tests.queries import queries_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def aisha(network):
    return MembershipFactory(network=network, user__full_name="Aisha Rahman").user


@pytest.fixture
def thread(network, member):
    return actions.start_thread(
        network=network,
        by=member,
        title="FCP service models",
        body="How are first contact practitioners funded where you are?",
    )


def url(name, network, *args):
    return reverse(name, args=[network.slug, *args])


def test_list_shows_threads_latest_activity_first(client, network, member, thread):
    older = actions.start_thread(
        network=network, by=member, title="Back pain pathway", body="Where next?"
    )
    actions.post_reply(thread=thread, by=member, body="Bumping this")
    client.force_login(member)

    response = client.get(url("discussion-list", network))

    titles = [t.title for t in response.context["threads"]]
    assert titles == ["FCP service models", older.title]
    assert response.context["threads"][0].reply_count == 1
    assert b"Start a discussion" in response.content


@pytest.mark.parametrize("threads", [2, 6])
def test_list_query_count_is_fixed(client, network, member, threads):
    for n in range(threads):
        actions.start_thread(network=network, by=member, title=f"T{n}", body="Hi")
    client.force_login(member)
    client.get(url("discussion-list", network))  # warm the session and caches

    response, queries = queries_of(lambda: client.get(url("discussion-list", network)))

    assert len(queries) == 8  # with the two-factor check
    assert len(response.context["threads"]) == threads


def test_list_is_paginated(client, network, member):
    for n in range(21):
        actions.start_thread(network=network, by=member, title=f"Topic {n}", body="Hi")
    client.force_login(member)

    response = client.get(url("discussion-list", network), {"page": 2})

    assert len(response.context["threads"]) == 1
    assert "(page 2 of 2)" in response.content.decode()


def test_start_a_thread_with_a_mention(client, network, member, aisha):
    client.force_login(member)

    response = client.post(
        url("discussion-create", network),
        {"title": "Waiting-list validation", "body": "Over to you @[Aisha Rahman]"},
    )

    thread = Thread.objects.get()
    assert response["Location"] == thread.get_absolute_url()
    assert Notification.objects.get().user == aisha


def test_start_a_thread_refuses_unknown_mentions_and_blanks(client, network, member):
    client.force_login(member)

    response = client.post(
        url("discussion-create", network), {"title": "", "body": "Hi @[Nobody Here]"}
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in content
    assert "Enter a title" in content
    assert "No member of London MSK is called @[nobody here]" in content
    assert not Thread.objects.exists()


def test_thread_page_shows_posts_safely_with_reply_form(client, network, member):
    thread = actions.start_thread(
        network=network, by=member, title="Safe", body="<script>alert(1)</script>"
    )
    client.force_login(member)

    response = client.get(thread.get_absolute_url())

    content = response.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert "<script>alert(1)" not in content
    assert "Post reply" in content


def test_reply_redirects_to_the_reply(client, network, member, aisha, thread):
    client.force_login(aisha)

    response = client.post(url("discussion-reply", network, thread.pk), {"body": "Hi"})

    post = Post.objects.get(is_opening=False)
    assert response["Location"] == post.get_absolute_url()
    assert Notification.objects.get().user == member


def test_empty_reply_shows_the_error_on_the_thread(client, network, member, thread):
    client.force_login(member)

    response = client.post(url("discussion-reply", network, thread.pk), {"body": " "})

    assert response.status_code == 200
    assert "Enter your reply" in response.content.decode()
    assert Post.objects.count() == 1


def test_locked_thread_has_no_reply_form_and_refuses_replies(
    client, network, member, lead, thread
):
    actions.lock_thread(thread=thread, by=lead, reason="Moved to the FCP subgroup")
    client.force_login(member)

    page = client.get(thread.get_absolute_url()).content.decode()
    response = client.post(url("discussion-reply", network, thread.pk), {"body": "Hi"})

    assert "Moved to the FCP subgroup" in page and "Post reply" not in page
    assert response["Location"] == thread.get_absolute_url()
    assert Post.objects.count() == 1


def test_follow_and_unfollow(client, network, aisha, thread):
    client.force_login(aisha)

    client.post(url("discussion-follow", network, thread.pk))
    assert Follow.objects.filter(user=aisha, thread=thread).exists()
    client.post(url("discussion-unfollow", network, thread.pk))

    assert not Follow.objects.filter(user=aisha, thread=thread).exists()


def test_author_edits_own_post(client, network, member, thread):
    post = thread.posts.get()
    client.force_login(member)
    edit = url("discussion-post-edit", network, post.pk)

    assert client.get(edit).status_code == 200
    response = client.post(edit, {"title": "FCP models", "body": "Edited text"})

    post.refresh_from_db()
    assert response["Location"] == post.get_absolute_url()
    assert post.body == "Edited text" and post.edited_at is not None
    assert "(edited " in client.get(thread.get_absolute_url()).content.decode()


def test_others_cannot_edit_a_post(client, network, aisha, lead, thread):
    edit = url("discussion-post-edit", network, thread.posts.get().pk)

    for user in (aisha, lead):
        client.force_login(user)
        assert client.get(edit).status_code == 403


def test_lead_hides_a_reply_with_a_reason(client, network, member, aisha, lead, thread):
    reply = actions.post_reply(
        thread=thread, by=aisha, body="Patient J. Smith, 4 Elm Rd"
    )
    hide = url("discussion-post-hide", network, reply.pk)
    client.force_login(lead)

    refused = client.post(hide, {"reason": ""})
    response = client.post(hide, {"reason": "Could identify a patient"})

    assert "Enter a reason: members see it" in refused.content.decode()
    assert response["Location"] == reply.get_absolute_url()
    lead_view = client.get(thread.get_absolute_url()).content.decode()
    assert "Hidden by a moderator: Could identify a patient" in lead_view
    assert "4 Elm Rd" in lead_view
    client.force_login(member)
    member_view = client.get(thread.get_absolute_url()).content.decode()
    assert "Hidden by a moderator: Could identify a patient" in member_view
    assert "4 Elm Rd" not in member_view


def test_lead_unhides_a_post(client, network, lead, thread):
    post = thread.posts.get()
    actions.hide_post(post=post, by=lead, reason="Checking")
    client.force_login(lead)

    client.post(url("discussion-post-unhide", network, post.pk))

    post.refresh_from_db()
    assert not post.is_hidden


def test_lead_locks_and_unlocks(client, network, lead, thread):
    client.force_login(lead)
    lock = url("discussion-lock", network, thread.pk)

    assert "Enter a reason" in client.post(lock, {"reason": ""}).content.decode()
    client.post(lock, {"reason": "Heated; cooling off"})
    thread.refresh_from_db()
    assert thread.lock_reason == "Heated; cooling off"
    client.post(url("discussion-unlock", network, thread.pk))

    thread.refresh_from_db()
    assert not thread.is_locked


def test_members_cannot_moderate(client, network, member, thread):
    client.force_login(member)

    response = client.post(
        url("discussion-post-hide", network, thread.posts.get().pk), {"reason": "x"}
    )

    assert response.status_code == 403
    assert not Post.objects.filter(hidden_at__isnull=False).exists()


def test_thread_of_another_network_is_not_found(client, network, member):
    other = NetworkFactory()
    elsewhere = actions.start_thread(
        network=other,
        by=MembershipFactory(network=other).user,
        title="Elsewhere",
        body="Hi",
    )
    client.force_login(member)

    response = client.get(url("discussion-detail", network, elsewhere.pk))

    assert response.status_code == 404


def test_discussions_link_in_the_nav_for_members_only(
    client, network, member, outsider
):
    client.force_login(member)
    assert ("Discussions", url("discussion-list", network)) in client.get(
        url("network-home", network)
    ).context["nav_items"]

    client.force_login(outsider)
    assert "Discussions" not in dict(
        client.get(url("network-home", network)).context["nav_items"]
    )


def test_group_discussion_started_and_listed_by_group(client, network, member):
    from tests.factories.governance import make_group

    group = make_group(network)
    client.force_login(member)

    client.post(
        url("discussion-create", network),
        {"title": "Pathway audit", "body": "Who has data?", "group": group.pk},
    )
    actions.start_thread(network=network, by=member, title="Elsewhere", body="Hi")
    response = client.get(url("discussion-list", network), {"group": group.slug})

    assert Thread.objects.get(title="Pathway audit").group == group
    assert [t.title for t in response.context["threads"]] == ["Pathway audit"]
