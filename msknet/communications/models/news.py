"""News: announcements and newsletters, their audiences and their sending.

A lead (or a member a lead allows: `NewsWriter`) writes a `NewsItem` in a
safe Markdown subset, chooses who gets it by email (its audience) and who
may read it on the network's news page (its visibility), and sends it now or
at a time. When it is sent, what went out is kept (`sent_html`, `sent_text`)
so the news page shows what people received; each email is a
`NewsRecipient`, whose status the lead sees as counts. People who
unsubscribe get a `NewsOptOut` for the network; addresses that bounce or
complain get an `EmailSuppression`, honoured for every news email.
"""

from __future__ import annotations

import re
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from msknet.core.models import audit_types
from msknet.members.models import Role, Sector

__all__ = [
    "AudienceKind",
    "EmailSuppression",
    "NewsEvent",
    "NewsItem",
    "NewsKind",
    "NewsOptOut",
    "NewsRecipient",
    "NewsStatus",
    "NewsVisibility",
    "NewsWriter",
    "RecipientStatus",
    "SuppressionReason",
]

TITLE_MAX_LENGTH = 200
SUMMARY_MAX_LENGTH = 300
BODY_MAX_LENGTH = 20_000


@audit_types
class NewsEvent(models.TextChoices):
    DRAFTED = "news_drafted", "News drafted"
    """A writer started an announcement or newsletter."""
    CHANGED = "news_changed", "News changed"
    """A writer changed a draft or scheduled item."""
    SCHEDULED = "news_scheduled", "News scheduled"
    """A writer chose when an item is sent (now, or a later time)."""
    CANCELLED = "news_cancelled", "Scheduled news cancelled"
    """A writer stopped a scheduled item being sent; it is a draft again."""
    SENT = "news_sent", "News sent"
    """The worker published an item and queued its emails."""
    UNSUBSCRIBED = "news_unsubscribed", "Unsubscribed from news emails"
    """A person stopped getting a network's news by email."""
    RESUBSCRIBED = "news_resubscribed", "Subscribed to news emails again"
    """A person chose to get a network's news by email again."""
    WRITER_ADDED = "news_writer_added", "News writer added"
    """A lead allowed a member to write and send the network's news."""
    WRITER_REMOVED = "news_writer_removed", "News writer removed"
    """A lead stopped a member writing the network's news."""
    EMAIL_SUPPRESSED = "news_email_suppressed", "Email address suppressed"
    """An address bounced or complained, so no news is emailed to it."""


class NewsKind(models.TextChoices):
    ANNOUNCEMENT = "announcement", "Announcement"
    """A short notice about one thing."""
    NEWSLETTER = "newsletter", "Newsletter"
    """A round-up, which may pull in blocks from the platform."""


class NewsVisibility(models.TextChoices):
    PUBLIC = "public", "Anyone (public news page and feeds)"
    """On the public news page and in the RSS and Atom feeds."""
    MEMBERS = "members", "Members of the network only"
    """On the news page for signed-in members only."""


class NewsStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    """Being written; not sent."""
    SCHEDULED = "scheduled", "Scheduled"
    """Waiting for its sending time."""
    SENDING = "sending", "Sending"
    """Published; its emails are going out."""
    SENT = "sent", "Sent"
    """Published, and every email has been tried."""


class AudienceKind(models.TextChoices):
    NETWORK = "network", "Everyone in the network"
    """Every member."""
    GROUP = "group", "Members of a group"
    """Members of one of the network's groups."""
    SECTOR = "sector", "Members in a sector"
    """Members who work in one sector."""
    ICB = "icb", "Members in an ICB"
    """Members in one integrated care board's area."""
    TOPIC = "topic", "Members interested in a topic"
    """Members who chose one of the network's topics."""
    ROLE = "role", "Members with a role"
    """Members, steering group members or leads."""
    EVENT = "event", "People registered for an event"
    """Members with a place, or on the waiting list, at one event."""
    PROJECT = "project", "People following an improvement project"
    """Members following one of the network's QI projects."""
    INNOVATION = "innovation", "People following an innovation"
    """Members following one of the network's innovations: its followers, its
    proposer and the contacts of every site adopting it."""


class NewsQuerySet(models.QuerySet["NewsItem"]):
    def for_network(self, network: object) -> NewsQuerySet:
        return self.filter(network=network)

    def published(self) -> NewsQuerySet:
        """Sent (or being sent), newest first."""
        return self.filter(
            status__in=[NewsStatus.SENDING, NewsStatus.SENT]
        ).order_by("-sent_at", "-pk")

    def public(self) -> NewsQuerySet:
        return self.filter(visibility=NewsVisibility.PUBLIC)

    def due(self, now: object) -> NewsQuerySet:
        return self.filter(status=NewsStatus.SCHEDULED, send_at__lte=now)


STYLE_ATTRIBUTE = re.compile(r'\sstyle="[^"]*"')


class NewsItem(models.Model):
    """An announcement or a newsletter for one network."""

    network = models.ForeignKey(
        "members.Network", on_delete=models.CASCADE, related_name="news_items"
    )
    kind = models.CharField(
        max_length=20, choices=NewsKind.choices, default=NewsKind.ANNOUNCEMENT
    )
    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    summary = models.CharField(
        max_length=SUMMARY_MAX_LENGTH,
        blank=True,
        help_text="One or two sentences for the news page, the feeds and the email's preview",
    )
    body_markdown = models.TextField("Body", max_length=BODY_MAX_LENGTH)
    #: Keys of the platform blocks a newsletter pulls in, in order.
    blocks = models.JSONField(default=list, blank=True)
    audience_kind = models.CharField(
        "Who gets it by email",
        max_length=20,
        choices=AudienceKind.choices,
        default=AudienceKind.NETWORK,
    )
    audience_group = models.ForeignKey(
        "governance.Group", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    audience_sector = models.CharField(max_length=30, choices=Sector.choices, blank=True)
    audience_icb = models.ForeignKey(
        "members.ICB", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    audience_topic = models.ForeignKey(
        "members.Topic", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    audience_role = models.CharField(max_length=20, choices=Role.choices, blank=True)
    audience_event = models.ForeignKey(
        "community.Event", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    audience_project = models.ForeignKey(
        "improvement.QIProject", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    audience_innovation = models.ForeignKey(
        "innovations.Innovation", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    visibility = models.CharField(
        "Who can read it on the news page",
        max_length=10,
        choices=NewsVisibility.choices,
        default=NewsVisibility.MEMBERS,
    )
    status = models.CharField(
        max_length=12, choices=NewsStatus.choices, default=NewsStatus.DRAFT
    )
    send_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    #: What was sent: the body and blocks as HTML (with the email's inline
    #: styles) and as plain text, and who it went to, fixed at sending.
    sent_html = models.TextField(blank=True)
    sent_text = models.TextField(blank=True)
    audience_description = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = NewsQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "send_at"], name="communications_news_due"),
            models.Index(fields=["network", "sent_at"], name="communications_news_page"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=NewsStatus.SCHEDULED) | Q(send_at__isnull=False),
                name="communications_newsitem_scheduled_has_send_at",
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=[NewsStatus.SENDING, NewsStatus.SENT],
                    sent_at__isnull=False,
                )
                | (
                    ~Q(status__in=[NewsStatus.SENDING, NewsStatus.SENT])
                    & Q(sent_at__isnull=True)
                ),
                name="communications_newsitem_sent_at_when_sent",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "news-detail", kwargs={"network_slug": self.network.slug, "pk": self.pk}
        )

    def get_manage_url(self) -> str:
        return reverse(
            "news-item", kwargs={"network_slug": self.network.slug, "pk": self.pk}
        )

    @property
    def is_public(self) -> bool:
        return self.visibility == NewsVisibility.PUBLIC

    @property
    def is_published(self) -> bool:
        return self.status in (NewsStatus.SENDING, NewsStatus.SENT)

    @property
    def is_editable(self) -> bool:
        return self.status in (NewsStatus.DRAFT, NewsStatus.SCHEDULED)

    @property
    def is_scheduled(self) -> bool:
        return self.status == NewsStatus.SCHEDULED

    @property
    def site_html(self) -> str:
        """What was sent, for a page: the email's inline styles removed (the
        site's Content-Security-Policy refuses them; its stylesheet applies)."""
        return STYLE_ATTRIBUTE.sub("", self.sent_html)


class RecipientStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    """Waiting for the worker to send it."""
    SENT = "sent", "Sent"
    """The mail server took it."""
    FAILED = "failed", "Failed"
    """The mail server could not take it after every try."""
    BOUNCED = "bounced", "Bounced"
    """The mail server refused the address; it is suppressed."""
    SKIPPED = "skipped", "Skipped"
    """Not sent: the person unsubscribed, left or was suppressed before it went."""


def new_token() -> str:
    return secrets.token_urlsafe(24)


class NewsRecipient(models.Model):
    """One person's email of one news item, and what became of it."""

    item = models.ForeignKey(NewsItem, on_delete=models.CASCADE, related_name="recipients")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="news_emails"
    )
    email = models.EmailField()
    status = models.CharField(
        max_length=10, choices=RecipientStatus.choices, default=RecipientStatus.QUEUED
    )
    error = models.CharField(max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    #: The secret in the email's unsubscribe link and open-counting image.
    token = models.CharField(max_length=64, unique=True, default=new_token)

    class Meta:
        ordering = ["item", "pk"]
        indexes = [
            models.Index(fields=["item", "status"], name="communications_news_sent"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "user"], name="communications_news_once_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} to {self.email}"


class NewsOptOut(models.Model):
    """A person who gets no news emails from one network."""

    network = models.ForeignKey(
        "members.Network", on_delete=models.CASCADE, related_name="news_opt_outs"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="news_opt_outs"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["network", "user"], name="communications_news_opt_out_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} gets no news from {self.network}"


class SuppressionReason(models.TextChoices):
    HARD_BOUNCE = "hard_bounce", "Hard bounce"
    """The mail server said the address does not exist."""
    COMPLAINT = "complaint", "Complaint"
    """The person marked a news email as spam."""
    MANUAL = "manual", "Added by an administrator"
    """An operator stopped news to the address."""


class EmailSuppression(models.Model):
    """An address no news email goes to, from any network."""

    email = models.EmailField(unique=True)
    reason = models.CharField(max_length=20, choices=SuppressionReason.choices)
    detail = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_reason_display()})"


class NewsWriter(models.Model):
    """A member a lead allows to write and send the network's news."""

    network = models.ForeignKey(
        "members.Network", on_delete=models.CASCADE, related_name="news_writers"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="news_writing"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["network", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "user"], name="communications_news_writer_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} writes news for {self.network}"
