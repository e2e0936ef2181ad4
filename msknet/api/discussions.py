"""Discussions: threads, replies and following; the token holder's notifications
(of every kind, from the one notification service).

Posts are plain text. A mention is `@[Full Name]` of a member listed in the
network's directory; bodies come back with each mention as `@` and the
member's current name. Members see a hidden post's reason, not its text;
leads see both.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from msknet.communications import actions as notification_actions
from msknet.communications import queries as notification_queries
from msknet.communications.models import Kind
from msknet.discussions import actions, queries
from msknet.discussions.models import (
    BODY_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Post,
    Thread,
)
from msknet.discussions.text import plain_body
from msknet.members.models import Network
from msknet.members.permissions import Permission, has_permission

from .errors import FieldErrors
from .gate import api_gate, api_user
from .pagination import Pagination
from .responses import errors
from .schemas import Slug, text

router = Router(tags=["Discussions"])

Title = text(TITLE_MAX_LENGTH, min_length=1)
Body = text(BODY_MAX_LENGTH, min_length=1)
LOCKED = "This discussion is locked: it takes no new replies"


class ThreadIn(Schema):
    title: Title
    body: Body = Field(description="Plain text; mention members as @[Full Name]")
    group: Slug | None = Field(None, description="A group's slug in the network")


class ReplyIn(Schema):
    body: Body = Field(description="Plain text; mention members as @[Full Name]")


class PostOut(Schema):
    id: int
    author: str = Field(description='The author\'s name, or "Former member"')
    body: str | None = Field(description="Null when hidden, except for leads")
    is_opening: bool
    created_at: datetime
    edited_at: datetime | None
    hidden: bool
    hidden_reason: str | None


class ThreadOut(Schema):
    id: int
    title: str
    group: str | None = Field(description="The group's slug, if a group discussion")
    author: str
    created_at: datetime
    last_activity_at: datetime
    reply_count: int = Field(description="Replies members can see")
    locked: bool
    lock_reason: str | None

    @staticmethod
    def resolve_group(obj: Thread) -> str | None:
        return obj.group.slug if obj.group else None

    @staticmethod
    def resolve_author(obj: Thread) -> str:
        return obj.author_name

    @staticmethod
    def resolve_locked(obj: Thread) -> bool:
        return obj.is_locked

    @staticmethod
    def resolve_lock_reason(obj: Thread) -> str | None:
        return obj.lock_reason or None


class ThreadDetailOut(ThreadOut):
    following: bool
    posts: list[PostOut] = Field(alias="post_list")


class FollowOut(Schema):
    following: bool


class NotificationOut(Schema):
    id: int
    kind: Kind
    network: str = Field(description="The network's slug")
    title: str = Field(description="Plain text")
    body: str = Field(description="Plain text; may be empty")
    url: str = Field(description="The path on this site it is about")
    created_at: datetime
    read: bool

    @staticmethod
    def resolve_network(obj: Any) -> str:
        return obj.network.slug

    @staticmethod
    def resolve_read(obj: Any) -> bool:
        return obj.is_read


class ReadOut(Schema):
    marked_read: int


def post_out(post: Post, *, moderator: bool) -> dict[str, Any]:
    show = moderator or not post.is_hidden
    return {
        "id": post.pk,
        "author": post.author_name,
        "body": plain_body(post.body, post.mentioned) if show else None,
        "is_opening": post.is_opening,
        "created_at": post.created_at,
        "edited_at": post.edited_at,
        "hidden": post.is_hidden,
        "hidden_reason": post.hidden_reason or None,
    }


def thread_or_404(network: Network, id: int) -> Thread:
    return get_object_or_404(queries.thread_list(network), pk=id)


def thread_detail_out(request: HttpRequest, network: Network, id: int) -> Thread:
    user = api_user(request)
    thread = thread_or_404(network, id)
    moderator = has_permission(user, Permission.MODERATE_DISCUSSIONS, network)
    thread.following = queries.is_following(thread, user)  # type: ignore[attr-defined]
    thread.post_list = [  # type: ignore[attr-defined]
        post_out(p, moderator=moderator) for p in queries.thread_posts(thread)
    ]
    return thread


def mention_errors(network: Network, body: str) -> None:
    try:
        actions.find_mentions(network=network, body=body)
    except actions.UnknownMention as unknown:
        raise FieldErrors(
            {"body": actions.unknown_mentions_message(network, unknown.names)}
        ) from None


@router.get(
    "/networks/{slug}/discussions",
    response={200: list[ThreadOut], **errors(401, 403, 404, 422)},
    url_name="thread-list",
    operation_id="list_threads",
    summary="List discussions",
)
@api_gate(Permission.VIEW_DISCUSSIONS)
@paginate(Pagination)
def thread_list(
    request: HttpRequest, network: Network, group: Slug | None = None
) -> QuerySet[Thread]:
    """The network's discussions, latest activity first; `group` by group slug."""
    chosen = None
    if group:
        chosen = network.groups.filter(slug=group).first()  # type: ignore[attr-defined]
        if chosen is None:
            raise FieldErrors({"group": f"{network} has no group {group!r}"})
    return queries.thread_list(network, group=chosen)


@router.get(
    "/networks/{slug}/discussions/{id}",
    response={200: ThreadDetailOut, **errors(401, 403, 404)},
    url_name="thread-detail",
    operation_id="get_thread",
    summary="Get a discussion with its posts",
)
@api_gate(Permission.VIEW_DISCUSSIONS)
def thread_detail(request: HttpRequest, network: Network, id: int) -> Thread:
    return thread_detail_out(request, network, id)


@router.post(
    "/networks/{slug}/discussions",
    response={201: ThreadDetailOut, **errors(401, 403, 404, 422)},
    url_name="thread-create",
    operation_id="create_thread",
    summary="Start a discussion",
)
@api_gate(Permission.TAKE_PART_IN_DISCUSSIONS)
def thread_create(request: HttpRequest, network: Network, payload: ThreadIn) -> Status:
    """Start a discussion; you follow it, and members you mention are notified."""
    group = None
    if payload.group:
        group = network.groups.filter(slug=payload.group).first()  # type: ignore[attr-defined]
        if group is None:
            raise FieldErrors({"group": f"{network} has no group {payload.group!r}"})
    mention_errors(network, payload.body)
    thread = actions.start_thread(
        network=network,
        by=api_user(request),
        title=payload.title,
        body=payload.body,
        group=group,
    )
    return Status(201, thread_detail_out(request, network, thread.pk))


@router.post(
    "/networks/{slug}/discussions/{id}/replies",
    response={201: PostOut, **errors(401, 403, 404, 409, 422)},
    url_name="reply-create",
    operation_id="create_reply",
    summary="Reply in a discussion",
)
@api_gate(Permission.TAKE_PART_IN_DISCUSSIONS)
def reply_create(
    request: HttpRequest, network: Network, id: int, payload: ReplyIn
) -> Status:
    """Reply; you follow the discussion. 409 if it is locked."""
    thread = thread_or_404(network, id)
    mention_errors(network, payload.body)
    try:
        post = actions.post_reply(
            thread=thread, by=api_user(request), body=payload.body
        )
    except actions.ThreadLocked:
        raise HttpError(409, LOCKED) from None
    post = queries.thread_posts(thread).get(pk=post.pk)
    return Status(201, post_out(post, moderator=False))


@router.post(
    "/networks/{slug}/discussions/{id}/follow",
    response={200: FollowOut, **errors(401, 403, 404)},
    url_name="thread-follow",
    operation_id="follow_thread",
    summary="Follow a discussion",
)
@api_gate(Permission.TAKE_PART_IN_DISCUSSIONS)
def thread_follow(request: HttpRequest, network: Network, id: int) -> dict[str, bool]:
    """Get a notification for each new reply."""
    actions.follow_thread(thread=thread_or_404(network, id), by=api_user(request))
    return {"following": True}


@router.post(
    "/networks/{slug}/discussions/{id}/unfollow",
    response={200: FollowOut, **errors(401, 403, 404)},
    url_name="thread-unfollow",
    operation_id="unfollow_thread",
    summary="Stop following a discussion",
)
@api_gate(Permission.TAKE_PART_IN_DISCUSSIONS)
def thread_unfollow(request: HttpRequest, network: Network, id: int) -> dict[str, bool]:
    actions.unfollow_thread(thread=thread_or_404(network, id), by=api_user(request))
    return {"following": False}


@router.get(
    "/me/notifications",
    response={200: list[NotificationOut], **errors(401, 422)},
    url_name="notification-list",
    operation_id="list_notifications",
    summary="Your notifications",
)
@api_gate(Permission.USE_OWN_ACCOUNT)
@paginate(Pagination)
def notification_list(request: HttpRequest, unread: bool = False) -> Any:
    """Everything you have been told about in your networks, newest first.

    `unread=true` for unread ones only.
    """
    notifications = notification_queries.notifications_for(api_user(request))
    return notifications.unread() if unread else notifications


@router.post(
    "/me/notifications/read",
    response={200: ReadOut, **errors(401)},
    url_name="notification-read-all",
    operation_id="mark_all_notifications_read",
    summary="Mark all your notifications read",
)
@api_gate(Permission.USE_OWN_ACCOUNT)
def notification_read_all(request: HttpRequest) -> dict[str, int]:
    user = api_user(request)
    return {"marked_read": notification_actions.mark_all_read(user=user, by=user)}


@router.post(
    "/me/notifications/{id}/read",
    response={200: NotificationOut, **errors(401, 404)},
    url_name="notification-read",
    operation_id="mark_notification_read",
    summary="Mark one notification read",
)
@api_gate(Permission.USE_OWN_ACCOUNT)
def notification_read(request: HttpRequest, id: int) -> Any:
    user = api_user(request)
    notification = get_object_or_404(
        notification_queries.notifications_for(user), pk=id
    )
    return notification_actions.mark_read(notification=notification, by=user)
