"""Reading discussions: thread lists, a thread's posts, a member's posts."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from msknet.members.models import Network

from .actions import mentionable
from .models import Follow, Mention, Post, Thread


def thread_list(network: Network, *, group: Any = None) -> QuerySet[Thread]:
    """The network's threads, latest activity first, with visible reply counts."""
    threads = Thread.objects.for_network(network)
    if group is not None:
        threads = threads.filter(group=group)
    return (
        threads.select_related("network", "author", "group")
        .annotate(
            reply_count=Count(
                "posts",
                filter=Q(posts__is_opening=False, posts__hidden_at__isnull=True),
            )
        )
        .by_activity()
    )


def thread_posts(thread: Thread) -> QuerySet[Post]:
    """Every post of the thread, oldest first, hidden ones included."""
    return (
        thread.posts.select_related("author", "hidden_by")
        .prefetch_related(
            Prefetch("mention_set", queryset=Mention.objects.select_related("user"))
        )
        .order_by("created_at", "pk")
    )


def is_following(thread: Thread, user: Any) -> bool:
    return Follow.objects.filter(thread=thread, user_id=user.pk).exists()


def mention_choices(network: Network) -> list[str]:
    return list(
        mentionable(network).order_by("full_name").values_list("full_name", flat=True)
    )


def _when(value: Any) -> str | None:
    return value.isoformat() if value else None


def personal_data(user: Any) -> dict[str, Any]:
    """What discussions hold about `user`, for their data download."""
    posts = (
        Post.objects.filter(author=user)
        .select_related("thread__network")
        .prefetch_related("revisions")
        .order_by("created_at", "pk")
    )
    return {
        "posts": [
            {
                "network": p.thread.network.name,
                "thread": p.thread.title,
                "started_the_thread": p.is_opening,
                "body": p.body,
                "created_at": _when(p.created_at),
                "edited_at": _when(p.edited_at),
                "earlier_versions": [r.body for r in p.revisions.all()],
                "hidden_by_a_moderator": p.hidden_reason or None,
            }
            for p in posts
        ],
        "following": [
            {
                "network": f.thread.network.name,
                "thread": f.thread.title,
                "since": _when(f.created_at),
            }
            for f in Follow.objects.filter(user=user)
            .select_related("thread__network")
            .order_by("created_at")
        ],
    }
