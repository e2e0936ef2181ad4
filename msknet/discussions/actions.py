"""Writing discussions: threads, replies, edits, moderation, following.

Every action records its audit event. A new post notifies the members it
mentions and the thread's followers (never its own author), through the one
notification service (`msknet.communications.notify`), which emails them by
each person's choice. Hiding a post withdraws the notifications about it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from msknet.communications.models import Kind, Notification
from msknet.communications.notify import notify
from msknet.core import audit
from msknet.members.models import FORMER_MEMBER, Network, User

from .models import (
    DiscussionEvent,
    Follow,
    Mention,
    Post,
    PostRevision,
    Thread,
)
from .text import MENTION, mention_markup, mentioned_names, normalise_name, plain_body

#: The kinds of notification discussions send.
DISCUSSION_KINDS = (Kind.DISCUSSION_MENTION, Kind.DISCUSSION_REPLY)
#: How much of a post a notification quotes.
EXCERPT_LENGTH = 200

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


def notification_key(post: Post) -> str:
    """What names a post's notifications: one per person per post."""
    return f"post:{post.pk}"


def excerpt(post: Post, mentioned: dict[str, Any] | None = None) -> str:
    """The start of the post as plain text, for its notifications."""
    people = post.mentioned if mentioned is None else mentioned
    text = " ".join(plain_body(post.body, people).split())
    if len(text) <= EXCERPT_LENGTH:
        return text
    return text[: EXCERPT_LENGTH - 1].rstrip() + "…"


def notification_titles(post: Post, author: str) -> dict[str, str]:
    title = post.thread.title
    return {
        Kind.DISCUSSION_MENTION: f'{author} mentioned you in "{title}"',
        Kind.DISCUSSION_REPLY: f'{author} replied in "{title}"',
    }


def _notify(post: Post, *, mentioned: Iterable[User], followers: bool) -> None:
    """Notify the mentioned, then followers, once each per post, never the author.

    Whoever was already told about the post (of either kind) is not told again,
    and nobody is told about a hidden post.
    """
    if post.is_hidden:
        return
    thread = post.thread
    key = notification_key(post)
    told = set(
        Notification.objects.filter(kind__in=DISCUSSION_KINDS, key=key).values_list(
            "user_id", flat=True
        )
    )
    told.add(post.author_id)
    mentioned_people = [user for user in mentioned if user.pk not in told]
    told.update(user.pk for user in mentioned_people)
    titles = notification_titles(post, post.author_name)
    body = excerpt(post)
    notify(
        kind=Kind.DISCUSSION_MENTION,
        recipients=mentioned_people,
        network=thread.network,
        key=key,
        title=titles[Kind.DISCUSSION_MENTION],
        url=post.get_absolute_url(),
        body=body,
    )
    if followers:
        notify(
            kind=Kind.DISCUSSION_REPLY,
            recipients=User.objects.filter(discussion_follows__thread=thread).exclude(
                pk__in=told
            ),
            network=thread.network,
            key=key,
            title=titles[Kind.DISCUSSION_REPLY],
            url=post.get_absolute_url(),
            body=body,
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
    """Hide a post from members, saying why; leads still see it, marked.

    The notifications about it are withdrawn, and stay so if it is shown again.
    """
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
    # Nobody is pointed to a post they can no longer read.
    Notification.objects.filter(
        kind__in=DISCUSSION_KINDS, key=notification_key(post)
    ).delete()
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


def forget_member(user: User) -> None:
    """Part of erasing an account: what discussions hold about the person.

    Their follows go (their own notifications go with communications'
    eraser); their name as typed in others' mentions (and in earlier versions
    of posts), and in others' notifications about those posts, becomes
    "Former member". Their posts stay, shown as by "former member". Runs
    inside the account erasure's transaction.
    """
    Follow.objects.filter(user=user).delete()
    written = set(
        Mention.objects.filter(user=user).values_list("name", flat=True)
    )
    if written:
        _scrub_mentions(user, written)
    # Others' notifications quote the person's name: as author, or mentioned.
    posts = (
        Post.objects.filter(Q(author=user) | Q(mention_set__user=user))
        .select_related("thread", "author")
        .distinct()
    )
    former = mention_markup(FORMER_MEMBER_MENTION)
    for post in posts:
        author = FORMER_MEMBER if post.author_id == user.pk else post.author_name
        mentioned = {n: u for n, u in post.mentioned.items() if u.pk != user.pk}
        body = excerpt(post, mentioned).replace(former, f"@{FORMER_MEMBER_MENTION}")
        for kind, title in notification_titles(post, author).items():
            Notification.objects.filter(kind=kind, key=notification_key(post)).update(
                title=title[:300], body=body
            )


def _scrub_mentions(user: User, written: set[str]) -> None:
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
