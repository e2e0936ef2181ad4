from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from msknet.discussions import actions
from msknet.discussions.digests import send_digests
from msknet.discussions.models import DigestPreference
from tests.factories.memberships import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def aisha(network):
    return MembershipFactory(
        network=network, user__full_name="Aisha Rahman", user__email="aisha@example.org"
    ).user


def mention(network, by, text="Can you help, @[Aisha Rahman]?"):
    return actions.start_thread(
        network=network, by=by, title="Waiting lists", body=text
    )


def test_weekly_digest_by_default_lists_the_notification(
    network, member, aisha, sent_on_commit
):
    thread = mention(network, member)

    with sent_on_commit():
        sent = send_digests(frequency="weekly")

    assert sent == 1
    [email] = mail.outbox
    assert email.to == ["aisha@example.org"]
    assert "1 new notification" in email.subject
    assert f'{member.full_name} mentioned you in "Waiting lists"' in email.body
    assert thread.get_absolute_url() in email.body


def test_daily_run_skips_weekly_members(network, member, aisha, sent_on_commit):
    mention(network, member)

    with sent_on_commit():
        assert send_digests(frequency="daily") == 0

    assert mail.outbox == []


def test_daily_members_get_the_daily_digest(network, member, aisha, sent_on_commit):
    actions.choose_digest(user=aisha, network=network, frequency="daily", by=aisha)
    mention(network, member)

    with sent_on_commit():
        assert send_digests(frequency="weekly") == 0
        assert send_digests(frequency="daily") == 1

    assert len(mail.outbox) == 1


def test_none_means_no_digest(network, member, aisha, sent_on_commit):
    actions.choose_digest(user=aisha, network=network, frequency="none", by=aisha)
    mention(network, member)

    with sent_on_commit():
        assert send_digests(frequency="daily") + send_digests(frequency="weekly") == 0

    assert mail.outbox == []


def test_nothing_is_sent_twice(network, member, aisha, sent_on_commit):
    mention(network, member)
    with sent_on_commit():
        send_digests(frequency="weekly")

    with sent_on_commit():
        again = send_digests(frequency="weekly", now=timezone.now() + timedelta(days=7))

    assert again == 0
    assert len(mail.outbox) == 1
    assert DigestPreference.objects.get(user=aisha).last_sent_at is not None


def test_next_digest_has_only_what_is_new(network, member, aisha, sent_on_commit):
    mention(network, member, "First @[Aisha Rahman]")
    with sent_on_commit():
        send_digests(frequency="weekly")
    later = mention(network, member, "Second @[Aisha Rahman]")

    with sent_on_commit():
        send_digests(frequency="weekly", now=timezone.now() + timedelta(days=7))

    assert len(mail.outbox) == 2
    assert later.get_absolute_url() in mail.outbox[1].body
    assert "1 new notification" in mail.outbox[1].subject


def test_nobody_with_nothing_new_gets_an_email(network, member, aisha, sent_on_commit):
    with sent_on_commit():
        assert send_digests(frequency="weekly") == 0

    assert mail.outbox == []


def test_read_and_hidden_notifications_are_left_out(
    network, member, aisha, lead, sent_on_commit
):
    read = mention(network, member, "One @[Aisha Rahman]")
    hidden = mention(network, member, "Two @[Aisha Rahman]")
    actions.mark_all_read(user=aisha, by=aisha)
    mention(network, member, "Three @[Aisha Rahman]")
    actions.hide_post(post=hidden.posts.get(), by=lead, reason="Off topic")
    assert read

    with sent_on_commit():
        send_digests(frequency="weekly")

    assert "1 new notification" in mail.outbox[0].subject


def test_erased_members_get_no_digest(network, member, aisha, sent_on_commit):
    from msknet.members.actions.accounts import erase_account

    mention(network, member)
    erase_account(user=aisha)

    with sent_on_commit():
        assert send_digests(frequency="weekly") == 0
