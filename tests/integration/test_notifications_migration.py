"""The data migration that moves discussion notifications and digest choices
into communications (discussions 0002), run against the tables as they were."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

BEFORE = [("discussions", "0001_initial")]
AFTER = [("discussions", "0003_remove_notifications_and_digest_preferences")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_notifications_and_digest_choices_move_to_communications():
    old = migrate(BEFORE)
    User = old.get_model("members", "User")
    Network = old.get_model("members", "Network")
    Membership = old.get_model("members", "Membership")
    Thread = old.get_model("discussions", "Thread")
    Post = old.get_model("discussions", "Post")
    Notification = old.get_model("discussions", "Notification")
    DigestPreference = old.get_model("discussions", "DigestPreference")
    now = timezone.now()
    london = Network.objects.create(name="London MSK", short_name="London", slug="ldn")
    north = Network.objects.create(name="North MSK", short_name="North", slug="north")
    author = User.objects.create(email="author@example.nhs.uk", full_name="Ada Author")
    reader = User.objects.create(email="reader@example.nhs.uk", full_name="Ray Reader")
    quiet = User.objects.create(email="quiet@example.nhs.uk", full_name="Quinn Quiet")
    for user in (author, reader, quiet):
        Membership.objects.create(user=user, network=london, joined_at=now)
    Membership.objects.create(user=reader, network=north, joined_at=now)
    thread = Thread.objects.create(network=london, title="Knee pathways", author=author)
    early = Post.objects.create(thread=thread, author=author, body="@[Ray Reader]",
                                is_opening=True, created_at=now - timedelta(days=3))
    late = Post.objects.create(thread=thread, author=author, body="More",
                               created_at=now - timedelta(hours=2))
    hidden = Post.objects.create(thread=thread, author=author, body="Oops",
                                 hidden_at=now, hidden_reason="Off topic")
    Notification.objects.create(user=reader, network=london, thread=thread, post=early,
                                kind="mention", created_at=early.created_at,
                                read_at=now - timedelta(days=1))
    Notification.objects.create(user=reader, network=london, thread=thread, post=late,
                                kind="reply", created_at=late.created_at)
    Notification.objects.create(user=reader, network=london, thread=thread, post=hidden,
                                kind="reply")
    # The reader had a daily digest in London a day ago, weekly (no choice) in North.
    DigestPreference.objects.create(user=reader, network=london, frequency="daily",
                                    last_sent_at=now - timedelta(days=1))
    DigestPreference.objects.create(user=quiet, network=london, frequency="none")

    new = migrate(AFTER)

    Moved = new.get_model("communications", "Notification")
    Preference = new.get_model("communications", "NotificationPreference")
    moved = {n.key: n for n in Moved.objects.filter(user_id=reader.pk)}
    assert set(moved) == {f"post:{early.pk}", f"post:{late.pk}"}  # not the hidden one
    mention = moved[f"post:{early.pk}"]
    assert mention.kind == "discussion_mention"
    assert mention.title == 'Ada Author mentioned you in "Knee pathways"'
    assert mention.url == f"/n/ldn/discussions/{thread.pk}/#post-{early.pk}"
    assert mention.read_at is not None
    assert mention.emailed_at is not None  # the digest a day ago covered it
    reply = moved[f"post:{late.pk}"]
    assert reply.kind == "discussion_reply"
    assert reply.emailed_at is None and reply.read_at is None
    choices = set(Preference.objects.values_list("user_id", "kind", "delivery"))
    assert choices == {
        (reader.pk, "discussion_mention", "daily"),
        (reader.pk, "discussion_reply", "daily"),
        (quiet.pk, "discussion_mention", "never"),
        (quiet.pk, "discussion_reply", "never"),
    }
