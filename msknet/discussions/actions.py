"""Writing discussions: threads, replies, edits, moderation, following.

Every action records its audit event. A new post notifies the members it
mentions and the thread's followers (never its own author); notifications
reach people by email only in their digest (`msknet.discussions.digests`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from msknet.core import audit
from msknet.members.models import Membership, Network, User

from .models import (
    DigestFrequency,
    DigestPreference,
    DiscussionEvent,
    Follow,
    Mention,
    Notification,
    NotificationKind,
    Post,
    PostRevision,
    Thread,
)
from .text import MENTION, mention_markup, mentioned_names, normalise_name

#: What an erased member's mentions read as.
FORMER_MEMBER_MENTION = "Former member"


class ThreadLocked(Exception):
    """The thread is locked: it takes no replies or edits."""


class UnknownMention(ValueError):
    """A mention names nobody in the network; `names` lists them as written."""

    def __init__(self, names: list[str]) -> None:
        super().__init__(", ".join(names))
        self.names = names


class ReasonRequired(ValueError):
    """Moderation needs a reason, which readers see."""


def unknown_mentions_message(network: Network, names: Iterable[str]) -> str:
    listed = ", ".join(mention_markup(name) for name in names)
    return (
        f"No member of {network.short_name} is called {listed}. Check the name, "
        "or choose the person from the list of members"
    )


def mentionable(network: Network) -> Any:
    """Members who may be mentioned: those listed in the network's directory.

    Listing is the member's consent to be found by other members, so the
    member picker shows, and a mention confirms, nobody else.
    """
    return User.objects.filter(
        memberships__network=network,
        memberships__directory_listed=True,
        is_active=True,
        erased_at__isnull=True,
    ).exclude(full_name="")


def find_mentions(*, network: Network, body: str) -> dict[str, list[User]]:
    """The members each `@[Full Name]` in `body` names, by normalised name.

    Names match whatever the case and spacing; two members of the network
    with the same name are both mentioned. Raises `UnknownMention` naming
    mentions that match nobody in the network.
    """
    names = mentioned_names(body)
    if not names:
        return {}
    found: dict[str, list[User]] = {name: [] for name in names}
    for user in mentionable(network).order_by("pk"):
        key = normalise_name(user.full_name)
        if key in found:
            found[key].append(user)
    unknown = [name for name, users in found.items() if not users]
    if unknown:
        raise UnknownMention(unknown)
    return found


def _active_members(network: Network, users: Iterable[User]) -> set[int]:
    return set(
        Membership.objects.for_network(network)
        .active()
        .filter(user__in=list(users))
        .values_list("user_id", flat=True)
    )


def _record_mentions(post: Post, mentions: dict[str, list[User]]) -> list[User]:
    """Store the post's mentions; the members newly mentioned."""
    already = set(Mention.objects.filter(post=post).values_list("user_id", flat=True))
    new: list[User] = []
    for name, users in mentions.items():
        for user in users:
            if user.pk in already:
                continue
            Mention.objects.create(post=post, user=user, name=name)
            already.add(user.pk)
            new.append(user)
    return new


def _notify(post: Post, *, mentioned: Iterable[User], followers: bool) -> None:
    """Notify the mentioned, then followers, once each, never the author."""
    thread = post.thread
    recipients: dict[int, str] = {}
    for user in mentioned:
        recipients.setdefault(user.pk, NotificationKind.MENTION)
    if followers:
        for user_id in Follow.objects.filter(thread=thread).values_list(
            "user_id", flat=True
        ):
            recipients.setdefault(user_id, NotificationKind.REPLY)
    recipients.pop(post.author_id, None)  # type: ignore[arg-type]
    allowed = _active_members(thread.network, User.objects.filter(pk__in=recipients))
    existing = set(
        Notification.objects.filter(post=post).values_list("user_id", flat=True)
    )
    Notification.objects.bulk_create(
        Notification(
            user_id=user_id,
            network=thread.network,
            thread=thread,
            post=post,
            kind=kind,
            created_at=post.created_at,
        )
        for user_id, kind in recipients.items()
        if user_id in allowed and user_id not in existing
    )


def _follow(thread: Thread, user: User) -> bool:
    _, created = Follow.objects.get_or_create(thread=thread, user=user)
    return created


@transaction.atomic
def start_thread(
    *, network: Network, by: User, title: str, body: str, group: Any = None
) -> Thread:
    """A new thread with its opening post; the author follows it."""
    mentions = find_mentions(network=network, body=body)
    now = timezone.now()
    thread = Thread.objects.create(
        network=network,
        group=group,
        title=title.strip(),
        author=by,
        created_at=now,
        last_activity_at=now,
    )
    post = Post.objects.create(
        thread=thread, author=by, body=body.strip(), is_opening=True, created_at=now
    )
    _follow(thread, by)
    _notify(post, mentioned=_record_mentions(post, mentions), followers=False)
    audit.record(
        DiscussionEvent.THREAD_STARTED,
        target=thread,
        by=by,
        network=network,
        post=post.pk,
        group=group.pk if group is not None else None,
    )
    return thread


@transaction.atomic
def post_reply(*, thread: Thread, by: User, body: str) -> Post:
    """A reply; the replier follows the thread and its followers are notified."""
    thread = (
        Thread.objects.select_for_update().select_related("network").get(pk=thread.pk)
    )
    if thread.is_locked:
        raise ThreadLocked(thread.lock_reason)
    mentions = find_mentions(network=thread.network, body=body)
    now = timezone.now()
    post = Post.objects.create(
        thread=thread, author=by, body=body.strip(), created_at=now
    )
    thread.last_activity_at = now
    thread.save(update_fields=["last_activity_at", "updated_at"])
    _follow(thread, by)
    _notify(post, mentioned=_record_mentions(post, mentions), followers=True)
    audit.record(
        DiscussionEvent.REPLY_POSTED,
        target=post,
        by=by,
        network=thread.network,
        thread=thread.pk,
    )
    return post


@transaction.atomic
def edit_post(*, post: Post, by: User, body: str, title: str | None = None) -> Post:
    """Change a post, keeping the earlier text; newly mentioned members hear of it.

    `title` changes the thread's title too, for its opening post.
    """
    post = (
        Post.objects.select_for_update()
        .select_related("thread__network")
        .get(pk=post.pk)
    )
    thread = post.thread
    if thread.is_locked:
        raise ThreadLocked(thread.lock_reason)
    body = body.strip()
    title_changed = (
        post.is_opening and title is not None and title.strip() != thread.title
    )
    if body == post.body and not title_changed:
        return post
    mentions = find_mentions(network=thread.network, body=body)
    now = timezone.now()
    fields = []
    if body != post.body:
        PostRevision.objects.create(
            post=post, body=post.body, replaced_at=now, replaced_by=by
        )
        post.body = body
        fields.append("body")
    post.edited_at = now
    post.save(update_fields=["body", "edited_at"])
    if title_changed:
        assert title is not None
        thread.title = title.strip()
        thread.save(update_fields=["title", "updated_at"])
        fields.append("title")
    _notify(post, mentioned=_record_mentions(post, mentions), followers=False)
    audit.record(
        DiscussionEvent.POST_EDITED,
        target=post,
        by=by,
        network=thread.network,
        thread=thread.pk,
        fields=fields,
    )
    return post


def _reason(reason: str) -> str:
    reason = " ".join(reason.split())
    if not reason:
        raise ReasonRequired("Give a reason: readers see it")
    return reason


@transaction.atomic
def hide_post(*, post: Post, by: User, reason: str) -> Post:
    """Hide a post from members, saying why; leads still see it, marked."""
    reason = _reason(reason)
    post = (
        Post.objects.select_for_update()
        .select_related("thread__network")
        .get(pk=post.pk)
    )
    if post.is_hidden:
        return post
    post.hidden_at = timezone.now()
    post.hidden_by = by
    post.hidden_reason = reason
    post.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    audit.record(
        DiscussionEvent.POST_HIDDEN,
        target=post,
        by=by,
        network=post.thread.network,
        thread=post.thread_id,
        reason=reason,
    )
    return post


@transaction.atomic
def unhide_post(*, post: Post, by: User) -> Post:
    post = (
        Post.objects.select_for_update()
        .select_related("thread__network")
        .get(pk=post.pk)
    )
    if not post.is_hidden:
        return post
    previous_reason = post.hidden_reason
    post.hidden_at = None
    post.hidden_by = None
    post.hidden_reason = ""
    post.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    audit.record(
        DiscussionEvent.POST_UNHIDDEN,
        target=post,
        by=by,
        network=post.thread.network,
        thread=post.thread_id,
        hidden_reason=previous_reason,
    )
    return post


@transaction.atomic
def lock_thread(*, thread: Thread, by: User, reason: str) -> Thread:
    """Stop replies and edits, saying why; the thread stays readable."""
    reason = _reason(reason)
    thread = (
        Thread.objects.select_for_update().select_related("network").get(pk=thread.pk)
    )
    if thread.is_locked:
        return thread
    thread.locked_at = timezone.now()
    thread.locked_by = by
    thread.lock_reason = reason
    thread.save(update_fields=["locked_at", "locked_by", "lock_reason", "updated_at"])
    audit.record(
        DiscussionEvent.THREAD_LOCKED,
        target=thread,
        by=by,
        network=thread.network,
        reason=reason,
    )
    return thread


@transaction.atomic
def unlock_thread(*, thread: Thread, by: User) -> Thread:
    thread = (
        Thread.objects.select_for_update().select_related("network").get(pk=thread.pk)
    )
    if not thread.is_locked:
        return thread
    previous_reason = thread.lock_reason
    thread.locked_at = None
    thread.locked_by = None
    thread.lock_reason = ""
    thread.save(update_fields=["locked_at", "locked_by", "lock_reason", "updated_at"])
    audit.record(
        DiscussionEvent.THREAD_UNLOCKED,
        target=thread,
        by=by,
        network=thread.network,
        lock_reason=previous_reason,
    )
    return thread


@transaction.atomic
def follow_thread(*, thread: Thread, by: User) -> bool:
    """Follow the thread; False if the member already did."""
    created = _follow(thread, by)
    if created:
        audit.record(
            DiscussionEvent.THREAD_FOLLOWED,
            target=thread,
            by=by,
            network=thread.network,
        )
    return created


@transaction.atomic
def unfollow_thread(*, thread: Thread, by: User) -> bool:
    """Stop following; False if the member was not following."""
    deleted, _ = Follow.objects.filter(thread=thread, user=by).delete()
    if deleted:
        audit.record(
            DiscussionEvent.THREAD_UNFOLLOWED,
            target=thread,
            by=by,
            network=thread.network,
        )
    return bool(deleted)


@transaction.atomic
def mark_read(*, notification: Notification, by: User) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        audit.record(
            DiscussionEvent.NOTIFICATIONS_READ,
            target=notification,
            by=by,
            network=notification.network,
            count=1,
        )
    return notification


@transaction.atomic
def mark_all_read(*, user: User, by: User) -> int:
    """Mark every unread notification of `user` read; how many there were."""
    count = (
        Notification.objects.filter(user=user).unread().update(read_at=timezone.now())
    )
    if count:
        audit.record(
            DiscussionEvent.NOTIFICATIONS_READ, target=user, by=by, count=count
        )
    return count


@transaction.atomic
def choose_digest(
    *, user: User, network: Network, frequency: str, by: User
) -> DigestPreference:
    """How often `user` gets the email digest for `network`."""
    frequency = DigestFrequency(frequency)
    preference = (
        DigestPreference.objects.select_for_update()
        .filter(user=user, network=network)
        .first()
    ) or DigestPreference(user=user, network=network)
    previous = preference.frequency or DigestFrequency.WEEKLY
    if previous == frequency:
        return preference
    preference.frequency = frequency
    preference.save()
    audit.record(
        DiscussionEvent.DIGEST_CHOSEN,
        target=preference,
        by=by,
        network=network,
        frequency=str(frequency),
        previous=str(previous),
    )
    return preference


def forget_member(user: User) -> None:
    """Part of erasing an account: what discussions hold about the person.

    Their follows, notifications and digest choices go; their name as typed
    in others' mentions (and in earlier versions of posts) becomes "Former
    member". Their posts stay, shown as by "former member". Runs inside the
    account erasure's transaction.
    """
    Follow.objects.filter(user=user).delete()
    Notification.objects.filter(user=user).delete()
    DigestPreference.objects.filter(user=user).delete()
    written = set(
        Mention.objects.filter(user=user).values_list("name", flat=True)
    )
    if not written:
        return
    replacement = mention_markup(FORMER_MEMBER_MENTION)

    def scrub(body: str) -> str:
        return MENTION.sub(
            lambda m: replacement if normalise_name(m.group(1)) in written
            else m.group(0),
            body,
        )

    posts = Post.objects.filter(mention_set__user=user).distinct()
    for post in posts:
        post.body = scrub(post.body)
        post.save(update_fields=["body"])
        for revision in post.revisions.all():
            revision.body = scrub(revision.body)
            revision.save(update_fields=["body"])
    Mention.objects.filter(user=user).update(
        name=normalise_name(FORMER_MEMBER_MENTION)
    )
