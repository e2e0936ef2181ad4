"""A person's notifications page and their email choices, through the test client."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from msknet.communications.models import (
    CommunicationsEvent,
    Delivery,
    Kind,
    Notification,
    NotificationPreference,
)
from msknet.communications.notify import notify
from msknet.core.models import AuditEvent
from msknet.discussions import actions as discussion_actions
from tests.factories.memberships import MembershipFactory
from tests.factories.networks import NetworkFactory
from tests.queries import queries_of

pytestmark = pytest.mark.django_db


def tell(network, person, *, kind=Kind.ACTION_ASSIGNED, key="action:1", title="Do it",
         url="/somewhere/", ago=0):
    [notification] = notify(kind=kind, recipients=[person], network=network, key=key,
                            title=title, url=url)
    if ago:
        Notification.objects.filter(pk=notification.pk).update(
            created_at=timezone.now() - timedelta(hours=ago)
        )
    return notification


def test_the_list_shows_every_network_newest_first_unread_marked(client, network, member):
    elsewhere = NetworkFactory(name="Elsewhere MSK", slug="elsewhere")
    MembershipFactory(network=elsewhere, user=member)
    tell(network, member, title="Older, read", key="a", ago=5)
    tell(elsewhere, member, title="Newer elsewhere", key="b", ago=1)
    Notification.objects.filter(key="a").update(read_at=timezone.now())
    client.force_login(member)

    response = client.get(reverse("notification-list"))

    titles = [n.title for n in response.context["notifications"]]
    assert titles == ["Newer elsewhere", "Older, read"]
    assert response.context["unread"] == 1
    assert response.text.count(">Unread</strong>") == 1
    assert "1 unread." in response.text


def test_the_list_filters_by_network_and_kind(client, network, member):
    elsewhere = NetworkFactory(name="Elsewhere MSK", slug="elsewhere")
    MembershipFactory(network=elsewhere, user=member)
    tell(network, member, title="Action here", key="a")
    tell(network, member, title="Papers here", key="b", kind=Kind.PAPERS_PUBLISHED)
    tell(elsewhere, member, title="Action elsewhere", key="c")
    client.force_login(member)

    by_network = client.get(reverse("notification-list"), {"network": "elsewhere"})
    by_kind = client.get(reverse("notification-list"), {"kind": "papers_published"})
    nothing = client.get(
        reverse("notification-list"), {"network": "elsewhere", "kind": "papers_published"}
    )

    assert [n.title for n in by_network.context["notifications"]] == ["Action elsewhere"]
    assert [n.title for n in by_kind.context["notifications"]] == ["Papers here"]
    assert "You have no notifications of this kind here" in nothing.text


def test_a_network_the_person_left_is_not_listed(client, network, member):
    elsewhere = NetworkFactory(slug="elsewhere")
    membership = MembershipFactory(network=elsewhere, user=member)
    tell(elsewhere, member, title="From before")
    membership.delete()
    client.force_login(member)

    response = client.get(reverse("notification-list"))

    assert list(response.context["notifications"]) == []


def test_the_list_is_paginated_and_its_queries_do_not_grow(client, network, member):
    client.force_login(member)
    for number in range(3):
        tell(network, member, key=f"few-{number}")
    _, few = queries_of(lambda: client.get(reverse("notification-list")))
    for number in range(40):
        tell(network, member, key=f"many-{number}")

    response, many = queries_of(lambda: client.get(reverse("notification-list")))

    assert len(many) == len(few)
    assert len(response.context["notifications"]) == 30
    assert response.context["page"].paginator.num_pages == 2


def test_opening_marks_read_and_goes_to_the_page(client, network, member):
    notification = tell(network, member, url="/n/london/discussions/1/#post-2")
    client.force_login(member)

    response = client.get(reverse("notification-open", args=[notification.pk]))

    assert response["Location"] == "/n/london/discussions/1/#post-2"
    notification.refresh_from_db()
    assert notification.is_read


@pytest.mark.parametrize(
    "url", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:x"]
)
def test_opening_refuses_to_leave_the_site(client, network, member, url):
    notification = tell(network, member, url=url)
    client.force_login(member)

    response = client.get(reverse("notification-open", args=[notification.pk]), follow=True)

    assert response.redirect_chain == [(reverse("notification-list"), 302)]
    assert "This notification&#x27;s link does not work" in response.text


def test_someone_elses_notification_is_not_found(client, network, member):
    other = MembershipFactory(network=network).user
    notification = tell(network, other)
    client.force_login(member)

    response = client.get(reverse("notification-open", args=[notification.pk]))

    assert response.status_code == 404
    notification.refresh_from_db()
    assert not notification.is_read


def test_mark_all_read(client, network, member):
    tell(network, member, key="a")
    tell(network, member, key="b")
    client.force_login(member)

    response = client.post(reverse("notification-read-all"), follow=True)

    assert response.redirect_chain == [(reverse("notification-list"), 302)]
    assert "All your notifications are marked as read" in response.text
    assert not Notification.objects.unread().exists()


def test_a_discussion_mention_is_listed_and_opens_the_post(client, network, member):
    aisha = MembershipFactory(
        network=network, user__full_name="Aisha Rahman", directory_listed=True
    ).user
    thread = discussion_actions.start_thread(
        network=network, by=member, title="Knee pathways", body="Ideas, @[Aisha Rahman]?"
    )
    client.force_login(aisha)

    listing = client.get(reverse("notification-list"))
    [notification] = listing.context["notifications"]
    response = client.get(reverse("notification-open", args=[notification.pk]))

    assert notification.title == f'{member.display_name} mentioned you in "Knee pathways"'
    assert response["Location"] == thread.posts.get().get_absolute_url()


# Email choices ----------------------------------------------------------------


def test_the_settings_page_lists_every_kind_by_app_with_defaults_chosen(client, member):
    client.force_login(member)

    response = client.get(reverse("notification-settings"))

    groups = [name for name, _ in response.context["groups"]]
    assert groups == ["Discussions", "Priorities", "Governance", "Improvement",
                      "Innovations", "Landscape", "Surveys", "Members"]
    listed = [row.kind for _, rows in response.context["groups"] for row, *_ in rows]
    assert sorted(listed) == sorted(Kind)
    # The defaults are chosen: mentions daily, replies weekly.
    assert 'id="id_discussion_mention_1" name="discussion_mention" value="daily" checked' in (
        response.text
    )
    assert 'name="discussion_reply" value="weekly" checked' in response.text
    assert 'name="join_request_waiting" value="immediately" checked' in response.text


def test_saving_choices_writes_only_changes_with_an_audit_event(client, member):
    client.force_login(member)
    choices = {kind.value: "never" if kind == Kind.DISCUSSION_REPLY else default
               for kind, default in _defaults().items()}

    response = client.post(reverse("notification-settings"), choices, follow=True)

    assert "Your email choices are saved" in response.text
    [preference] = NotificationPreference.objects.filter(user=member)
    assert (preference.kind, preference.delivery) == (Kind.DISCUSSION_REPLY, "never")
    event = AuditEvent.objects.get(type=CommunicationsEvent.NOTIFICATION_PREFERENCE_CHANGED)
    assert event.by == member
    assert event.data["previous"] == "weekly"
    assert 'name="discussion_reply" value="never" checked' in response.text


def test_saving_refuses_a_missing_choice(client, member):
    client.force_login(member)
    choices = {k: v for k, v in _defaults().items() if k != Kind.SCORING_DUE}

    response = client.post(reverse("notification-settings"), choices)

    assert response.status_code == 200
    assert "<title>Error: " in response.text
    assert "Choose how you get email about this: you have nominations to score" in (
        response.text
    )
    assert not NotificationPreference.objects.exists()


def _defaults():
    from msknet.communications.models import DEFAULT_DELIVERY

    return {kind: str(DEFAULT_DELIVERY[kind]) for kind in Kind}


def test_delivery_choices_are_the_four_on_the_page(client, member):
    client.force_login(member)

    response = client.get(reverse("notification-settings"))

    for label in ("Straight away", "Daily digest", "Weekly digest", "Never"):
        assert f">{label}</th>" in response.text
    assert [value for value, _ in response.context["deliveries"]] == list(Delivery)


def test_the_data_download_and_erasure_cover_notifications_and_choices(network, member):
    from msknet.members.actions.accounts import erase_account
    from msknet.members.queries_accounts import personal_data

    tell(network, member, title="Write the audit")
    NotificationPreference.objects.create(
        user=member, kind=Kind.SCORING_DUE, delivery=Delivery.WEEKLY
    )

    data = personal_data(member)["notifications"]
    erase_account(user=member)

    assert data["notifications"][0]["title"] == "Write the audit"
    assert data["notification_email_choices"][0]["email"] == "Weekly digest"
    assert not Notification.objects.filter(user=member).exists()
    assert not NotificationPreference.objects.filter(user=member).exists()
