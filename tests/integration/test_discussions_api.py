"""The discussions API: threads, replies, following and notifications."""

import pytest
from django.urls import reverse

from msknet.communications.models import Notification
from msknet.discussions import actions
from msknet.discussions.models import Thread
from msknet.members.actions.accounts import create_api_token
from tests.factories.memberships import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client):
    """Call the API with each user's own token."""
    tokens = {}

    def headers(user):
        if user.pk not in tokens:
            tokens[user.pk] = create_api_token(user=user, name="tests")[1]
        return {"Authorization": f"Bearer {tokens[user.pk]}"}

    class Api:
        def get(self, url, as_user, **params):
            return client.get(url, params, headers=headers(as_user))

        def post(self, url, body=None, *, as_user):
            return client.post(
                url,
                body or {},
                content_type="application/json",
                headers=headers(as_user),
            )

    return Api()


@pytest.fixture
def aisha(network):
    return MembershipFactory(network=network, user__full_name="Aisha Rahman").user


@pytest.fixture
def thread(network, member):
    return actions.start_thread(
        network=network, by=member, title="Back pain pathway", body="Where next?"
    )


def test_list_threads(api, network, member, thread):
    response = api.get(reverse("api:thread-list", args=[network.slug]), as_user=member)

    assert response.status_code == 200
    [item] = response.json()["items"]
    assert item["title"] == "Back pain pathway"
    assert item["reply_count"] == 0 and item["locked"] is False


def test_list_threads_unknown_group_is_422(api, network, member):
    response = api.get(
        reverse("api:thread-list", args=[network.slug]), as_user=member, group="nope"
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "group"


def test_create_thread_with_a_mention(api, network, member, aisha):
    response = api.post(
        reverse("api:thread-list", args=[network.slug]),
        {"title": "FCP models", "body": "Thoughts, @[Aisha Rahman]?"},
        as_user=member,
    )

    assert response.status_code == 201
    body = response.json()
    assert body["following"] is True
    assert body["posts"][0]["body"] == "Thoughts, @Aisha Rahman?"
    assert Notification.objects.get().user == aisha


def test_create_thread_unknown_mention_is_422(api, network, member):
    response = api.post(
        reverse("api:thread-list", args=[network.slug]),
        {"title": "FCP models", "body": "Hi @[Nobody]"},
        as_user=member,
    )

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "body",
            "message": "No member of London MSK is called @[nobody]. "
            "Check the name, or choose the person from the list of members",
        }
    ]
    assert not Thread.objects.exists()


def test_reply_and_locked_reply(api, network, member, lead, thread):
    replies = reverse("api:reply-create", args=[network.slug, thread.pk])

    created = api.post(replies, {"body": "Stratify first"}, as_user=lead)
    actions.lock_thread(thread=thread, by=lead, reason="Decided")
    refused = api.post(replies, {"body": "Late"}, as_user=member)

    assert created.status_code == 201 and created.json()["body"] == "Stratify first"
    assert refused.status_code == 409
    assert "locked" in refused.json()["detail"]


def test_thread_detail_hides_hidden_text_from_members_not_leads(
    api, network, member, lead, thread
):
    actions.hide_post(post=thread.posts.get(), by=lead, reason="Off topic")
    url = reverse("api:thread-detail", args=[network.slug, thread.pk])

    as_member = api.get(url, as_user=member).json()["posts"][0]
    as_lead = api.get(url, as_user=lead).json()["posts"][0]

    assert as_member["body"] is None and as_member["hidden_reason"] == "Off topic"
    assert as_lead["body"] == "Where next?"


def test_follow_and_unfollow(api, network, aisha, thread):
    follow = reverse("api:thread-follow", args=[network.slug, thread.pk])
    unfollow = reverse("api:thread-unfollow", args=[network.slug, thread.pk])

    assert api.post(follow, as_user=aisha).json() == {"following": True}
    detail = reverse("api:thread-detail", args=[network.slug, thread.pk])
    assert api.get(detail, as_user=aisha).json()["following"] is True
    assert api.post(unfollow, as_user=aisha).json() == {"following": False}


def test_notifications_list_and_mark_read(api, network, member, aisha):
    actions.start_thread(
        network=network, by=member, title="One", body="@[Aisha Rahman]"
    )
    actions.start_thread(
        network=network, by=member, title="Two", body="@[Aisha Rahman]"
    )
    listing = reverse("api:notification-list")

    items = api.get(listing, as_user=aisha, unread="true").json()["items"]
    first = api.post(
        reverse("api:notification-read", args=[items[0]["id"]]), as_user=aisha
    )
    rest = api.post(reverse("api:notification-read-all"), as_user=aisha)

    assert [i["kind"] for i in items] == ["discussion_mention", "discussion_mention"]
    assert [i["title"] for i in items] == [
        f'{member.display_name} mentioned you in "Two"',
        f'{member.display_name} mentioned you in "One"',
    ]
    assert items[0]["url"].startswith(f"/n/{network.slug}/discussions/")
    assert first.json()["read"] is True
    assert rest.json() == {"marked_read": 1}
    assert api.get(listing, as_user=aisha, unread="true").json()["count"] == 0
    assert api.get(listing, as_user=member).json()["count"] == 0
