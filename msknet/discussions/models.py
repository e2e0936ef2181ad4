"""Discussion threads, their posts, mentions and followers.

A thread's opening post and its replies are all `Post`s; the opening post is
the one with `is_opening`. Authors are kept with `SET_NULL`: accounts are
never deleted (erasure keeps the row, shown as "former member"), and a post
outlives an account removed by other means, shown the same way.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from msknet.core.models import audit_types
from msknet.members.models import FORMER_MEMBER

TITLE_MAX_LENGTH = 200
BODY_MAX_LENGTH = 10_000
REASON_MAX_LENGTH = 500


@audit_types
class DiscussionEvent(models.TextChoices):
    THREAD_STARTED = "discussion_started", "Discussion started"
    """A member started a discussion thread."""
    REPLY_POSTED = "discussion_reply_posted", "Reply posted"
    """A member replied in a discussion thread."""
    POST_EDITED = "discussion_post_edited", "Post edited"
    """An author changed their own post; the earlier text is kept."""
    POST_HIDDEN = "discussion_post_hidden", "Post hidden by a moderator"
    """A lead hid a post, giving a reason."""
    POST_UNHIDDEN = "discussion_post_unhidden", "Hidden post shown again"
    """A lead showed a hidden post again."""
    THREAD_LOCKED = "discussion_locked", "Discussion locked"
    """A lead locked a thread against replies, giving a reason."""
    THREAD_UNLOCKED = "discussion_unlocked", "Discussion unlocked"
    """A lead reopened a locked thread for replies."""
    THREAD_FOLLOWED = "discussion_followed", "Discussion followed"
    """A member chose to be notified of replies."""
    THREAD_UNFOLLOWED = "discussion_unfollowed", "Discussion unfollowed"
    """A member stopped being notified of replies."""
    # The audit trail before notifications moved to communications: kept so
    # that earlier events still read as they did.
    NOTIFICATIONS_READ = "notifications_read", "Notifications marked read"
    """A member marked one or all of their notifications read (no longer recorded)."""
    DIGEST_CHOSEN = "digest_frequency_changed", "Email digest choice changed"
    """A member chose a digest frequency per network (no longer recorded)."""
    DIGEST_SENT = "digest_sent", "Email digest sent"
    """msknet emailed a discussions digest (no longer recorded)."""


def display_author(user: Any) -> str:
    return user.display_name if user is not None else FORMER_MEMBER


class ThreadQuerySet(models.QuerySet["Thread"]):
    def for_network(self, network: object) -> ThreadQuerySet:
        return self.filter(network=network)

    def by_activity(self) -> ThreadQuerySet:
        return self.order_by("-last_activity_at", "-pk")


class Thread(models.Model):
    """A discussion in one network, optionally within one of its groups."""

    network = models.ForeignKey(
        "members.Network", on_delete=models.CASCADE, related_name="threads"
    )
    group = models.ForeignKey(
        "governance.Group",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="threads",
    )
    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="discussion_threads",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # The latest visible post: lists show the most active threads first.
    last_activity_at = models.DateTimeField(default=timezone.now)
    locked_at = models.DateTimeField(null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lock_reason = models.CharField(max_length=REASON_MAX_LENGTH, blank=True)

    objects = ThreadQuerySet.as_manager()

    class Meta:
        ordering = ["-last_activity_at", "-pk"]
        indexes = [
            models.Index(
                fields=["network", "-last_activity_at"], name="discussions_activity_idx"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(locked_at__isnull=True, lock_reason="")
                | Q(locked_at__isnull=False) & ~Q(lock_reason=""),
                name="discussions_thread_locked_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "discussion-detail",
            kwargs={"network_slug": self.network.slug, "pk": self.pk},
        )

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    @property
    def author_name(self) -> str:
        return display_author(self.author)


class PostQuerySet(models.QuerySet["Post"]):
    def visible(self) -> PostQuerySet:
        return self.filter(hidden_at__isnull=True)


class Post(models.Model):
    """A thread's opening post or a reply: plain text, paragraphs kept."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="discussion_posts",
    )
    body = models.TextField(max_length=BODY_MAX_LENGTH)
    is_opening = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hidden_reason = models.CharField(max_length=REASON_MAX_LENGTH, blank=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=True, hidden_reason="")
                | Q(hidden_at__isnull=False) & ~Q(hidden_reason=""),
                name="discussions_post_hidden_with_reason",
            ),
            models.UniqueConstraint(
                fields=["thread"],
                condition=Q(is_opening=True),
                name="discussions_post_one_opening_per_thread",
            ),
        ]

    def __str__(self) -> str:
        return f"Post {self.pk} in {self.thread}"

    def get_absolute_url(self) -> str:
        return f"{self.thread.get_absolute_url()}#post-{self.pk}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def author_name(self) -> str:
        return display_author(self.author)

    @property
    def mentioned(self) -> dict[str, Any]:
        """Each mentioned name as written, to the member (prefetch `mention_set`)."""
        return {m.name: m.user for m in self.mention_set.all()}


class PostRevision(models.Model):
    """A post's text before an edit, kept so that moderators can see changes."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    replaced_at = models.DateTimeField(default=timezone.now)
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["post", "replaced_at"]

    def __str__(self) -> str:
        return f"Revision of post {self.post_id} at {self.replaced_at:%Y-%m-%d %H:%M}"


class Mention(models.Model):
    """A member mentioned in a post as `@[Full Name]`.

    `name` is the name as written (normalised), so that the post shows the
    member's current name, or "former member", wherever it was written.
    """

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="mention_set")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(max_length=150)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["post", "user"], name="discussions_mention_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} in post {self.post_id}"


class Follow(models.Model):
    """A member who is told about new replies in a thread."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="discussion_follows",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["thread", "user"], name="discussions_follow_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} follows {self.thread}"
