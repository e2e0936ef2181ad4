"""A locked discussion takes no replies and its posts no edits, on the pages and
through the API, until a lead unlocks it (the rule itself:
tests/unit/discussions/test_permissions.py)."""

import pytest
from django.urls import reverse

from msknet.discussions import actions
from msknet.members.actions.accounts import create_api_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(network, member):
    return actions.start_thread(network=network, by=member, title="FCP funding",
                                body="How are first contact practitioners funded?")


def edit_url(post):
    return reverse("discussion-post-edit", args=[post.thread.network.slug, post.pk])


def test_author_cannot_edit_their_post_while_the_thread_is_locked(
        client, member, lead, thread):
    post = thread.posts.get()
    client.force_login(member)
    assert client.get(edit_url(post)).status_code == 200
    actions.lock_thread(thread=thread, by=lead, reason="Moved to the FCP subgroup")

    page = client.get(thread.get_absolute_url())
    form = client.get(edit_url(post))
    sent = client.post(edit_url(post), {"title": "FCP funding", "body": "Changed"})

    assert page.status_code == 200
    assert edit_url(post) not in page.content.decode()
    assert form.status_code == 403
    assert sent.status_code == 403
    post.refresh_from_db()
    assert post.body == "How are first contact practitioners funded?"


def test_author_edits_again_once_the_thread_is_unlocked(client, member, lead, thread):
    post = thread.posts.get()
    actions.lock_thread(thread=thread, by=lead, reason="Cooling off")
    actions.unlock_thread(thread=thread, by=lead)
    client.force_login(member)

    page = client.get(thread.get_absolute_url())
    sent = client.post(edit_url(post), {"title": "FCP funding", "body": "Changed"})

    assert edit_url(post) in page.content.decode()
    assert sent.status_code == 302
    post.refresh_from_db()
    assert post.body == "Changed"


def api_headers(user):
    return {"Authorization": f"Bearer {create_api_token(user=user, name='t')[1]}"}


def test_api_says_a_thread_is_locked_and_refuses_replies_until_unlocked(
        client, network, member, lead, thread):
    detail = reverse("api:thread-detail", args=[network.slug, thread.pk])
    replies = reverse("api:reply-create", args=[network.slug, thread.pk])
    headers = api_headers(member)
    actions.lock_thread(thread=thread, by=lead, reason="Decided at the meeting")

    shown = client.get(detail, headers=headers)
    refused = client.post(replies, {"body": "Late"}, content_type="application/json",
                          headers=headers)
    actions.unlock_thread(thread=thread, by=lead)
    accepted = client.post(replies, {"body": "Now"}, content_type="application/json",
                           headers=headers)

    assert shown.status_code == 200
    assert shown.json()["locked"] is True
    assert shown.json()["lock_reason"] == "Decided at the meeting"
    assert refused.status_code == 409
    assert thread.posts.count() == 2  # the opening post and the reply once unlocked
    assert accepted.status_code == 201
